import type { Actor } from '../access/actor.js';
import { can, Permission as P } from '../access/permissions.js';

export interface NavLink {
  href: string;
  label: string;
  current?: boolean;
}

/** The navigation a person sees: only what they may open (`can`), within their village when they have one. */
export function navigationFor(actor: Actor | undefined, path: string): NavLink[] {
  if (!actor) {
    return [
      { href: '/login', label: '工作人员登录' },
      { href: '/villager', label: '村民登录' },
    ].map((l) => ({ ...l, current: path === l.href }));
  }
  const links: NavLink[] = [];
  if (actor.kind === 'household') {
    links.push({ href: '/villager', label: '我的积分' });
  } else {
    links.push({ href: '/', label: '首页' });
    if (can(actor, P.Township.Manage)) links.push({ href: '/admin/townships', label: '乡镇' });
    if (can(actor, P.Group.Manage)) {
      links.push(
        actor.villageId
          ? { href: `/admin/villages/${actor.villageId}`, label: '本村' }
          : { href: '/admin/villages', label: '村' },
      );
    }
    if (actor.villageId) {
      links.push({ href: '/households', label: '农户' });
      links.push({ href: '/rules', label: '积分细则' });
    }
    if (can(actor, P.ScoreRecord.Record)) links.push({ href: '/scoring/new', label: '登记' });
    if (can(actor, P.ScoreRecord.Approve)) links.push({ href: '/scoring/review', label: '审核' });
    if (can(actor, P.Publication.Open)) links.push({ href: '/publications', label: '公示' });
    if (can(actor, P.Redemption.Create)) links.push({ href: '/supermarket/counter', label: '兑换' });
    if (can(actor, P.Supermarket.Operate)) {
      links.push({ href: '/supermarket/goods', label: '商品库存' });
      links.push({ href: '/supermarket/reports', label: '超市报表' });
    }
    if (actor.villageId) links.push({ href: '/rankings', label: '排名' });
    if (can(actor, P.List.Confirm)) links.push({ href: '/lists', label: '红黑榜' });
    // The admin opens a township's overview from its village list, naming the township.
    if (can(actor, P.Township.Overview) && actor.townshipId)
      links.push({ href: '/township', label: '乡镇总览' });
    if (can(actor, P.Ranking.Review)) links.push({ href: '/township/reviews', label: '排名审核' });
    if (can(actor, P.ScoringRule.EditTemplate) && actor.townshipId)
      links.push({ href: '/rules/templates', label: '模板细则' });
    if (can(actor, P.Ledger.Verify)) links.push({ href: '/ledger/verify', label: '核对账本' });
    if (can(actor, P.User.Manage)) links.push({ href: '/admin/users', label: '账号' });
    if (can(actor, P.AuditLog.Read)) links.push({ href: '/audit', label: '操作日志' });
    links.push({ href: '/account/password', label: '修改密码' });
  }
  return links.map((l) => ({
    ...l,
    current: l.href === '/' ? path === '/' : path === l.href || path.startsWith(`${l.href}/`),
  }));
}

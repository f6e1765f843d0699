import type { Actor } from '../access/actor.js';
import { can, Permission as P } from '../access/permissions.js';

/** The groups a phone shows as menus, in this order (a link without one stands alone, as 首页 does). */
export const NAV_GROUPS = ['积分', '超市', '排名', '管理'] as const;
export type NavGroupLabel = (typeof NAV_GROUPS)[number];

export interface NavLink {
  href: string;
  label: string;
  group?: NavGroupLabel;
  current?: boolean;
}

/** A phone's navigation entry: one link, or a menu of a group's links (a group of one is just its link). */
export type NavEntry = { link: NavLink } | { label: NavGroupLabel; links: NavLink[]; current: boolean };

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
    if (can(actor, P.Township.Manage)) links.push({ href: '/admin/townships', label: '乡镇', group: '管理' });
    if (can(actor, P.Group.Manage)) {
      links.push(
        actor.villageId
          ? { href: `/admin/villages/${actor.villageId}`, label: '本村', group: '管理' }
          : { href: '/admin/villages', label: '村', group: '管理' },
      );
    }
    if (actor.villageId && can(actor, P.Household.Read))
      links.push({ href: '/households', label: '农户', group: '管理' });
    if (actor.villageId) links.push({ href: '/rules', label: '积分细则', group: '积分' });
    if (actor.villageId && can(actor, P.GridAffair.Read))
      links.push({ href: '/grid-affairs', label: '网格事务', group: '管理' });
    if (actor.villageId && can(actor, P.Inspection.Run))
      links.push({ href: '/inspection-rounds', label: '入户检查', group: '积分' });
    if (actor.villageId && can(actor, P.Activity.Read))
      links.push({ href: '/activities', label: '志愿服务', group: '管理' });
    if (can(actor, P.Council.Vote)) links.push({ href: '/council', label: '评议会表决', group: '积分' });
    if (can(actor, P.Bank.Lookup)) links.push({ href: '/bank', label: '积分贷查询' });
    if (can(actor, P.ScoreRecord.Record)) links.push({ href: '/scoring/new', label: '登记', group: '积分' });
    if (can(actor, P.ScoreRecord.Approve))
      links.push({ href: '/scoring/review', label: '审核', group: '积分' });
    // The village's own board: the committee opens publications, the supervision committee watches them.
    if (can(actor, P.Publication.Read) && actor.villageId)
      links.push({ href: '/publications', label: '公示', group: '积分' });
    if (can(actor, P.Redemption.Create))
      links.push({ href: '/supermarket/counter', label: '兑换', group: '超市' });
    if (can(actor, P.Supermarket.Operate)) {
      links.push({ href: '/supermarket/goods', label: '商品库存', group: '超市' });
      links.push({ href: '/supermarket/reports', label: '超市报表', group: '超市' });
    }
    if (can(actor, P.Supermarket.ReadStatement) && actor.villageId)
      links.push({ href: '/supermarket/statements', label: '月度账目', group: '超市' });
    if (actor.villageId && can(actor, P.Ranking.Read))
      links.push({ href: '/rankings', label: '排名', group: '排名' });
    if (can(actor, P.List.Read) && actor.villageId)
      links.push({ href: '/lists', label: '红黑榜', group: '排名' });
    if (can(actor, P.Honour.File) || (can(actor, P.Honour.Read) && actor.villageId))
      links.push({ href: '/honours', label: '评选', group: '排名' });
    if (can(actor, P.CreditGrade.File) || (can(actor, P.CreditGrade.Read) && actor.villageId))
      links.push({ href: '/credit-grades', label: '信用户', group: '排名' });
    // The admin opens a township's overview from its village list, naming the township.
    if (can(actor, P.Township.Overview) && actor.townshipId)
      links.push({ href: '/township', label: '乡镇总览', group: '排名' });
    if (can(actor, P.Ranking.Review))
      links.push({ href: '/township/reviews', label: '排名审核', group: '排名' });
    if (can(actor, P.ScoringRule.EditTemplate) && actor.townshipId)
      links.push({ href: '/rules/templates', label: '模板细则', group: '积分' });
    if (can(actor, P.Ledger.Verify)) links.push({ href: '/ledger/verify', label: '核对账本', group: '管理' });
    if (can(actor, P.User.Manage)) links.push({ href: '/admin/users', label: '账号', group: '管理' });
    if (can(actor, P.AuditLog.Read)) links.push({ href: '/audit', label: '操作日志', group: '管理' });
    links.push({ href: '/account/password', label: '修改密码', group: '管理' });
  }
  return links.map((l) => ({
    ...l,
    current: l.href === '/' ? path === '/' : path === l.href || path.startsWith(`${l.href}/`),
  }));
}

/**
 * The same links grouped for a phone (积分 / 超市 / 排名 / 管理): a group of two or more becomes a menu, in the
 * order of NAV_GROUPS after the links that stand alone; the menu holding the current page says so.
 */
export function groupedNavigation(links: NavLink[]): NavEntry[] {
  const alone: NavEntry[] = links.filter((l) => !l.group).map((link) => ({ link }));
  const menus = NAV_GROUPS.flatMap((label): NavEntry[] => {
    const inGroup = links.filter((l) => l.group === label);
    if (inGroup.length === 0) return [];
    if (inGroup.length === 1) return [{ link: inGroup[0] }];
    return [{ label, links: inGroup, current: inGroup.some((l) => l.current) }];
  });
  return [...alone, ...menus];
}

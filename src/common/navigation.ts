import type { Actor } from '../access/actor.js';

export interface NavLink {
  href: string;
  label: string;
  current?: boolean;
}

/** The navigation each role sees: only what it may open. */
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
    if (actor.role === 'ADMIN') links.push({ href: '/admin/townships', label: '乡镇' });
    if (actor.role === 'ADMIN' || actor.role === 'TOWNSHIP')
      links.push({ href: '/admin/villages', label: '村' });
    if (actor.role === 'VILLAGE_ADMIN')
      links.push({ href: `/admin/villages/${actor.villageId}`, label: '本村' });
    if (actor.villageId) {
      links.push({ href: '/households', label: '农户' });
      links.push({ href: '/rules', label: '积分细则' });
    }
    if (actor.role === 'SCORER' || actor.role === 'VILLAGE_ADMIN')
      links.push({ href: '/scoring/new', label: '登记' });
    if (actor.role === 'VILLAGE_ADMIN') {
      links.push({ href: '/scoring/review', label: '审核' });
      links.push({ href: '/publications', label: '公示' });
    }
    if (actor.role === 'CLERK' || actor.role === 'VILLAGE_ADMIN') {
      links.push({ href: '/supermarket/counter', label: '兑换' });
      links.push({ href: '/supermarket/goods', label: '商品库存' });
      links.push({ href: '/supermarket/reports', label: '超市报表' });
    }
    if (actor.villageId) links.push({ href: '/rankings', label: '排名' });
    if (actor.role === 'VILLAGE_ADMIN') links.push({ href: '/lists', label: '红黑榜' });
    if (actor.role === 'TOWNSHIP') {
      links.push({ href: '/township', label: '乡镇总览' });
      links.push({ href: '/township/reviews', label: '排名审核' });
    }
    if (actor.role === 'TOWNSHIP') links.push({ href: '/rules/templates', label: '模板细则' });
    if (actor.role === 'ADMIN' || actor.role === 'TOWNSHIP' || actor.role === 'VILLAGE_ADMIN') {
      links.push({ href: '/ledger/verify', label: '核对账本' });
    }
    if (actor.role === 'ADMIN' || actor.role === 'TOWNSHIP' || actor.role === 'VILLAGE_ADMIN') {
      links.push({ href: '/admin/users', label: '账号' });
    }
    if (actor.role === 'ADMIN' || actor.role === 'TOWNSHIP')
      links.push({ href: '/audit', label: '操作日志' });
    links.push({ href: '/account/password', label: '修改密码' });
  }
  return links.map((l) => ({
    ...l,
    current: l.href === '/' ? path === '/' : path === l.href || path.startsWith(`${l.href}/`),
  }));
}

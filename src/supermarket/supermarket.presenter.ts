import type { Actor } from '../access/actor.js';
import { can, Permission } from '../access/permissions.js';
import { chinaTimeSeconds } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { pager, type Paged } from '../common/pagination.js';
import type { PublicHousehold } from '../households/households.service.js';
import type { BookHeadView } from '../ledger/book-head.js';
import type { SupervisionOpinion } from '../supervision/supervision-opinion.entity.js';
import { opinionRow } from '../supervision/supervision.presenter.js';
import type { Village } from '../villages/village.entity.js';
import type { Goods } from './goods.entity.js';
import { goodsView } from './goods.service.js';
import type { RedemptionStatus } from './redemption.entity.js';
import { redemptionView, type BasketPreview, type RedemptionWithLines } from './redemptions.service.js';
import type { SupermarketReportsService } from './reports.service.js';
import type { ResetSettings } from './reset-dates.js';
import { MOVEMENT_LABELS, type StockMovement } from './stock-movement.entity.js';

type Report<K extends 'stock' | 'donors' | 'redemptions'> = Awaited<ReturnType<SupermarketReportsService[K]>>;
type Cells = (string | number)[][];

/** The counter: the search and what it found (nothing once a household is chosen), the shelf with what was typed. */
export function counterPage(c: {
  search: string;
  found: Paged<PublicHousehold>;
  household: PublicHousehold | null;
  shelf: readonly Goods[];
  typed: Record<string, string>;
  idempotencyKey: string;
}) {
  return {
    title: '积分兑换',
    q: c.search,
    searched: c.search !== '',
    matches: c.household ? [] : c.found.items,
    more: c.found.total > c.found.items.length,
    household: c.household,
    shelf: c.shelf.map((g) => ({ ...goodsView(g), quantity: c.typed[`qty${g.id}`] ?? '' })),
    idempotencyKey: c.idempotencyKey,
  };
}

/**
 * The basket of the counter form, read back from the quantity field per goods (`qty<id>`) that `counterPage` puts on
 * the shelf; empty or 0 means none of it. The field names live here, so the refusal below lands on the same boxes.
 */
export function basketOf(body: Record<string, unknown>): { goodsId: number; quantity: unknown }[] {
  return Object.entries(body)
    .filter(
      ([key, value]) => /^qty\d{1,9}$/.test(key) && value !== '' && value !== '0' && value !== undefined,
    )
    .map(([key, value]) => ({
      goodsId: Number(key.slice(3)),
      quantity: Array.isArray(value) ? value[0] : value,
    }));
}

/**
 * A refusal at the counter put on the box it is about: a line's own check (数量至少 1) and a goods out of stock or
 * past its monthly limit on that goods' quantity; what the whole basket fails (nothing chosen, too few points) on the
 * basket, with a 0 typed marked as the reason nothing was chosen. Anything else is left as it was.
 */
export function counterRefusal<E>(error: E, body: Record<string, unknown>): E | DomainError {
  if (!(error instanceof DomainError)) return error;
  const basket = basketOf(body);
  const fields: Record<string, string> = {};
  for (const [key, message] of Object.entries(error.details)) {
    if (typeof message !== 'string') continue;
    const line = /^items\.(\d+)\./.exec(key);
    const goodsId = line ? basket[Number(line[1])]?.goodsId : undefined;
    if (line && goodsId) fields[`qty${goodsId}`] ??= message;
    else if (line) fields.items ??= message;
    else fields[key] = message;
  }
  if (typeof error.details.goodsId === 'number') fields[`qty${error.details.goodsId}`] = error.message;
  if (error.code === 'INSUFFICIENT_POINTS') fields.items = error.message;
  if (basket.length === 0)
    for (const [key, value] of Object.entries(body))
      if (/^qty\d{1,9}$/.test(key) && value === '0') fields[key] = '数量至少 1；不换的商品留空';
  return new DomainError(error.code, error.message, fields);
}

/** The counter's second step: the basket priced, with what the confirm form sends again. */
export function reviewPage(preview: BasketPreview, form: { idempotencyKey: string; items: object[] }) {
  return {
    title: '核对兑换单',
    household: preview.household,
    lines: preview.lines.map((l) => ({
      ...l,
      name: l.goods.name,
      unit: l.goods.unit,
      price: l.goods.pricePoints,
    })),
    totalPoints: preview.totalPoints,
    balanceAfter: preview.balanceAfter,
    idempotencyKey: form.idempotencyKey,
    basket: form.items,
  };
}

export function redemptionsPage(
  found: Paged<RedemptionWithLines>,
  names: Map<number, string>,
  status: RedemptionStatus | undefined,
  page: { page: number; pageSize: number },
) {
  return {
    title: '兑换记录',
    rows: found.items.map((i) => ({ ...redemptionView(i), household: names.get(i.redemption.householdId) })),
    status,
    pager: pager(page.page, page.pageSize, found.total, status ? { status } : {}),
  };
}

/** 兑换单, with the supervision committee's opinions on it. */
export function receiptPage(
  actor: Actor,
  found: RedemptionWithLines,
  about: {
    household: PublicHousehold;
    village: Village | null;
    clerk: string;
    opinions: SupervisionOpinion[];
  },
) {
  const view = redemptionView(found);
  const rows = about.opinions.map(opinionRow);
  return {
    title: `兑换单 ${view.receiptNo}`,
    r: view,
    household: about.household,
    village: about.village,
    clerk: about.clerk,
    time: chinaTimeSeconds(view.createdAt),
    cancelled: view.status === 'CANCELLED',
    canCancel: view.status === 'DONE' && can(actor, Permission.Redemption.Cancel),
    opinions: rows,
    canAnswer: can(actor, Permission.Supervision.Answer),
    canRaise: can(actor, Permission.Supervision.Raise) && !rows.some((o) => o.open),
  };
}

export function goodsPage(actor: Actor, goods: Goods[]) {
  return {
    title: '商品与库存',
    goods: goods.map((g) => goodsView(g)),
    canEdit: can(actor, Permission.Goods.Edit),
  };
}

/** The goods form: a new goods, or the goods being edited. */
export function goodsFormPage(goods?: Goods) {
  return goods
    ? { title: `修改商品：${goods.name}`, action: `/supermarket/goods/${goods.id}/edit`, goods }
    : { title: '新增商品', action: '/supermarket/goods/new', isNew: true };
}

/** What the goods form starts with: a new goods' low-stock threshold, or the goods as stored. */
export function goodsFormValues(goods?: Goods) {
  return goods
    ? { ...goods, monthlyLimit: goods.monthlyLimit ?? '', active: goods.active }
    : { lowStockThreshold: 5 };
}

export function stockInPage(goods: Goods) {
  return { title: '入库', goods };
}

export function stockTakePage(goods: Goods) {
  return { title: '盘点', goods };
}

/** A goods' stock movements, newest first, each with the supervision committee's opinions on it. */
export function goodsHistoryPage(
  actor: Actor,
  goods: Goods,
  movements: Paged<StockMovement>,
  opinions: SupervisionOpinion[],
  page: { page: number; pageSize: number },
) {
  const canRaise = can(actor, Permission.Supervision.Raise);
  return {
    title: `${goods.name} · 库存变动`,
    goods,
    movements: movements.items.map((m) => {
      const own = opinions.filter((o) => o.targetId === m.id).map(opinionRow);
      return {
        ...m,
        kindLabel: MOVEMENT_LABELS[m.kind],
        day: m.occurredOn,
        opinions: own,
        // One opinion at a time on a thing: a second waits for the answer to the first.
        canRaise: canRaise && !own.some((o) => o.open),
      };
    }),
    page: page.page,
    canAnswer: can(actor, Permission.Supervision.Answer),
    // The column only where there is something in it: the supervision committee's own page, or opinions raised.
    showOpinions: canRaise || opinions.length > 0,
    pager: pager(page.page, page.pageSize, movements.total),
  };
}

/** A goods' history page, at the page of movements a form on it was sent from. */
export function goodsHistoryAddress(goodsId: number, page: number): string {
  return `/supermarket/goods/${goodsId}${page > 1 ? `?page=${page}` : ''}`;
}

export interface ReportRange {
  from: string;
  to: string;
}

/** 超市报表 for a range: stock, donations and redemptions, with the ledger's head to check the books against. */
export function reportsPage(
  values: ReportRange,
  found: {
    stock: Report<'stock'>;
    donors: Report<'donors'>;
    redemptions: Report<'redemptions'>;
    bookHead: BookHeadView;
  },
) {
  return {
    title: '超市报表',
    values,
    ...found,
    totalPoints: found.redemptions.byDay.reduce((s, d) => s + d.points, 0),
    query: `from=${values.from}&to=${values.to}`,
  };
}

/** 超市报表's form alone, with what is wrong in the dates. */
export function reportsRefusedPage(values: ReportRange, errors: Record<string, string>) {
  return { title: '超市报表', values, errors, formError: '日期有误' };
}

/** Each report's sheet name in a download. */
export const REPORT_SHEETS = { stock: '库存', donors: '捐赠', redemptions: '兑换' } as const;

export function stockRows(stock: Report<'stock'>): Cells {
  return [
    ['商品', '单位', '期初', '入库', '兑换出库', '撤销退回', '盘点调整', '期末'],
    ...stock.map((r) => [r.name, r.unit, r.opening, r.stockIn, r.out, r.returned, r.adjusted, r.closing]),
  ];
}

export function donorRows(donors: Report<'donors'>): Cells {
  return [
    ['捐赠单位', '商品', '单位', '数量', '折合积分', '首次', '最近'],
    ...donors.map((r) => [r.donor, r.goods, r.unit, r.quantity, r.points, r.first, r.last]),
  ];
}

/** Redemptions that stand, by day, by goods and by household, one block under another. */
export function redemptionRows(r: Report<'redemptions'>, range: ReportRange): Cells {
  return [
    [`兑换报表 ${range.from} 至 ${range.to}（不含已撤销）`],
    [],
    ['按日', '笔数', '积分'],
    ...r.byDay.map((d) => [d.day, d.count, d.points]),
    [],
    ['按商品', '单位', '数量', '积分'],
    ...r.byGoods.map((g) => [g.name, g.unit, g.quantity, g.points]),
    [],
    ['按农户（户号）', '户主', '笔数', '积分'],
    ...r.byHousehold.map((h) => [h.code, h.headName, h.count, h.points]),
  ];
}

/** The yearly reset's settings page; without settings, the page a refused form comes back on. */
export function settingsPage(reset?: ResetSettings) {
  return {
    title: '积分清零设置',
    ...(reset && {
      values: { resetEnabled: reset.resetEnabled, resetOn: reset.resetOn, resetKeep: reset.resetKeep },
    }),
  };
}

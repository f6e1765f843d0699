import { createHash } from 'node:crypto';
import { DomainError } from '../common/domain-error.js';
import type { Goods } from './goods.entity.js';

export interface BasketLine {
  goodsId: number;
  quantity: number;
}

/** One line per goods, in goods order: a basket typed as "2 soap, 1 soap" is the basket "3 soap". */
export function mergeLines(lines: readonly BasketLine[]): BasketLine[] {
  const byGoods = new Map<number, number>();
  for (const l of lines) byGoods.set(l.goodsId, (byGoods.get(l.goodsId) ?? 0) + l.quantity);
  return [...byGoods.entries()]
    .sort(([a], [b]) => a - b)
    .map(([goodsId, quantity]) => ({ goodsId, quantity }));
}

/** What a request asks for, as a short digest: the same household and basket give the same fingerprint. */
export function basketFingerprint(householdId: number, lines: readonly BasketLine[]): string {
  const text = [householdId, ...mergeLines(lines).map((l) => `${l.goodsId}x${l.quantity}`)].join('|');
  return createHash('sha256').update(text).digest('hex');
}

/** 兑换单号: `DH-<村名>-<YYYYMMDD>-<NNNN>`, numbered from 1 each day in each village. */
export function receiptNumber(villageName: string, day: string, seq: number): string {
  return `DH-${villageName}-${day.replaceAll('-', '')}-${String(seq).padStart(4, '0')}`;
}

/**
 * 每户每月限兑: the refusal when `quantity` more of the goods would take the household past the goods' monthly limit,
 * having `taken` already this month (the month ends before `resetsOn`); null when the goods have no limit or it holds.
 */
export function monthlyLimitRefusal(
  goods: Pick<Goods, 'id' | 'name' | 'unit' | 'monthlyLimit'>,
  taken: number,
  quantity: number,
  resetsOn: string,
): DomainError | null {
  if (goods.monthlyLimit === null || taken + quantity <= goods.monthlyLimit) return null;
  return new DomainError(
    'CAP_REACHED',
    `${goods.name}每户每月限兑 ${goods.monthlyLimit}${goods.unit}，本月已兑 ${taken}${goods.unit}`,
    { goodsId: goods.id, monthlyLimit: goods.monthlyLimit, taken, resetsOn },
  );
}

/**
 * What the counter's confirm step refuses before anything is written: a basket the household's available points do
 * not cover (a redemption never takes them below zero), or a line the shelf cannot fill. Null when it may go ahead.
 */
export function basketRefusal(basket: {
  available: number;
  totalPoints: number;
  lines: readonly { goods: Pick<Goods, 'id' | 'name' | 'unit' | 'stock'>; quantity: number }[];
}): DomainError | null {
  if (basket.available - basket.totalPoints < 0)
    return new DomainError(
      'INSUFFICIENT_POINTS',
      `可用积分不足：需要 ${basket.totalPoints} 分，只有 ${basket.available} 分`,
    );
  for (const { goods, quantity } of basket.lines)
    if (goods.stock < quantity)
      return new DomainError('OUT_OF_STOCK', `${goods.name}库存不足：还剩 ${goods.stock}${goods.unit}`, {
        goodsId: goods.id,
        stock: goods.stock,
      });
  return null;
}

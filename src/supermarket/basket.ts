import { createHash } from 'node:crypto';

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

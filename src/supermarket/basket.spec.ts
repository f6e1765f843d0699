import { basketFingerprint, mergeLines, receiptNumber } from './basket.js';

describe('basket', () => {
  it('should merge lines of the same goods and order them by goods', () => {
    expect(
      mergeLines([
        { goodsId: 7, quantity: 2 },
        { goodsId: 3, quantity: 1 },
        { goodsId: 7, quantity: 1 },
      ]),
    ).toEqual([
      { goodsId: 3, quantity: 1 },
      { goodsId: 7, quantity: 3 },
    ]);
  });

  it('should give the same fingerprint when the same basket is typed in another order', () => {
    const a = basketFingerprint(5, [
      { goodsId: 1, quantity: 2 },
      { goodsId: 2, quantity: 1 },
    ]);
    const b = basketFingerprint(5, [
      { goodsId: 2, quantity: 1 },
      { goodsId: 1, quantity: 1 },
      { goodsId: 1, quantity: 1 },
    ]);
    expect(a).toBe(b);
  });

  it('should give another fingerprint when the household or a quantity differs', () => {
    const base = basketFingerprint(5, [{ goodsId: 1, quantity: 2 }]);
    expect(basketFingerprint(6, [{ goodsId: 1, quantity: 2 }])).not.toBe(base);
    expect(basketFingerprint(5, [{ goodsId: 1, quantity: 3 }])).not.toBe(base);
  });

  it('should number receipts by village, day and a four-digit counter', () => {
    expect(receiptNumber('甲村', '2026-11-22', 1)).toBe('DH-甲村-20261122-0001');
    expect(receiptNumber('桃源村', '2026-01-05', 123)).toBe('DH-桃源村-20260105-0123');
  });
});

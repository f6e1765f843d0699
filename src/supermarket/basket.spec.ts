import {
  basketFingerprint,
  basketRefusal,
  mergeLines,
  monthlyLimitRefusal,
  receiptNumber,
} from './basket.js';

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

describe('redemption limits', () => {
  const soap = { id: 3, name: '肥皂', unit: '块', monthlyLimit: 2 as number | null, stock: 10 };

  it('should allow goods up to the monthly limit when the household has taken less', () => {
    expect(monthlyLimitRefusal(soap, 0, 2, '2026-12-01')).toBeNull();
    expect(monthlyLimitRefusal(soap, 1, 1, '2026-12-01')).toBeNull();
  });

  it('should refuse with CAP_REACHED when the basket would pass the monthly limit', () => {
    const refused = monthlyLimitRefusal(soap, 1, 2, '2026-12-01');
    expect(refused?.code).toBe('CAP_REACHED');
    expect(refused?.message).toBe('肥皂每户每月限兑 2块，本月已兑 1块');
    expect(refused?.details).toEqual({ goodsId: 3, monthlyLimit: 2, taken: 1, resetsOn: '2026-12-01' });
  });

  it('should allow any quantity when the goods have no monthly limit', () => {
    expect(monthlyLimitRefusal({ ...soap, monthlyLimit: null }, 50, 50, '2026-12-01')).toBeNull();
  });

  it('should accept a basket when it spends every available point and empties the shelf', () => {
    expect(
      basketRefusal({ available: 30, totalPoints: 30, lines: [{ goods: soap, quantity: 10 }] }),
    ).toBeNull();
  });

  it('should refuse with INSUFFICIENT_POINTS when the basket costs more than the household has', () => {
    const refused = basketRefusal({ available: 29, totalPoints: 30, lines: [{ goods: soap, quantity: 1 }] });
    expect(refused?.code).toBe('INSUFFICIENT_POINTS');
    expect(refused?.message).toBe('可用积分不足：需要 30 分，只有 29 分');
  });

  it('should refuse with OUT_OF_STOCK when a line asks for more than the shelf holds', () => {
    const refused = basketRefusal({
      available: 100,
      totalPoints: 33,
      lines: [{ goods: soap, quantity: 11 }],
    });
    expect(refused?.code).toBe('OUT_OF_STOCK');
    expect(refused?.message).toBe('肥皂库存不足：还剩 10块');
    expect(refused?.details).toEqual({ goodsId: 3, stock: 10 });
  });
});

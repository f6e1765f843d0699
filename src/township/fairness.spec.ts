import {
  binomialTail,
  chanceInWords,
  concentration,
  CONCENTRATION_MIN_RECORDS,
  FAIRNESS_ALPHA,
  fires,
} from './fairness.js';

/** mulberry32: a small seeded generator, so that every run draws the same villages. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fair scorer: each record goes to any of the village's households with the same chance. */
function fairCounts(random: () => number, households: number, records: number): number[] {
  const counts = new Array<number>(households).fill(0);
  for (let i = 0; i < records; i++) counts[Math.floor(random() * households)]++;
  return counts.filter((c) => c > 0);
}

describe('fairness: concentration of a scorer’s records', () => {
  it('should compute exact binomial tails', () => {
    expect(binomialTail(10, 0.5, 0)).toBe(1);
    expect(binomialTail(10, 0.5, 10)).toBeCloseTo(1 / 1024, 12);
    expect(binomialTail(10, 0.5, 9)).toBeCloseTo(11 / 1024, 12);
    expect(binomialTail(3, 0.2, 4)).toBe(0);
  });

  it('should not fire on the pattern every village raised before: 4 of 6 records on 3 of 8 households', () => {
    const result = concentration([2, 1, 1, 1, 1], 8);
    expect(result.top).toBe(4);
    expect(result.pValue).toBe(1);
    expect(fires(result, 1)).toBe(false);
    // Nor the demo's busiest month: 8 of 10 records on 3 of 8 households.
    expect(fires(concentration([3, 3, 2, 1, 1], 8), 3)).toBe(false);
  });

  it('should raise at most the expected 1% of signals in 2,000 fair random villages of 8 to 60 households', () => {
    const random = prng(20261203);
    let signals = 0;
    let belowFivePercent = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const households = 8 + Math.floor(random() * 53);
      const records = CONCENTRATION_MIN_RECORDS + Math.floor(random() * 71);
      const result = concentration(fairCounts(random, households, records), households);
      if (fires(result, 1)) signals++;
      if (result.pValue < 0.05) belowFivePercent++;
    }
    // At p < 0.01 a valid test flags at most 1% of fair villages (20 of 2,000); the union bound is conservative.
    expect(signals).toBeLessThanOrEqual(20);
    expect(belowFivePercent).toBeLessThanOrEqual(100);
  });

  it('should raise no signal in 200 fair villages the size of the demo’s (6 to 8 households, 10 to 16 records)', () => {
    const random = prng(42);
    let signals = 0;
    for (let trial = 0; trial < 200; trial++) {
      const households = 6 + Math.floor(random() * 3);
      const records = 10 + Math.floor(random() * 7);
      if (fires(concentration(fairCounts(random, households, records), households), 3)) signals++;
    }
    expect(signals).toBe(0);
  });

  it('should fire when 3 of 40 households get 70% of 60 reward records', () => {
    const random = prng(7);
    const others = fairCounts(random, 37, 18);
    const result = concentration([14, 14, 14, ...others], 40);
    expect(result).toMatchObject({ records: 60, top: 42, topHouseholds: 3 });
    expect(result.pValue).toBeLessThan(1e-6);
    // Still fires after a Bonferroni correction for 30 scorer–village pairs tested in the township.
    expect(fires(result, 30)).toBe(true);
  });

  it('should not test a scorer with fewer records than the minimum, however concentrated', () => {
    const result = concentration([CONCENTRATION_MIN_RECORDS - 1], 40);
    expect(result.pValue).toBeLessThan(FAIRNESS_ALPHA);
    expect(fires(result, 1)).toBe(false);
  });

  it('should divide the threshold by the number of pairs tested', () => {
    const result = concentration([5, 4, 3, 1, 1], 30);
    expect(result.pValue).toBeLessThan(FAIRNESS_ALPHA);
    expect(fires(result, 1)).toBe(true);
    expect(fires(result, Math.ceil(FAIRNESS_ALPHA / result.pValue) + 1)).toBe(false);
  });

  it('should say a chance in words', () => {
    expect(chanceInWords(3.2e-5)).toBe('约十万分之 3.2');
    expect(chanceInWords(0.004)).toBe('约千分之 4');
    expect(chanceInWords(1e-9)).toBe('不到百万分之一');
  });
});

import { competitionRanks, parseThresholds, starsFor } from './ranks.js';

describe('ranks', () => {
  it('should share a rank between equal points and skip the next ranks (1, 2, 2, 4)', () => {
    const ranked = competitionRanks([
      { points: 30 },
      { points: 20 },
      { points: 20 },
      { points: 5 },
      { points: 5 },
    ]);
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 2, 4, 4]);
  });

  it('should give everyone rank 1 when nobody has points yet', () => {
    expect(competitionRanks([{ points: 0 }, { points: 0 }]).map((r) => r.rank)).toEqual([1, 1]);
    expect(competitionRanks([])).toEqual([]);
  });

  it('should count stars against the thresholds reached', () => {
    const t = [50, 100, 200, 300, 500];
    expect([0, 49, 50, 199, 200, 500, 9999].map((p) => starsFor(p, t))).toEqual([0, 0, 1, 2, 3, 5, 5]);
  });

  it('should read thresholds only as five rising positive numbers', () => {
    expect(parseThresholds('50,100,200,300,500')).toEqual([50, 100, 200, 300, 500]);
    expect(parseThresholds('50，100 200,300,500')).toEqual([50, 100, 200, 300, 500]);
    expect(parseThresholds('50,40,200,300,500')).toBeNull();
    expect(parseThresholds('50,100,200')).toBeNull();
    expect(parseThresholds('0,100,200,300,500')).toBeNull();
  });
});

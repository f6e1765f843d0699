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

  it('should give no rank to a household without points, listed after the ranked ones', () => {
    expect(competitionRanks([{ points: 0 }, { points: 0 }]).map((r) => r.rank)).toEqual([null, null]);
    expect(competitionRanks([])).toEqual([]);
    const mixed = competitionRanks([
      { id: 'a', points: 20 },
      { id: 'b', points: 0 },
      { id: 'c', points: 0 },
      { id: 'd', points: -5 },
    ]);
    expect(mixed.map((r) => [r.id, r.rank])).toEqual([
      ['a', 1],
      ['d', 2],
      ['b', null],
      ['c', null],
    ]);
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

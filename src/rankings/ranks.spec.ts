import { monthsOf, parsePeriod, periodKeysOf } from './periods.js';
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

describe('periods', () => {
  it('should put a day in its month, quarter and year', () => {
    expect(periodKeysOf('2026-11-22')).toEqual(['2026-11', '2026-Q4', '2026']);
    expect(periodKeysOf('2026-03-31')).toEqual(['2026-03', '2026-Q1', '2026']);
    expect(periodKeysOf('2026-04-01')).toEqual(['2026-04', '2026-Q2', '2026']);
  });

  it('should know the bounds and the previous period across year boundaries', () => {
    expect(parsePeriod('2026-01')).toMatchObject({
      start: '2026-01-01',
      next: '2026-02-01',
      previous: '2025-12',
    });
    expect(parsePeriod('2026-12')).toMatchObject({
      next: '2027-01-01',
      previous: '2026-11',
      label: '2026年12月',
    });
    expect(parsePeriod('2026-Q1')).toMatchObject({
      start: '2026-01-01',
      next: '2026-04-01',
      previous: '2025-Q4',
    });
    expect(parsePeriod('2026-Q4')).toMatchObject({
      start: '2026-10-01',
      next: '2027-01-01',
      label: '2026年第四季度',
    });
    expect(parsePeriod('2026')).toMatchObject({ start: '2026-01-01', next: '2027-01-01', previous: '2025' });
  });

  it('should refuse what is not a period', () => {
    for (const bad of ['2026-13', '2026-Q5', '26', '2026-1', '', '2026-11-01'])
      expect(parsePeriod(bad)).toBeNull();
  });

  it('should list the months of a quarter', () => {
    expect(monthsOf(parsePeriod('2026-Q4')!)).toEqual(['2026-10', '2026-11', '2026-12']);
  });
});

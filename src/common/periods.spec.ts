import { monthsOf, parsePeriod, periodKeysOf } from './periods.js';

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

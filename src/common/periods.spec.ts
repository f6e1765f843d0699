import { monthsOf, parsePeriod, periodChoices, periodEnded, periodKeysOf } from './periods.js';

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

  it('should read a period as people type it', () => {
    const keys = (texts: string[]) => texts.map((text) => parsePeriod(text)?.key ?? null);
    expect(
      keys(['2026年11月', '2026年1月', '2026年01月', '2026年3月份', ' 2026 年 11 月 ', '２０２６年１１月']),
    ).toEqual(['2026-11', '2026-01', '2026-01', '2026-03', '2026-11', '2026-11']);
    expect(
      keys(['2026年第4季度', '2026年第四季度', '2026年4季度', '2026第一季度', '2026q2', '2026Q3']),
    ).toEqual(['2026-Q4', '2026-Q4', '2026-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
    expect(keys(['2026年', '2026年度'])).toEqual(['2026', '2026']);
    expect(parsePeriod('2026年11月')).toMatchObject({
      label: '2026年11月',
      start: '2026-11-01',
      kind: 'month',
    });
    for (const bad of ['2026年13月', '2026年0月', '2026年第5季度', '2026年第四', '11月', '2026年11月1日'])
      expect(parsePeriod(bad)).toBeNull();
  });

  it('should call a period over only from the day after its last day', () => {
    expect(periodEnded(parsePeriod('2026-11')!, '2026-12-03')).toBe(true);
    expect(periodEnded(parsePeriod('2026-12')!, '2026-12-03')).toBe(false);
    expect(periodEnded(parsePeriod('2026-12')!, '2026-12-31')).toBe(false);
    expect(periodEnded(parsePeriod('2026-12')!, '2027-01-01')).toBe(true);
    expect(periodEnded(parsePeriod('2027-01')!, '2026-12-03')).toBe(false);
    expect(periodEnded(parsePeriod('2026-Q4')!, '2026-12-03')).toBe(false);
    expect(periodEnded(parsePeriod('2026')!, '2026-12-31')).toBe(false);
  });

  it('should offer months, quarters and years up to the running ones, marked, and the chosen one', () => {
    const [months, quarters, years] = periodChoices(parsePeriod('2026-11')!, '2026-12-03');
    expect(months.options).toHaveLength(24);
    expect(months.options[0]).toEqual({ key: '2026-12', label: '2026年12月（进行中）', selected: false });
    expect(months.options[1]).toEqual({ key: '2026-11', label: '2026年11月', selected: true });
    expect(quarters.options[0].label).toBe('2026年第四季度（进行中）');
    expect(quarters.options.map((o) => o.key).slice(0, 2)).toEqual(['2026-Q4', '2026-Q3']);
    expect(years.options.map((o) => o.key)).toEqual(['2026', '2025', '2024', '2023', '2022']);
    const old = periodChoices(parsePeriod('2019')!, '2026-12-03')[2].options;
    expect(old.at(-1)).toEqual({ key: '2019', label: '2019年', selected: true });
    const future = periodChoices(parsePeriod('2027-01')!, '2026-12-03')[0].options;
    expect(future[0]).toEqual({ key: '2027-01', label: '2027年1月（未开始）', selected: true });
  });
});

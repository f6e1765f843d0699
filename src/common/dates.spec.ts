import { addDays, chinaTime, isRealDate, periodBounds, todayInChina } from './dates.js';

describe('village dates', () => {
  it('should give the China date when UTC is still on the day before', () => {
    expect(todayInChina(new Date('2026-11-21T17:30:00Z'))).toBe('2026-11-22');
  });

  it('should date an entry made before 8 am China time on its China day, not the UTC one', () => {
    expect(todayInChina(new Date('2026-11-22T23:30:00.000Z'))).toBe('2026-11-23');
  });

  it('should agree with the Asia/Shanghai time zone at every day boundary of a year', () => {
    const zone = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' });
    for (let day = 0; day < 366; day++) {
      const midnight = Date.UTC(2026, 0, 1, 16) + day * 86_400_000; // 00:00 in China
      for (const moment of [midnight - 1, midnight, midnight + 1]) {
        expect(todayInChina(new Date(moment))).toBe(zone.format(new Date(moment)));
      }
    }
  });

  it('should write a moment in China time as people read it', () => {
    expect(chinaTime('2026-01-02T17:05:09Z')).toBe('2026/1/3 01:05:09');
    expect(chinaTime(new Date('2026-11-22T10:45:09Z'))).toBe('2026/11/22 18:45:09');
  });

  it('should add days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('should refuse days that do not exist', () => {
    expect(isRealDate('2026-02-30')).toBe(false);
    expect(isRealDate('2028-02-29')).toBe(true);
    expect(isRealDate('2026-13-01')).toBe(false);
  });

  it('should bound the month and the year of a day', () => {
    expect(periodBounds('2026-12-15', 'month')).toEqual({ start: '2026-12-01', next: '2027-01-01' });
    expect(periodBounds('2026-05-15', 'year')).toEqual({ start: '2026-01-01', next: '2027-01-01' });
  });
});

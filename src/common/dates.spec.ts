import { addDays, isRealDate, periodBounds, todayInChina } from './dates.js';

describe('village dates', () => {
  it('should give the China date when UTC is still on the day before', () => {
    expect(todayInChina(new Date('2026-11-21T17:30:00Z'))).toBe('2026-11-22');
  });

  it('should date an entry made before 8 am China time on its China day, not the UTC one', () => {
    expect(todayInChina(new Date('2026-11-22T23:30:00.000Z'))).toBe('2026-11-23');
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

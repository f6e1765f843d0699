import {
  addDays,
  chinaDay,
  chinaTime,
  chinaTimeSeconds,
  isRealDate,
  periodBounds,
  todayInChina,
} from './dates.js';

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

  it('should write a moment in China time as YYYY-MM-DD HH:MM, with seconds where asked', () => {
    expect(chinaTime('2026-01-02T17:05:09Z')).toBe('2026-01-03 01:05');
    expect(chinaTime(new Date('2026-11-22T10:45:09Z'))).toBe('2026-11-22 18:45');
    expect(chinaTimeSeconds('2026-12-03T13:51:14.845Z')).toBe('2026-12-03 21:51:14');
    expect(chinaTimeSeconds(Date.UTC(2026, 11, 31, 16, 0, 0))).toBe('2027-01-01 00:00:00');
  });

  it('should read a zoneless stored time (raw SQLite) as UTC, whatever the server zone', () => {
    expect(chinaTimeSeconds('2026-12-03 13:51:14')).toBe('2026-12-03 21:51:14');
    expect(chinaTime('2026-12-03 13:51:14.845')).toBe('2026-12-03 21:51');
    expect(chinaTime('2026-12-03T05:51:14+08:00')).toBe('2026-12-03 05:51');
  });

  it('should give the China day of a moment and nothing for no moment', () => {
    expect(chinaDay('2026-12-03T16:00:00Z')).toBe('2026-12-04');
    expect(chinaDay(new Date('2026-12-03T15:59:59Z'))).toBe('2026-12-03');
    for (const none of [null, undefined, '', 'not a time']) {
      expect(chinaTime(none)).toBe('');
      expect(chinaTimeSeconds(none)).toBe('');
      expect(chinaDay(none)).toBe('');
    }
  });

  it('should agree with the Asia/Shanghai zone across a year', () => {
    const zone = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Asia/Shanghai',
      dateStyle: 'short',
      timeStyle: 'medium',
    });
    for (let hour = 0; hour < 366 * 24; hour += 7) {
      const moment = new Date(Date.UTC(2026, 0, 1) + hour * 3600_000 + 59_123);
      expect(chinaTimeSeconds(moment)).toBe(zone.format(moment));
    }
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

import { isYearlyDay, lastOccurrence, nextReset, noticeDue } from './reset-dates.js';

describe('reset dates', () => {
  it('should accept days every year has and refuse 02-29 and impossible days', () => {
    expect(isYearlyDay('12-31')).toBe(true);
    expect(isYearlyDay('02-28')).toBe(true);
    expect(isYearlyDay('02-29')).toBe(false);
    expect(isYearlyDay('04-31')).toBe(false);
    expect(isYearlyDay('13-01')).toBe(false);
  });

  it('should find the latest reset day on or before today', () => {
    expect(lastOccurrence('12-31', '2026-11-22')).toBe('2025-12-31');
    expect(lastOccurrence('01-15', '2026-11-22')).toBe('2026-01-15');
    expect(lastOccurrence('11-22', '2026-11-22')).toBe('2026-11-22');
  });

  it('should give this year’s day when it is ahead and nothing is settled after last year', () => {
    expect(nextReset('12-31', '2025-12-31', '2026-11-22')).toBe('2026-12-31');
  });

  it('should give a passed day that was never carried out (the server was down on the day)', () => {
    expect(nextReset('11-20', '2025-11-20', '2026-11-22')).toBe('2026-11-20');
  });

  it('should give next year’s day when this year’s is settled', () => {
    expect(nextReset('11-20', '2026-11-20', '2026-11-22')).toBe('2027-11-20');
  });

  it('should tell households within 30 days before, and on the day', () => {
    expect(noticeDue('2026-12-31', '2026-11-22')).toBe(false);
    expect(noticeDue('2026-12-31', '2026-12-01')).toBe(true);
    expect(noticeDue('2026-12-31', '2026-12-31')).toBe(true);
    expect(noticeDue('2026-12-31', '2027-01-01')).toBe(false);
  });
});

import { describe, expect, it } from '@jest/globals';
import { loadSettings, SettingsError } from '../config/settings.js';
import {
  PUBLICATION_DEFAULT_DAYS,
  PUBLICATION_MAX_DAYS,
  windowDaysError,
  windowDaysHint,
} from './publication-window.js';

describe('the 公示 window', () => {
  it('should accept the default and both limits when the county minimum is 1', () => {
    expect(windowDaysError(PUBLICATION_DEFAULT_DAYS, 1)).toBeNull();
    expect(windowDaysError(1, 1)).toBeNull();
    expect(windowDaysError(PUBLICATION_MAX_DAYS, 1)).toBeNull();
  });

  it('should refuse a window longer than the maximum when the days exceed 15', () => {
    expect(windowDaysError(PUBLICATION_MAX_DAYS + 1, 0)).toBe('公示天数最多 15 天');
  });

  it('should refuse a window shorter than the county minimum when the days are below it', () => {
    expect(windowDaysError(2, 3)).toBe('公示天数应为 3–15 天');
    expect(windowDaysError(0, 1)).toBe('公示天数应为 1–15 天');
    expect(windowDaysError(0, 0)).toBeNull();
  });

  it('should refuse part of a day when the days are not a whole number', () => {
    expect(windowDaysError(2.5, 1)).toBe('公示天数应为整数');
  });

  it('should print the limits and the default in the hint when the page shows the field', () => {
    expect(windowDaysHint(1)).toBe('1–15 天，通常 7 天');
  });

  it('should bound the PUBLICATION_MIN_DAYS setting by the same maximum when the server starts', () => {
    const env = (days: number) => ({ SESSION_SECRET: 'x'.repeat(40), PUBLICATION_MIN_DAYS: String(days) });
    expect(loadSettings(env(PUBLICATION_MAX_DAYS)).publicationMinDays).toBe(PUBLICATION_MAX_DAYS);
    expect(() => loadSettings(env(PUBLICATION_MAX_DAYS + 1))).toThrow(SettingsError);
  });
});

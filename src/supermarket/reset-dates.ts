import { addDays, isRealDate } from '../common/dates.js';

/** Days before a reset when the passbook starts telling the household about it. */
export const RESET_NOTICE_DAYS = 30;

/** A month-day every year has (02-29 is refused: a reset must not skip three years out of four). */
export function isYearlyDay(monthDay: string): boolean {
  return /^\d{2}-\d{2}$/.test(monthDay) && monthDay !== '02-29' && isRealDate(`2024-${monthDay}`);
}

/** The latest reset day on or before `today` (this year's, or last year's if this year's is still ahead). */
export function lastOccurrence(monthDay: string, today: string): string {
  const year = Number(today.slice(0, 4));
  const thisYear = `${year}-${monthDay}`;
  return thisYear <= today ? thisYear : `${year - 1}-${monthDay}`;
}

/** The next reset day that has not been carried out: after `settledUpTo`, and never before today. */
export function nextReset(monthDay: string, settledUpTo: string | null, today: string): string {
  const year = Number(today.slice(0, 4));
  for (const candidate of [`${year - 1}-${monthDay}`, `${year}-${monthDay}`, `${year + 1}-${monthDay}`]) {
    if (candidate > (settledUpTo ?? '') && candidate >= lastOccurrence(monthDay, today)) return candidate;
  }
  return `${year + 1}-${monthDay}`;
}

/** True when the notice should show: the reset is due within RESET_NOTICE_DAYS days (or is due today). */
export function noticeDue(resetDay: string, today: string): boolean {
  return resetDay >= today && resetDay <= addDays(today, RESET_NOTICE_DAYS);
}

/** A village's 清零 settings (the supermarket's settings row). */
export interface ResetSettings {
  resetEnabled: boolean;
  resetOn: string;
  resetKeep: number;
  lastResetOn: string | null;
}

/** What a household is told before a reset: the day and the points kept, or null when none is coming soon. */
export function resetNotice(village: ResetSettings, today: string): { on: string; keep: number } | null {
  if (!village.resetEnabled) return null;
  const on = nextReset(village.resetOn, village.lastResetOn, today);
  return noticeDue(on, today) ? { on, keep: village.resetKeep } : null;
}

/** Dates as the village sees them: China time, `YYYY-MM-DD`. */
export const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const CHINA_OFFSET_MS = 8 * 3600_000;

/**
 * The China day of a moment. China keeps UTC+8 all year (no summer time since 1991), so this is arithmetic: building
 * an Intl formatter per call cost a quarter of a passbook page's time at county scale.
 */
export function todayInChina(now = new Date()): string {
  return new Date(now.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * A moment as it is stored: a Date, an ISO string, or the `2026-12-03 13:51:14` a raw SQLite query gives back (UTC
 * without a zone, as the audit log writes it; `new Date` would read that as the server's local time).
 */
export type Moment = Date | string | number | null | undefined;

/** The instant of a stored moment (zoneless strings read as UTC), or null for none or nonsense. */
export function parseMoment(value: Moment): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const utc =
    typeof value === 'string' && /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(value)
      ? `${value.replace(' ', 'T')}Z`
      : value;
  const at = new Date(utc);
  return Number.isNaN(at.getTime()) ? null : at;
}

function chinaClock(value: Moment): string | null {
  const at = parseMoment(value);
  // `YYYY-MM-DDTHH:MM:SS.mmmZ` of the China wall clock (UTC+8 all year, see todayInChina).
  return at ? new Date(at.getTime() + CHINA_OFFSET_MS).toISOString() : null;
}

/**
 * A moment as every page, print, export and notice shows it: China time, `2026-12-03 21:51` (empty for none).
 * The JSON API keeps ISO timestamps; only what people read goes through here.
 */
export function chinaTime(value: Moment): string {
  const clock = chinaClock(value);
  return clock ? `${clock.slice(0, 10)} ${clock.slice(11, 16)}` : '';
}

/** The same with seconds, where a receipt or the audit log needs them: `2026-12-03 21:51:08`. */
export function chinaTimeSeconds(value: Moment): string {
  const clock = chinaClock(value);
  return clock ? `${clock.slice(0, 10)} ${clock.slice(11, 19)}` : '';
}

/** The China day of a stored moment, `2026-12-03` (empty for none): the one format for days. */
export function chinaDay(value: Moment): string {
  return chinaClock(value)?.slice(0, 10) ?? '';
}

/** `day` plus n days (n may be negative). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** True for a real calendar day (not 2026-02-30). */
export function isRealDate(day: string): boolean {
  return DATE_PATTERN.test(day) && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
}

/** The first day of the month or year containing `day`, and the first day of the next one. */
export function periodBounds(day: string, period: 'month' | 'year'): { start: string; next: string } {
  const [y, m] = day.split('-').map(Number);
  if (period === 'year') return { start: `${y}-01-01`, next: `${y + 1}-01-01` };
  const nextMonth = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { start: `${y}-${String(m).padStart(2, '0')}-01`, next: nextMonth };
}

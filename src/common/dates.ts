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

const CHINA_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  hour12: false,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** A moment in China time as people read it (`2026/11/22 18:45:09`), with one formatter made once. */
export function chinaTime(value: Date | string): string {
  return CHINA_TIME.format(new Date(value));
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

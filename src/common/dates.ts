/** Dates as the village sees them: China time, `YYYY-MM-DD`. */
export const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function todayInChina(now = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(now);
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

import { todayInChina } from './dates.js';

/** A ranking period: a month `2026-11`, a quarter `2026-Q4` or a year `2026`. */
export type PeriodKind = 'month' | 'quarter' | 'year';

export interface Period {
  key: string;
  kind: PeriodKind;
  /** First day, and the first day after it (YYYY-MM-DD). */
  start: string;
  next: string;
  /** The period before it, of the same kind (for the change of rank). */
  previous: string;
  /** As people say it: 2026年11月, 2026年第四季度, 2026年. */
  label: string;
  year: number;
}

const QUARTER_NAMES = ['一', '二', '三', '四'];
const pad = (n: number) => String(n).padStart(2, '0');

/** The month, quarter and year a day counts towards: the per-period totals of an entry dated that day. */
export function periodKeysOf(day: string): [string, string, string] {
  const year = day.slice(0, 4);
  const month = Number(day.slice(5, 7));
  return [day.slice(0, 7), `${year}-Q${Math.ceil(month / 3)}`, year];
}

/** Reads `2026-11`, `2026-Q4` or `2026`; null for anything else. */
export function parsePeriod(text: string): Period | null {
  let m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    const prev = mo === 1 ? `${y - 1}-12` : `${y}-${pad(mo - 1)}`;
    const next = mo === 12 ? `${y + 1}-01-01` : `${y}-${pad(mo + 1)}-01`;
    return {
      key: text,
      kind: 'month',
      start: `${y}-${pad(mo)}-01`,
      next,
      previous: prev,
      label: `${y}年${mo}月`,
      year: y,
    };
  }
  m = /^(\d{4})-Q([1-4])$/.exec(text);
  if (m) {
    const [y, q] = [Number(m[1]), Number(m[2])];
    const firstMonth = (q - 1) * 3 + 1;
    const next = q === 4 ? `${y + 1}-01-01` : `${y}-${pad(firstMonth + 3)}-01`;
    const previous = q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`;
    return {
      key: text,
      kind: 'quarter',
      start: `${y}-${pad(firstMonth)}-01`,
      next,
      previous,
      label: `${y}年第${QUARTER_NAMES[q - 1]}季度`,
      year: y,
    };
  }
  m = /^(\d{4})$/.exec(text);
  if (m) {
    const y = Number(m[1]);
    return {
      key: text,
      kind: 'year',
      start: `${y}-01-01`,
      next: `${y + 1}-01-01`,
      previous: String(y - 1),
      label: `${y}年`,
      year: y,
    };
  }
  return null;
}

/** The current period of a kind, in China time. */
export function currentPeriod(kind: PeriodKind = 'month', today = todayInChina()): Period {
  const [month, quarter, year] = periodKeysOf(today);
  return parsePeriod(kind === 'month' ? month : kind === 'quarter' ? quarter : year) as Period;
}

/** The months of a period, in order (for trends). */
export function monthsOf(period: Period): string[] {
  const months: string[] = [];
  for (let d = period.start; d < period.next;) {
    months.push(d.slice(0, 7));
    const [y, m] = [Number(d.slice(0, 4)), Number(d.slice(5, 7))];
    d = m === 12 ? `${y + 1}-01-01` : `${y}-${pad(m + 1)}-01`;
  }
  return months;
}

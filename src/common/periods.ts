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

const QUARTER_DIGITS: Record<string, string> = { 一: '1', 二: '2', 三: '3', 四: '4' };

/**
 * What people type for a period, as its key: `2026年11月`, `2026年1月份` → `2026-01`; `2026年第4季度`, `2026年第四季度`,
 * `2026q4` → `2026-Q4`; `2026年`, `2026年度` → `2026`. Full-width digits and spaces are read as typed; anything else is
 * returned as it is (and refused by parsePeriod unless it already is a key).
 */
export function periodKeyOf(text: string): string {
  const t = text
    .replace(/[\uff10-\uff19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000]+/g, '');
  let m = /^(\d{4})年(\d{1,2})月份?$/.exec(t);
  if (m) return `${m[1]}-${m[2].padStart(2, '0')}`;
  m = /^(\d{4})年?第?([1-4一二三四])季度$/.exec(t) ?? /^(\d{4})-?[Qq]([1-4])$/.exec(t);
  if (m) return `${m[1]}-Q${QUARTER_DIGITS[m[2]] ?? m[2]}`;
  m = /^(\d{4})年度?$/.exec(t);
  if (m) return m[1];
  return t;
}

/**
 * Reads `2026-11`, `2026-Q4` or `2026`, or as people write them (`2026年11月`, `2026年第4季度`, `2026年`: see
 * periodKeyOf); null for anything else.
 */
export function parsePeriod(typed: string): Period | null {
  const text = periodKeyOf(typed);
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

/** Whether a period is over on a day (YYYY-MM-DD): only then are its points final and its ranking submitted. */
export function periodEnded(period: Period, today: string): boolean {
  return period.next <= today;
}

/** `2027-01-01` → `2027年1月1日`. */
export function dayLabel(day: string): string {
  return `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
}

export interface PeriodChoice {
  key: string;
  label: string;
  selected: boolean;
}

/**
 * The periods a picker offers, newest first: the last 24 months, 8 quarters and 5 years up to the running ones (each
 * marked 进行中), and the chosen period wherever it lies, so that the picker always shows what the page is about.
 */
export function periodChoices(
  chosen: Period,
  today: string,
): { kind: PeriodKind; label: string; options: PeriodChoice[] }[] {
  const groups: { kind: PeriodKind; label: string; count: number }[] = [
    { kind: 'month', label: '按月', count: 24 },
    { kind: 'quarter', label: '按季度', count: 8 },
    { kind: 'year', label: '按年', count: 5 },
  ];
  return groups.map(({ kind, label, count }) => {
    const periods: Period[] = [];
    for (let p = currentPeriod(kind, today); periods.length < count; p = parsePeriod(p.previous) as Period)
      periods.push(p);
    if (chosen.kind === kind && !periods.some((p) => p.key === chosen.key)) {
      periods.push(chosen);
      periods.sort((a, b) => (a.start < b.start ? 1 : -1));
    }
    return {
      kind,
      label,
      options: periods.map((p) => ({
        key: p.key,
        label:
          p.start > today ? `${p.label}（未开始）` : periodEnded(p, today) ? p.label : `${p.label}（进行中）`,
        selected: p.key === chosen.key,
      })),
    };
  });
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

import { chinaTime } from '../common/dates.js';
import { LEVELS_MAX } from './credit-grade-rules.js';
import type { GradeRulesView, GradesView } from './credit-grades.service.js';

/** The rules form's rows: `level0Name`, `level0MinPoints`, `level0MinStars` … (rows left empty are not grades). */
export const LEVEL_ROWS = [...Array(LEVELS_MAX).keys()].map((i) => ({
  legend: `第 ${i + 1} 级`,
  name: `level${i}Name`,
  minPoints: `level${i}MinPoints`,
  minStars: `level${i}MinStars`,
}));

/** The stored (or suggested) rules as the form's values. */
export function rulesValues(rules: GradeRulesView): Record<string, string> {
  const values: Record<string, string> = { blackListGrade: rules.blackListGrade };
  rules.levels.forEach((l, i) => {
    values[`level${i}Name`] = l.name;
    values[`level${i}MinPoints`] = String(l.minPoints);
    values[`level${i}MinStars`] = String(l.minStars);
  });
  return values;
}

/** The rules form's rows with their values, and the black-list grade's choices (the grades named in the rows). */
export function rulesForm(values: Record<string, unknown>) {
  const text = (key: string) => String(values[key] ?? '');
  const rows = LEVEL_ROWS.map((r) => ({
    ...r,
    nameValue: text(r.name),
    minPointsValue: text(r.minPoints),
    minStarsValue: text(r.minStars),
  }));
  return {
    levelRows: rows,
    blackListGradeValue: text('blackListGrade'),
    levelOptions: rows.filter((r) => r.nameValue.trim() !== '').map((r) => r.nameValue.trim()),
  };
}

/** The form's filled rows as the API's `levels`, and which form row each level came from. */
export function levelsOf(body: Record<string, unknown>) {
  const rows = LEVEL_ROWS.map((_, i) => i).filter((i) => String(body[`level${i}Name`] ?? '').trim() !== '');
  const levels = rows.map((i) => ({
    name: body[`level${i}Name`],
    minPoints: String(body[`level${i}MinPoints`] ?? '').trim() === '' ? 0 : body[`level${i}MinPoints`],
    minStars: String(body[`level${i}MinStars`] ?? '').trim() === '' ? 0 : body[`level${i}MinStars`],
  }));
  return { rows, levels };
}

/** The API's field names (`levels.1.minPoints`) as the form's (`level1MinPoints`). */
export function formField(key: string, rows: number[]): string {
  const m = /^levels\.(\d+)\.(\w+)$/.exec(key);
  if (!m) return key === 'levels' ? 'level0Name' : key;
  const row = rows[Number(m[1])] ?? 0;
  const part = { name: 'Name', minPoints: 'MinPoints', minStars: 'MinStars' }[m[2]] ?? 'Name';
  return `level${row}${part}`;
}

/** A year's grades as the page reads them: counts per grade, the village grade, the dates in Beijing time. */
export function gradesPage(view: GradesView, today: string) {
  const counts = view.levels.map((l) => ({
    name: l.name,
    count: view.rows.filter((r) => r.grade === l.name).length,
  }));
  return {
    ...view,
    counts,
    inWindow: view.status === 'PUBLICIZING' && !!view.windowEndsOn && view.windowEndsOn >= today,
    windowOver: view.status === 'PUBLICIZING' && !!view.windowEndsOn && view.windowEndsOn < today,
    computedLabel: chinaTime(view.computedAt),
    filedLabel: chinaTime(view.filedAt),
    rows: view.rows.map((r) => ({
      ...r,
      starsLabel: r.stars > 0 ? `${r.stars} 星` : '无',
      adjusted: r.grade !== r.computedGrade,
    })),
    objections: view.objections.map((o) => ({
      ...o,
      open: o.status === 'OPEN',
      what: `${o.householdCode} ${o.headName}家（${o.gradeBefore ?? ''}）`,
    })),
  };
}

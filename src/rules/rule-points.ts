import type { RuleView } from './rules.service.js';

/** The range a rule allows, from what was given: a fixed `points`, or `minPoints`..`maxPoints`. */
export function pointsRange(input: {
  points?: number;
  minPoints?: number;
  maxPoints?: number;
}): { min: number; max: number } | { error: Record<string, string> } {
  if (input.points !== undefined) {
    if (input.minPoints !== undefined || input.maxPoints !== undefined) {
      return { error: { points: '固定分值和区间分值只能填一种' } };
    }
    if (input.points === 0) return { error: { points: '分值不能为 0' } };
    return { min: input.points, max: input.points };
  }
  if (input.minPoints === undefined || input.maxPoints === undefined) {
    return { error: { points: '请填写固定分值，或同时填写区间的下限和上限' } };
  }
  const { minPoints: min, maxPoints: max } = input;
  if (min >= max) return { error: { maxPoints: '区间上限应大于下限' } };
  if (min === 0 || max === 0 || Math.sign(min) !== Math.sign(max)) {
    return { error: { minPoints: '区间两端应同为加分或同为扣分，且不能为 0' } };
  }
  return { min, max };
}

/** The points a record gets when none are given: a fixed value, or for a range the end nearest zero. */
export function defaultPoints(min: number, max: number): number {
  return Math.abs(min) <= Math.abs(max) ? min : max;
}

export function withinRange(points: number, min: number, max: number): boolean {
  return Number.isInteger(points) && points >= min && points <= max;
}

/** What a reviewer or recorder is told when points fall outside a rule's range. */
export function outsideRange(min: number, max: number): string {
  return `分值应在 ${min} 到 ${max} 之间`;
}

/** "+15" or "−20", with a real minus sign, as the printed lists write it. */
export function signedPoints(points: number): string {
  return points > 0 ? `+${points}` : `−${Math.abs(points)}`;
}

/** A rule's points: fixed ("+15") or a range, the end nearest zero first ("+5～+20", "−10～−30"). */
export function pointsLabel(rule: { minPoints: number; maxPoints: number }): string {
  const { minPoints: min, maxPoints: max } = rule;
  if (min === max) return signedPoints(min);
  const [near, far] = Math.abs(min) <= Math.abs(max) ? [min, max] : [max, min];
  return `${signedPoints(near)}～${signedPoints(far)}`;
}

/** "每户每月最多 4 次", or '' when the rule has no cap. */
function capLabel(rule: { capCount: number | null; capPeriod: 'month' | 'year' | null }): string {
  if (!rule.capCount || !rule.capPeriod) return '';
  return `每户每${rule.capPeriod === 'month' ? '月' : '年'}最多 ${rule.capCount} 次`;
}

/** A rule with what the list, the selects and the notice board print beside it. */
export function ruleLine(rule: RuleView) {
  return {
    ...rule,
    pointsLabel: pointsLabel(rule),
    capLabel: capLabel(rule),
    isRange: rule.minPoints !== rule.maxPoints,
    deduction: rule.maxPoints < 0,
  };
}

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

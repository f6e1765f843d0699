import { defaultPoints } from '../rules/rule-points.js';

/**
 * The points of one attendee when an activity is closed: points per hour × hours when both are given (rounded to a
 * whole point), else the rule's default points for one attendance; always clamped into the rule's range, so that a
 * long day never gives more than the rule allows and a short one never less.
 */
export function attendeePoints(
  rule: { minPoints: number; maxPoints: number },
  pointsPerHour: number | null,
  hours: number | null,
): number {
  const wanted =
    pointsPerHour !== null && hours !== null
      ? Math.round(pointsPerHour * hours)
      : defaultPoints(rule.minPoints, rule.maxPoints);
  return Math.min(rule.maxPoints, Math.max(rule.minPoints, wanted));
}

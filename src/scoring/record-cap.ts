import { periodBounds } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import type { RecordStatus } from './score-record.entity.js';

/** A rule's cap (DOMAIN.md "Rules"): at most `capCount` records per household per month or year. */
export interface RuleCap {
  capCount: number | null;
  capPeriod: 'month' | 'year' | null;
}

/** A record no longer on its way to the passbook does not count against a cap. */
export const NOT_COUNTED: readonly RecordStatus[] = ['REJECTED', 'REVOKED'];

/**
 * The period a deed on `occurredOn` counts in: from `start` up to (not including) `next`; null when the rule has no
 * cap.
 */
export function capPeriodOf(rule: RuleCap, occurredOn: string): { start: string; next: string } | null {
  if (!rule.capCount || !rule.capPeriod) return null;
  return periodBounds(occurredOn, rule.capPeriod);
}

/**
 * The refusal when the household already has `used` counted records of the rule in the period that ends before
 * `next`; null while one more may be recorded.
 */
export function capRefusal(rule: RuleCap, used: number, next: string): DomainError | null {
  if (!rule.capCount || !rule.capPeriod || used < rule.capCount) return null;
  const period = rule.capPeriod === 'month' ? '当月' : '当年';
  return new DomainError(
    'CAP_REACHED',
    `此项每户${period}最多 ${rule.capCount} 次，已登记满；${next} 起可再登记`,
    {
      freesOn: next,
    },
  );
}

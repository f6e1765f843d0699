import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../common/domain-error.js';
import { capPeriodOf, capRefusal, NOT_COUNTED } from './record-cap.js';

describe('a rule’s cap', () => {
  const monthly = { capCount: 4, capPeriod: 'month' as const };
  const yearly = { capCount: 1, capPeriod: 'year' as const };

  it('should count in the calendar month of the deed when the cap is monthly', () => {
    expect(capPeriodOf(monthly, '2026-03-31')).toEqual({ start: '2026-03-01', next: '2026-04-01' });
    expect(capPeriodOf(monthly, '2026-12-05')).toEqual({ start: '2026-12-01', next: '2027-01-01' });
  });

  it('should count in the calendar year of the deed when the cap is yearly', () => {
    expect(capPeriodOf(yearly, '2026-07-15')).toEqual({ start: '2026-01-01', next: '2027-01-01' });
  });

  it('should not count at all when the rule has no cap', () => {
    expect(capPeriodOf({ capCount: null, capPeriod: null }, '2026-07-15')).toBeNull();
    expect(capRefusal({ capCount: null, capPeriod: null }, 99, '2026-08-01')).toBeNull();
  });

  it('should allow one more record when fewer than the cap are used', () => {
    expect(capRefusal(monthly, 3, '2026-04-01')).toBeNull();
  });

  it('should refuse with CAP_REACHED and the day it frees when the cap is used up', () => {
    const refused = capRefusal(monthly, 4, '2026-04-01');
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused?.code).toBe('CAP_REACHED');
    expect(refused?.message).toBe('此项每户当月最多 4 次，已登记满；2026-04-01 起可再登记');
    expect(refused?.details).toEqual({ freesOn: '2026-04-01' });
    expect(capRefusal(yearly, 1, '2027-01-01')?.message).toContain('每户当年最多 1 次');
  });

  it('should not count rejected or revoked records when it counts what is used', () => {
    expect([...NOT_COUNTED].sort()).toEqual(['REJECTED', 'REVOKED']);
  });
});

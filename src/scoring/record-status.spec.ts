import { describe, expect, it } from '@jest/globals';
import { canMove } from './record-status.js';
import { RECORD_STATUSES } from './score-record.entity.js';

describe('a score record’s life', () => {
  it('should allow the path 登记 → 审核 → 公示 → 入账 when nothing goes wrong', () => {
    expect(canMove('PENDING', 'APPROVED')).toBe(true);
    expect(canMove('APPROVED', 'PUBLICIZING')).toBe(true);
    expect(canMove('PUBLICIZING', 'POSTED')).toBe(true);
  });

  it('should refuse posting when the record is under objection or not yet published', () => {
    expect(canMove('OBJECTED', 'POSTED')).toBe(false);
    expect(canMove('APPROVED', 'POSTED')).toBe(false);
    expect(canMove('PENDING', 'PUBLICIZING')).toBe(false);
  });

  it('should never move a record out of a final state when it is posted, rejected or revoked', () => {
    for (const final of ['POSTED', 'REJECTED', 'REVOKED'] as const)
      for (const to of RECORD_STATUSES) expect(canMove(final, to)).toBe(false);
  });
});

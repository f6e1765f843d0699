import { describe, expect, it } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import { assertMove, canMove, guardedMove, statesBefore } from './record-status.js';
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

describe('moving a score record', () => {
  it('should let a reviewer act on a pending record only when approving, and on an approved one too when rejecting', () => {
    expect(statesBefore('APPROVED')).toEqual(['PENDING']);
    expect(statesBefore('REJECTED').sort()).toEqual(['APPROVED', 'PENDING']);
  });

  it('should let objections be settled only when the record is under objection', () => {
    expect(statesBefore('REVOKED')).toEqual(['OBJECTED']);
    expect(statesBefore('POSTED')).toEqual(['PUBLICIZING']);
  });

  it('should throw before touching the database when a service asks for a move the table lacks', async () => {
    const manager = {} as EntityManager;
    await expect(guardedMove(manager, 7, 'POSTED', 'APPROVED')).rejects.toThrow(
      'score record 7: POSTED → APPROVED is not a move of its life',
    );
    expect(() => assertMove('PENDING', 'PUBLICIZING')).toThrow('is not a move of its life');
    expect(() => assertMove('APPROVED', 'PUBLICIZING')).not.toThrow();
  });
});

import type { EntityManager } from 'typeorm';
import { updateRowIf } from '../database/raw.js';
import { RecordStatus, ScoreRecord } from './score-record.entity.js';

/**
 * A score record's life (DOMAIN.md "A score's life"), as data: from each state, the states it may move to. Every
 * service that moves a record goes through `guardedMove`, which refuses a move this table does not allow.
 */
export const RECORD_TRANSITIONS: Record<RecordStatus, readonly RecordStatus[]> = {
  PENDING: ['APPROVED', 'REJECTED'],
  APPROVED: ['PUBLICIZING', 'REJECTED'],
  PUBLICIZING: ['OBJECTED', 'POSTED'],
  // A second objection keeps it OBJECTED; dismissing the last one puts it back on the board.
  OBJECTED: ['OBJECTED', 'PUBLICIZING', 'REVOKED'],
  REJECTED: [],
  POSTED: [],
  REVOKED: [],
};

export function canMove(from: RecordStatus, to: RecordStatus): boolean {
  return RECORD_TRANSITIONS[from].includes(to);
}

/**
 * Moves a record from the state it was read in to the next, in one guarded UPDATE (`… WHERE status = from`): false
 * when another transaction moved it first, so nothing acts on a state that is no longer true.
 */
export async function guardedMove(
  manager: EntityManager,
  id: number,
  from: RecordStatus,
  to: RecordStatus,
  also: Partial<ScoreRecord> = {},
): Promise<boolean> {
  if (!canMove(from, to)) throw new Error(`score record ${id}: ${from} → ${to} is not a move of its life`);
  return updateRowIf(manager, ScoreRecord, id, { status: from }, { ...also, status: to });
}

import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
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

/** For a move written as one UPDATE of many records: throws (a programming error) when the table has no such move. */
export function assertMove(from: RecordStatus, to: RecordStatus, what = 'score records'): void {
  if (!canMove(from, to)) throw new Error(`${what}: ${from} → ${to} is not a move of its life`);
}

/** The states from which the table allows a move to `to` (what a reviewer may act on to approve or reject). */
export function statesBefore(to: RecordStatus): RecordStatus[] {
  return (Object.keys(RECORD_TRANSITIONS) as RecordStatus[]).filter((from) => canMove(from, to));
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
  assertMove(from, to, `score record ${id}`);
  return updateRowIf(manager, ScoreRecord, id, { status: from }, { ...also, status: to });
}

/**
 * `guardedMove` for a record already read (and locked): refuses with INVALID_STATE when another transaction moved it
 * first, and otherwise sets the new state and values on the object the caller holds.
 */
export async function moveRecord(
  manager: EntityManager,
  record: ScoreRecord,
  to: RecordStatus,
  also: Partial<ScoreRecord> = {},
): Promise<void> {
  const moved = await guardedMove(manager, record.id, record.status, to, also);
  if (!moved) throw new DomainError('INVALID_STATE', '这条记录的状态刚刚被其他操作改变，请刷新后再试');
  Object.assign(record, also, { status: to });
}

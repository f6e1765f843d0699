import { In, type EntityManager } from 'typeorm';
import { lockRow } from '../database/locks.js';
import { raw } from '../database/raw.js';
import { assertMove } from './record-status.js';
import { ScoreRecord } from './score-record.entity.js';

/**
 * The score records' side of 公示 (issue 9, point 4: the record table is scoring's): what publications reads and
 * writes of records, each a function that runs on the manager it is given, so that a caller's transaction and its
 * locks stay one unit of work. Publications decides when; these say how, one set-based statement at a time.
 */

/** What the board and the notices need of a record (its household, rule and version are asked of their owners). */
export interface BoardRecord {
  id: number;
  publicationId: number;
  villageId: number;
  householdId: number;
  ruleId: number;
  ruleVersionId: number;
  points: number;
  status: string;
  occurredOn: string;
}

/** Ids of the village's APPROVED records (waiting for 公示), in id order. */
export async function approvedRecordIds(manager: EntityManager, villageId: number): Promise<number[]> {
  const rows = await raw<{ id: number }>(
    manager,
    `SELECT id FROM score_record WHERE "villageId" = $1 AND status = 'APPROVED' ORDER BY id`,
    [villageId],
  );
  return rows.map((r) => Number(r.id));
}

/**
 * Puts the village's APPROVED records up to `lastId` into the publication (PUBLICIZING), in one UPDATE: only the
 * records it moved are answered (one rejected meanwhile stays out), in id order, with what their notices need.
 */
export async function putOnBoard(
  manager: EntityManager,
  villageId: number,
  publicationId: number,
  lastId: number,
): Promise<Pick<BoardRecord, 'id' | 'villageId' | 'householdId' | 'ruleVersionId' | 'points'>[]> {
  assertMove('APPROVED', 'PUBLICIZING');
  const rows = await raw<{
    id: number;
    villageId: number;
    householdId: number;
    ruleVersionId: number;
    points: number;
  }>(
    manager,
    `UPDATE score_record SET status = $1, "publicationId" = $2
      WHERE "villageId" = $3 AND status = $4 AND id <= $5
      RETURNING id, "villageId", "householdId", "ruleVersionId", points`,
    ['PUBLICIZING', publicationId, villageId, 'APPROVED', lastId],
  );
  return rows
    .map((r) => ({
      id: Number(r.id),
      villageId: Number(r.villageId),
      householdId: Number(r.householdId),
      ruleVersionId: Number(r.ruleVersionId),
      points: Number(r.points),
    }))
    .sort((a, b) => a.id - b.id);
}

/** Ids of a publication's records, in id order. */
export async function recordIdsIn(manager: EntityManager, publicationId: number): Promise<number[]> {
  const records = await manager
    .getRepository(ScoreRecord)
    .find({ where: { publicationId }, select: { id: true }, order: { id: 'ASC' } });
  return records.map((r) => r.id);
}

/** How many records each publication holds, by publication id (those without any are absent). */
export async function recordCountsIn(
  manager: EntityManager,
  publicationIds: number[],
): Promise<Map<number, number>> {
  if (publicationIds.length === 0) return new Map();
  const counts: { publicationId: number; n: string | number }[] = await manager
    .createQueryBuilder()
    .select('r.publicationId', 'publicationId')
    .addSelect('COUNT(*)', 'n')
    .from(ScoreRecord, 'r')
    .where('r.publicationId IN (:...ids)', { ids: publicationIds })
    .groupBy('r.publicationId')
    .getRawMany();
  return new Map(counts.map((c) => [Number(c.publicationId), Number(c.n)]));
}

/** The records of the publications, by id (the board orders them by household, which is the households' to say). */
export async function boardRecords(manager: EntityManager, publicationIds: number[]): Promise<BoardRecord[]> {
  if (publicationIds.length === 0) return [];
  const rows: BoardRecord[] = await manager
    .createQueryBuilder()
    .select('r.id', 'id')
    .addSelect('r.publicationId', 'publicationId')
    .addSelect('r.villageId', 'villageId')
    .addSelect('r.householdId', 'householdId')
    .addSelect('r.ruleId', 'ruleId')
    .addSelect('r.ruleVersionId', 'ruleVersionId')
    .addSelect('r.points', 'points')
    .addSelect('r.status', 'status')
    .addSelect('r.occurredOn', 'occurredOn')
    .from(ScoreRecord, 'r')
    .where('r.publicationId IN (:...ids)', { ids: publicationIds })
    .orderBy('r.id', 'ASC')
    .getRawMany();
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    publicationId: Number(r.publicationId),
    villageId: Number(r.villageId),
    householdId: Number(r.householdId),
    ruleId: Number(r.ruleId),
    ruleVersionId: Number(r.ruleVersionId),
    points: Number(r.points),
  }));
}

/** Records by id (any order; at most 500 ids per statement), with what a list of objections shows of them. */
export async function recordsByIds(
  manager: EntityManager,
  ids: number[],
): Promise<Map<number, Pick<ScoreRecord, 'id' | 'householdId' | 'ruleVersionId' | 'points'>>> {
  const unique = [...new Set(ids)];
  const found = new Map<number, Pick<ScoreRecord, 'id' | 'householdId' | 'ruleVersionId' | 'points'>>();
  for (let start = 0; start < unique.length; start += 500) {
    const rows = await manager.getRepository(ScoreRecord).find({
      where: { id: In(unique.slice(start, start + 500)) },
      select: { id: true, householdId: true, ruleVersionId: true, points: true },
    });
    for (const r of rows) found.set(r.id, r);
  }
  return found;
}

/** The publication a record is in (null when none); throws when there is no such record. */
export async function publicationOfRecord(manager: EntityManager, recordId: number): Promise<number | null> {
  const record = await manager.getRepository(ScoreRecord).findOneByOrFail({ id: recordId });
  return record.publicationId;
}

/** A publication's records still on the board (PUBLICIZING), in id order: what closing it posts. */
export function publicizingIn(manager: EntityManager, publicationId: number): Promise<ScoreRecord[]> {
  return manager.find(ScoreRecord, {
    where: { publicationId, status: 'PUBLICIZING' },
    order: { id: 'ASC' },
  });
}

/** The village a record belongs to (null when there is no such record), read before its book is locked. */
export async function villageOfRecord(manager: EntityManager, recordId: number): Promise<number | null> {
  const [row] = await raw<{ villageId: number }>(
    manager,
    'SELECT "villageId" FROM score_record WHERE id = $1',
    [recordId],
  );
  return row ? row.villageId : null;
}

/** The record's row, held until the caller's transaction ends (the caller has taken its village's book first). */
export function lockRecordRow(manager: EntityManager, recordId: number): Promise<ScoreRecord | null> {
  return lockRow(manager, ScoreRecord, recordId);
}

/**
 * Records by id (those that exist, any order), with their publication: what a 监督意见 on a record shows of it (its
 * household and rule version are asked of their owners). One query; the caller passes a few ids.
 */
export async function recordsWithPublication(
  manager: EntityManager,
  ids: number[],
): Promise<Pick<ScoreRecord, 'id' | 'publicationId' | 'householdId' | 'ruleVersionId' | 'points'>[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  return manager.getRepository(ScoreRecord).find({
    where: { id: In(unique) },
    select: { id: true, publicationId: true, householdId: true, ruleVersionId: true, points: true },
  });
}

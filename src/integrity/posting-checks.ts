import type { EntityManager } from 'typeorm';
import { raw } from '../database/raw.js';
import { recordsWithOpenOpinions } from '../supervision/record-holds.js';

export interface PostingProblem {
  recordId: number | null;
  entryId: number | null;
  problem: string;
}

/** Entry kinds that post a record to its passbook: a deed's SCORE, or OPENING for points carried over from paper. */
const POSTING_KINDS = `('SCORE', 'OPENING')`;

/**
 * What must hold between score records and the passbooks (issue 8): every POSTED record has exactly one posting entry
 * in its own household's book, and its points equal that entry plus its corrections; no other record has entries;
 * every SCORE entry points at a record; no record is left on a closed board (PUBLICIZING in a CLOSED publication) or
 * marked OBJECTED without an open objection or 监督意见. Each check is one aggregate query over the whole county (the
 * 监督意见 are supervision's: asked of it only for the few OBJECTED records no objection holds).
 */
export async function verifyPostings(
  manager: EntityManager,
  villageIds: readonly number[],
): Promise<PostingProblem[]> {
  const villages = new Set(villageIds);
  const problems: PostingProblem[] = [];
  const records = await raw<{
    id: number;
    villageId: number;
    householdId: number;
    status: string;
    points: number;
    posts: number | string | null;
    total: number | string | null;
    households: number | string | null;
    elsewhere: number | string | null;
  }>(
    manager,
    `SELECT r.id, r."villageId", r."householdId", r.status, r.points, p.posts, p.total, p.households, p.elsewhere
      FROM score_record r JOIN (
        SELECT e."refId",
          SUM(CASE WHEN e.kind IN ${POSTING_KINDS} THEN 1 ELSE 0 END) AS posts,
          SUM(e.amount) AS total,
          COUNT(DISTINCT e."householdId") AS households,
          MIN(e."householdId") AS elsewhere
        FROM ledger_entry e WHERE e."refType" = 'score_record' GROUP BY e."refId"
      ) p ON p."refId" = r.id
      WHERE r.status <> 'POSTED' OR p.posts <> 1 OR p.total <> r.points OR p.households <> 1
        OR p.elsewhere <> r."householdId"
    UNION ALL
    SELECT r.id, r."villageId", r."householdId", r.status, r.points, 0, 0, 0, NULL
      FROM score_record r WHERE r.status = 'POSTED'
        AND NOT EXISTS (SELECT 1 FROM ledger_entry e WHERE e."refType" = 'score_record' AND e."refId" = r.id)`,
    [],
  );
  for (const r of records) {
    if (!villages.has(Number(r.villageId))) continue;
    const posts = Number(r.posts ?? 0);
    const total = Number(r.total ?? 0);
    let problem: string;
    if (r.status !== 'POSTED') problem = `状态为 ${r.status}，却已有 ${posts} 笔入账明细`;
    else if (posts !== 1) problem = `已入账，入账明细应为 1 笔，实为 ${posts} 笔`;
    else if (Number(r.households) !== 1 || Number(r.elsewhere) !== Number(r.householdId))
      problem = '入账明细记在了别的农户名下';
    else problem = `记录分值为 ${r.points}，入账明细合计为 ${total}`;
    problems.push({ recordId: Number(r.id), entryId: null, problem });
  }
  const orphans = await raw<{ id: number; villageId: number; kind: string; refType: string | null }>(
    manager,
    `SELECT e.id, e."villageId", e.kind, e."refType" FROM ledger_entry e
      LEFT JOIN score_record r ON e."refType" = 'score_record' AND r.id = e."refId"
      WHERE (e.kind IN ('SCORE', 'SCORE_CORRECTION') OR e."refType" = 'score_record') AND r.id IS NULL`,
    [],
  );
  for (const e of orphans)
    if (villages.has(Number(e.villageId)))
      problems.push({ recordId: null, entryId: Number(e.id), problem: `${e.kind} 明细没有对应的积分记录` });
  const candidates = await raw<{
    id: number;
    villageId: number;
    status: string;
    publication: string | null;
    unheld: number | string;
  }>(
    manager,
    `SELECT r.id, r."villageId", r.status, p.status AS publication,
        CASE WHEN p.id IS NULL OR r.status = 'PUBLICIZING' THEN 0 ELSE 1 END AS unheld
      FROM score_record r
      LEFT JOIN publication p ON p.id = r."publicationId"
      WHERE (r.status IN ('PUBLICIZING', 'OBJECTED') AND p.id IS NULL)
        OR (r.status = 'PUBLICIZING' AND p.status = 'CLOSED')
        OR (r.status = 'OBJECTED' AND NOT EXISTS (
          SELECT 1 FROM objection o WHERE o."recordId" = r.id AND o.status = 'OPEN'))`,
    [],
  );
  // OBJECTED without an open objection is stuck unless a 监督意见 holds it: those are supervision's to say.
  const unheld = candidates.filter((r) => Number(r.unheld) === 1).map((r) => Number(r.id));
  const opinions = unheld.length ? await recordsWithOpenOpinions(manager, unheld) : new Set<number>();
  const stuck = candidates.filter((r) => Number(r.unheld) !== 1 || !opinions.has(Number(r.id)));
  for (const r of stuck)
    if (villages.has(Number(r.villageId)))
      problems.push({
        recordId: Number(r.id),
        entryId: null,
        problem:
          r.status === 'OBJECTED'
            ? '标为有异议，却没有待处理的异议或监督意见'
            : r.publication === null
              ? '标为公示中，却不在任何公示里'
              : '公示已结束，记录却仍在公示中、没有入账',
      });
  return problems;
}

import type { EntityManager } from 'typeorm';
import { raw } from '../database/raw.js';

export interface PartyPostingProblem {
  recordId: number;
  problem: string;
}

/**
 * What must hold between party records and the members' books (issue 22), as `verifyPostings` for households: every
 * POSTED record has exactly one entry, in its own member's account, of its points; no other record has any. One
 * aggregate query over the county.
 */
export async function verifyPartyPostings(
  manager: EntityManager,
  villageIds: readonly number[],
): Promise<PartyPostingProblem[]> {
  const villages = new Set(villageIds);
  const rows = await raw<{
    id: number;
    villageId: number;
    status: string;
    points: number;
    accountId: number;
    posts: number | string | null;
    total: number | string | null;
    account: number | string | null;
  }>(
    manager,
    `SELECT r.id, r."villageId", r.status, r.points, m."accountId", p.posts, p.total, p.account
      FROM party_record r JOIN party_member m ON m.id = r."partyMemberId"
      LEFT JOIN (
        SELECT e."refId", COUNT(*) AS posts, SUM(e.amount) AS total,
          CASE WHEN COUNT(DISTINCT e."accountId") = 1 THEN MIN(e."accountId") END AS account
        FROM ledger_entry e WHERE e."refType" = 'party_record' GROUP BY e."refId"
      ) p ON p."refId" = r.id
      WHERE (r.status = 'POSTED' AND (p."refId" IS NULL OR p.posts <> 1 OR p.total <> r.points
          OR p.account IS NULL OR p.account <> m."accountId"))
        OR (r.status <> 'POSTED' AND p."refId" IS NOT NULL)`,
    [],
  );
  return rows
    .filter((r) => villages.has(Number(r.villageId)))
    .map((r) => {
      const posts = Number(r.posts ?? 0);
      const problem =
        r.status !== 'POSTED'
          ? `状态为 ${r.status}，却已有 ${posts} 笔入账明细`
          : posts !== 1
            ? `已入账，入账明细应为 1 笔，实为 ${posts} 笔`
            : Number(r.account) !== Number(r.accountId)
              ? '入账明细记在了别的党员账户'
              : `记录分值为 ${r.points}，入账明细为 ${Number(r.total)}`;
      return { recordId: Number(r.id), problem };
    });
}

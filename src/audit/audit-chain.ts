import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { isPostgres, raw } from '../database/raw.js';

/** The fields of an audit row its hash seals; createdAt as the stored wall-clock text to the second. */
interface SealedRow {
  id: number;
  createdAt: string;
  actorType: string;
  actorId: number | null;
  actorName: string;
  action: string;
  entityType: string | null;
  entityId: number | null;
  townshipId: number | null;
  villageId: number | null;
  details: string | null;
  ip: string | null;
}

export function auditRowHash(prevHash: string, chainSeq: number, r: SealedRow): string {
  const fields = [
    prevHash,
    chainSeq,
    Number(r.id),
    r.createdAt,
    r.actorType,
    r.actorId === null ? '' : Number(r.actorId),
    r.actorName,
    r.action,
    r.entityType ?? '',
    r.entityId === null ? '' : Number(r.entityId),
    r.townshipId === null ? '' : Number(r.townshipId),
    r.villageId === null ? '' : Number(r.villageId),
    r.details ?? '',
    r.ip ?? '',
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

const columnsOf = (runner: DataSource | EntityManager) =>
  `id, ${
    isPostgres(runner)
      ? `to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS')`
      : `strftime('%Y-%m-%dT%H:%M:%S', "createdAt")`
  } AS "createdAt", "actorType", "actorId", "actorName", action, "entityType", "entityId", "townshipId", "villageId",
  details, ip`;

const SLICE = 2000;

/**
 * Chains the audit rows not chained yet, in the order of their ids, after the chain's head (in the caller's
 * transaction; the head row is the lock, so two processes never chain at once). Rows are written with no hash (a
 * write never waits on the chain) and sealed shortly after; the first sealing after the migration chains every row
 * kept before it. Returns how many rows were sealed.
 */
export async function sealAuditLog(manager: EntityManager, limit = 20000): Promise<number> {
  const [head] = await raw<{ seq: number; hash: string }>(
    manager,
    `UPDATE audit_chain_head SET seq = seq WHERE id = 1 RETURNING seq, hash`,
    [],
  );
  if (!head) return 0;
  let seq = Number(head.seq);
  let hash = head.hash;
  let sealed = 0;
  while (sealed < limit) {
    const rows = await raw<SealedRow>(
      manager,
      `SELECT ${columnsOf(manager)} FROM audit_log WHERE hash IS NULL ORDER BY id LIMIT ${SLICE}`,
      [],
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      const prevHash = hash;
      seq += 1;
      hash = auditRowHash(prevHash, seq, row);
      await raw(manager, `UPDATE audit_log SET "chainSeq" = $1, "prevHash" = $2, hash = $3 WHERE id = $4`, [
        seq,
        prevHash,
        hash,
        row.id,
      ]);
    }
    sealed += rows.length;
  }
  if (sealed > 0)
    await raw(manager, 'UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id = 1', [seq, hash]);
  return sealed;
}

/** The audit chain's head as stored (seq 0 before anything is sealed). */
export async function auditHead(runner: DataSource | EntityManager): Promise<{ seq: number; hash: string }> {
  const [head] = await raw<{ seq: number; hash: string }>(
    runner,
    'SELECT seq, hash FROM audit_chain_head WHERE id = 1',
    [],
  );
  return { seq: Number(head?.seq ?? 0), hash: head?.hash ?? '' };
}

/**
 * Checks the sealed audit rows: numbered 1, 2, 3… without a gap (a deleted row leaves one), each linked to the one
 * before and matching its hash (a changed row), the last one the stored head (rows cut from the end). `witnessed`:
 * an audit head kept outside the database (a backup's sidecar), which the chain must still hold.
 */
export async function auditChainProblems(
  runner: DataSource | EntityManager,
  witnessed: { seq: number; hash: string; label: string }[] = [],
): Promise<string[]> {
  const problems: string[] = [];
  let seq = 0;
  let hash = '';
  let lastId: number | null = null;
  const seen = new Map<number, string>();
  const wanted = new Set(witnessed.map((w) => w.seq));
  for (;;) {
    const rows = await raw<SealedRow & { chainSeq: number; prevHash: string; hash: string }>(
      runner,
      `SELECT ${columnsOf(runner)}, "chainSeq", "prevHash", hash FROM audit_log
        WHERE "chainSeq" > $1 ORDER BY "chainSeq" LIMIT ${SLICE}`,
      [seq],
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      const at = Number(row.chainSeq);
      if (at !== seq + 1)
        problems.push(
          `操作日志：第 ${seq + 1}${at - 1 > seq + 1 ? `～${at - 1}` : ''} 条缺失（在 id ${lastId ?? '-'} 与 id ${row.id} 之间，被删除）`,
        );
      else if (row.prevHash !== hash)
        problems.push(`操作日志：第 ${at} 条（id ${row.id}）与上一条的链接不符`);
      if (auditRowHash(row.prevHash, at, row) !== row.hash)
        problems.push(`操作日志：第 ${at} 条（id ${row.id}，${row.action}）的内容与其哈希不符，被改动过`);
      if (wanted.has(at)) seen.set(at, row.hash);
      seq = at;
      hash = row.hash;
      lastId = Number(row.id);
    }
  }
  const head = await auditHead(runner);
  if (head.seq !== seq || head.hash !== hash)
    problems.push(
      `操作日志：链头记为第 ${head.seq} 条，日志只到第 ${seq} 条（末尾的记录被删除或链头被改动）`,
    );
  for (const w of witnessed) {
    const found = seen.get(w.seq);
    if (w.seq > 0 && found === undefined)
      problems.push(`操作日志：${w.label}是第 ${w.seq} 条，日志中没有这一条（被删除）`);
    else if (found !== undefined && !found.startsWith(w.hash))
      problems.push(`操作日志：第 ${w.seq} 条与${w.label}不符（此前的记录被改动过）`);
  }
  return problems;
}

import { createHash } from 'node:crypto';

/** The fields of an entry that its hash seals. Changing any of them, or the order of entries, breaks the chain. */
export interface ChainedFields {
  villageId: number;
  seq: number;
  householdId: number | null;
  /** Set on an account's entry only, and then sealed too (household entries hash as they always have). */
  accountId?: number | null;
  amount: number;
  kind: string;
  refType: string | null;
  refId: number | null;
  correctsEntryId: number | null;
  availableAfter: number;
  earnedAfter: number;
  description: string;
  occurredOn: string;
  createdBy: number | null;
  createdAt: string;
}

/** The first entry of a village's book links to this. */
export const GENESIS = '0'.repeat(64);

export function entryHash(prevHash: string, e: ChainedFields): string {
  const fields = [
    prevHash,
    e.villageId,
    e.seq,
    e.householdId,
    e.amount,
    e.kind,
    e.refType ?? '',
    e.refId ?? '',
    e.correctsEntryId ?? '',
    e.availableAfter,
    e.earnedAfter,
    e.description,
    e.occurredOn,
    e.createdBy ?? '',
    e.createdAt,
  ];
  if (e.accountId !== null && e.accountId !== undefined) fields.push(`account:${e.accountId}`);
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

export interface ChainProblem {
  entryId: number;
  seq: number;
  problem: string;
}

/**
 * Checks one village's entries in seq order: no gaps, each links to the one before, each hash matches its fields.
 * `after` is the entry before the first one given (to check a long book slice by slice).
 */
export function checkChain(
  entries: (ChainedFields & { id: number; prevHash: string; hash: string })[],
  after: { seq: number; hash: string } = { seq: 0, hash: GENESIS },
): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let prev = after.hash;
  let expectedSeq = after.seq + 1;
  for (const e of entries) {
    if (e.seq !== expectedSeq)
      problems.push({ entryId: e.id, seq: e.seq, problem: `序号应为 ${expectedSeq}，有记录缺失或被插入` });
    if (e.prevHash !== prev) problems.push({ entryId: e.id, seq: e.seq, problem: '与上一条记录的链接不符' });
    if (entryHash(e.prevHash, e) !== e.hash)
      problems.push({ entryId: e.id, seq: e.seq, problem: '记录内容与其哈希不符，可能被改动' });
    prev = e.hash;
    expectedSeq = e.seq + 1;
  }
  return problems;
}

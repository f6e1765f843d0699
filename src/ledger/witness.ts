import type { DataSource, EntityManager } from 'typeorm';
import { raw } from '../database/raw.js';
import type { WitnessSource } from './book-witness.entity.js';

/** How much of a head a printed sheet shows: enough that a forged book matching it is out of reach. */
export const SHORT_HEAD_LENGTH = 12;

/** A head of a village's book seen outside it: the entry with this seq must have a hash starting with `hash`. */
export interface WitnessedHead {
  villageId: number;
  seq: number;
  /** The full hash, or a prefix of at least 8 hex characters (typed from a sheet). */
  hash: string;
  /** Where it came from, in words: 乡镇审核 2026-12-03、备份 points-….heads.json、手工输入. */
  label: string;
}

export interface WitnessProblem {
  villageId: number;
  /** The first entry found to differ (null when the book is shorter than the witnessed seq). */
  entryId: number | null;
  seq: number;
  message: string;
}

export const shortHead = (hash: string) => hash.slice(0, SHORT_HEAD_LENGTH);

/** `3:1234:abcdef123456` → village 3, seq 1234, hash prefix; a clear message for anything else. */
export function parseTypedHead(text: string): WitnessedHead {
  const match = /^\s*(\d{1,9}):(\d{1,12}):([0-9a-fA-F]{8,64})\s*$/.exec(text);
  if (!match)
    throw new Error(
      `链头格式应为 村编号:序号:哈希前缀（至少 8 位十六进制），例如 3:1234:abcdef123456；收到「${text}」`,
    );
  return {
    villageId: Number(match[1]),
    seq: Number(match[2]),
    hash: match[3].toLowerCase(),
    label: '手工输入',
  };
}

/** Notes the village's head as it stands now, inside the caller's transaction (after the village's row is read). */
export async function witnessVillageHead(
  manager: EntityManager,
  villageId: number,
  source: WitnessSource,
  note: string | null,
  createdBy: number | null,
): Promise<{ seq: number; hash: string }> {
  const [head] = await raw<{ seq: number; head: string }>(
    manager,
    'SELECT seq, head FROM ledger_book WHERE "villageId" = $1',
    [villageId],
  );
  const seq = Number(head?.seq ?? 0);
  const hash = head?.head ?? '';
  await raw(
    manager,
    `INSERT INTO book_witness ("villageId", seq, hash, source, note, "createdBy") VALUES ($1, $2, $3, $4, $5, $6)`,
    [villageId, seq, hash, source, note?.slice(0, 200) ?? null, createdBy],
  );
  return { seq, hash };
}

const SOURCE_LABELS: Record<string, string> = {
  TOWNSHIP_REVIEW: '乡镇审核排名时记下的链头',
  BACKUP: '备份时记下的链头',
  TYPED: '从公示单抄录的链头',
};

/** The heads kept in book_witness (those the township noted at each review, those typed in). */
export async function recordedWitnesses(
  runner: DataSource | EntityManager,
  sources?: WitnessSource[],
): Promise<WitnessedHead[]> {
  const rows = await raw<{ villageId: number; seq: number; hash: string; source: string; id: number }>(
    runner,
    'SELECT id, "villageId", seq, hash, source FROM book_witness ORDER BY id',
    [],
  );
  return rows
    .filter((r) => !sources || sources.includes(r.source as WitnessSource))
    .map((r) => ({
      villageId: Number(r.villageId),
      seq: Number(r.seq),
      hash: r.hash,
      label: `${SOURCE_LABELS[r.source] ?? r.source}（第 ${r.id} 条见证）`,
    }));
}

/**
 * Compares each village's book with the heads witnessed outside it. Per village, names the first witnessed entry
 * that differs (an entry at or before it was changed and the chain recomputed) and where the change must lie (after
 * the last witnessed entry that still matches), or that the book is shorter than a witnessed seq (entries cut).
 */
export async function witnessProblems(
  runner: DataSource | EntityManager,
  heads: WitnessedHead[],
): Promise<WitnessProblem[]> {
  const problems: WitnessProblem[] = [];
  const byVillage = new Map<number, WitnessedHead[]>();
  for (const h of heads)
    if (h.seq > 0) byVillage.set(h.villageId, [...(byVillage.get(h.villageId) ?? []), h]);
  for (const [villageId, witnessed] of [...byVillage].sort((a, b) => a[0] - b[0])) {
    witnessed.sort((a, b) => a.seq - b.seq);
    const seqs = [...new Set(witnessed.map((w) => w.seq))];
    const entries = new Map<number, { id: number; hash: string }>();
    for (let i = 0; i < seqs.length; i += 500) {
      const part = seqs.slice(i, i + 500);
      const rows = await raw<{ id: number; seq: number; hash: string }>(
        runner,
        `SELECT id, seq, hash FROM ledger_entry WHERE "villageId" = $1 AND "accountId" IS NULL AND seq IN (${part.map((_, j) => `$${j + 2}`).join(', ')})`,
        [villageId, ...part],
      );
      for (const r of rows) entries.set(Number(r.seq), { id: Number(r.id), hash: r.hash });
    }
    const [last] = await raw<{ seq: number | null }>(
      runner,
      'SELECT MAX(seq) AS seq FROM ledger_entry WHERE "villageId" = $1 AND "accountId" IS NULL',
      [villageId],
    );
    const bookSeq = Number(last?.seq ?? 0);
    let matchedUpTo = 0;
    for (const w of witnessed) {
      const entry = entries.get(w.seq);
      if (!entry) {
        problems.push({
          villageId,
          entryId: null,
          seq: w.seq,
          message: `村 ${villageId} 的账本比见证的短：账本只到第 ${bookSeq} 条，${w.label}是第 ${w.seq} 条（book shorter than witnessed seq ${w.seq}）`,
        });
        break;
      }
      if (!entry.hash.startsWith(w.hash.toLowerCase())) {
        problems.push({
          villageId,
          entryId: entry.id,
          seq: w.seq,
          message: `村 ${villageId} 第 ${w.seq} 条明细（id ${entry.id}）的哈希 ${shortHead(entry.hash)} 与${w.label} ${shortHead(w.hash)} 不符：第 ${matchedUpTo + 1}～${w.seq} 条之间有记录被改动`,
        });
        break;
      }
      matchedUpTo = w.seq;
    }
  }
  return problems;
}

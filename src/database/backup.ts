import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { runningServers } from './server-lock.js';

/** How many backups `npm run backup` keeps (the oldest beyond this are removed). */
export const DEFAULT_KEEP = 14;

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

/** Refuses a file that is not a sound database of this app: SQLite's integrity check and the app's own tables. */
export function checkBackupFile(file: string): void {
  if (!existsSync(file)) throw new Error(`找不到备份文件：${file}`);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const result = db.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`备份文件已损坏：${String(result)}`);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((t) => t.name);
    for (const needed of ['village', 'household', 'ledger_entry', 'migrations'])
      if (!tables.includes(needed)) throw new Error(`这不是乡村积分的数据库（缺少 ${needed} 表）`);
  } catch (error) {
    if (error instanceof Error && /^(备份|这不是|找不到)/.test(error.message)) throw error;
    throw new Error(`无法读取备份文件：${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  } finally {
    db?.close();
  }
}

/**
 * A consistent copy of a live SQLite database through SQLite's online backup (the server may keep writing), into
 * `<dir>/points-<UTC time>.db`, checked after writing; keeps the newest `keep` copies.
 */
export async function backupSqlite(
  databaseFile: string,
  dir: string,
  options: { keep?: number; now?: Date } = {},
): Promise<string> {
  if (!existsSync(databaseFile)) throw new Error(`找不到数据库文件：${databaseFile}`);
  mkdirSync(dir, { recursive: true });
  const target = resolve(dir, `points-${stamp(options.now ?? new Date())}.db`);
  const source = new Database(databaseFile, { fileMustExist: true });
  try {
    await source.backup(target);
  } finally {
    source.close();
  }
  // One self-contained file (no write-ahead log beside it), to copy or mail as it is.
  const copy = new Database(target);
  copy.pragma('journal_mode = DELETE');
  copy.close();
  checkBackupFile(target);
  writeHeads(target, options.now ?? new Date());
  const keep = options.keep ?? DEFAULT_KEEP;
  const copies = readdirSync(dir)
    .filter((f) => /^points-\d{8}-\d{6}\.db$/.test(f))
    .sort();
  // The sidecars stay: a few hundred bytes each, and the evidence of what the books held then.
  for (const old of copies.slice(0, Math.max(0, copies.length - keep)))
    rmSync(join(dir, old), { force: true });
  return target;
}

/** What a backup's sidecar holds: each village's book head and the audit chain's head when the copy was made. */
export interface BackupHeads {
  backup: string;
  takenAt: string;
  villages: { villageId: number; name: string; seq: number; hash: string }[];
  audit: { seq: number; hash: string } | null;
}

export const headsFileOf = (backupFile: string) => backupFile.replace(/\.db$/, '') + '.heads.json';

/** The heads of a database file's books: the last entry of each village's book as the entries hold it. */
export function headsOf(file: string): Omit<BackupHeads, 'backup' | 'takenAt'> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    // A backup taken before party members' books (issue 22) has no accounts' entries to leave out.
    const hasAccounts = (db.prepare('PRAGMA table_info(ledger_entry)').all() as { name: string }[]).some(
      (c) => c.name === 'accountId',
    );
    const households = (alias: string) => (hasAccounts ? ` AND ${alias}."accountId" IS NULL` : '');
    const villages = db
      .prepare(
        `SELECT v.id AS villageId, v.name AS name, COALESCE(e.seq, 0) AS seq, COALESCE(e.hash, '') AS hash
          FROM village v LEFT JOIN ledger_entry e ON e."villageId" = v.id${households('e')}
            AND e.seq = (SELECT MAX(seq) FROM ledger_entry m WHERE m."villageId" = v.id${households('m')})
          ORDER BY v.id`,
      )
      .all() as BackupHeads['villages'];
    const hasAuditChain = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_chain_head'")
      .get();
    const audit = hasAuditChain
      ? ((db.prepare('SELECT seq, hash FROM audit_chain_head WHERE id = 1').get() as BackupHeads['audit']) ??
        null)
      : null;
    return { villages, audit };
  } finally {
    db.close();
  }
}

/**
 * Writes `<backup>.heads.json` beside the copy: the heads of every village's book and of the audit log, outside any
 * database, so that `npm run ledger:verify` can later tell whether the live books still hold them.
 */
function writeHeads(backupFile: string, now: Date): void {
  const heads: BackupHeads = {
    backup: basename(backupFile),
    takenAt: now.toISOString(),
    ...headsOf(backupFile),
  };
  writeFileSync(headsFileOf(backupFile), `${JSON.stringify(heads, null, 2)}\n`);
}

/** The newest backup sidecar in a folder, or null. */
export function latestHeads(dir: string): { file: string; heads: BackupHeads } | null {
  if (!existsSync(dir)) return null;
  const newest = readdirSync(dir)
    .filter((f) => /^points-\d{8}-\d{6}\.heads\.json$/.test(f))
    .sort()
    .pop();
  if (!newest) return null;
  const file = join(dir, newest);
  return { file, heads: JSON.parse(readFileSync(file, 'utf8')) as BackupHeads };
}

/** The heads the township noted at its reviews, kept in a SQLite file's book_witness (none if it has no such table). */
export function townshipHeadsIn(
  file: string,
): { villageId: number; seq: number; hash: string; id: number }[] {
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const has = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'book_witness'")
      .get();
    if (!has) return [];
    return db
      .prepare(
        `SELECT id, "villageId" AS villageId, seq, hash FROM book_witness WHERE source = 'TOWNSHIP_REVIEW' ORDER BY id`,
      )
      .all() as { villageId: number; seq: number; hash: string; id: number }[];
  } finally {
    db.close();
  }
}

/**
 * Puts a checked backup in place of the database file; refused while a server runs on `dataDir` (see server-lock.ts). The file it replaces is kept
 * beside it as `<name>.before-restore-<time>`, so a restore can itself be undone.
 */
export function restoreSqlite(
  backupFile: string,
  databaseFile: string,
  now = new Date(),
  dataDir = dirname(resolve(databaseFile)),
): string | null {
  checkBackupFile(backupFile);
  const running = runningServers(dataDir);
  if (running.length > 0)
    throw new Error(`服务正在运行（进程 ${running.join('、')}），不能在运行中恢复：请先停止服务`);
  mkdirSync(dirname(resolve(databaseFile)), { recursive: true });
  let kept: string | null = null;
  if (existsSync(databaseFile)) {
    kept = `${databaseFile}.before-restore-${stamp(now)}`;
    // Fold the write-ahead log into the file first, so the kept copy is whole.
    const db = new Database(databaseFile);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    renameSync(databaseFile, kept);
  }
  for (const side of ['-wal', '-shm']) rmSync(`${databaseFile}${side}`, { force: true });
  copyFileSync(backupFile, databaseFile);
  return kept ? basename(kept) : null;
}

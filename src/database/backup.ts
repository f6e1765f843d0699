import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';

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
  const keep = options.keep ?? DEFAULT_KEEP;
  const copies = readdirSync(dir)
    .filter((f) => /^points-\d{8}-\d{6}\.db$/.test(f))
    .sort();
  for (const old of copies.slice(0, Math.max(0, copies.length - keep)))
    rmSync(join(dir, old), { force: true });
  return target;
}

/**
 * Puts a checked backup in place of the database file (the server must be stopped). The file it replaces is kept
 * beside it as `<name>.before-restore-<time>`, so a restore can itself be undone.
 */
export function restoreSqlite(backupFile: string, databaseFile: string, now = new Date()): string | null {
  checkBackupFile(backupFile);
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

import 'reflect-metadata';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { loadSettings } from '../config/settings.js';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { IntegrityService } from '../integrity/integrity.service.js';
import { recordedWitnesses, witnessProblems, type WitnessedHead } from '../ledger/witness.js';
import {
  backupSqlite,
  checkBackupFile,
  DEFAULT_KEEP,
  restoreSqlite,
  townshipHeadsIn,
} from '../database/backup.js';
import { runningServers } from '../database/server-lock.js';

/**
 * `npm run backup`: a consistent copy of the live SQLite database into data/backups/ (keeping the last BACKUP_KEEP,
 * default 14). `npm run restore FILE`: checks FILE (SQLite integrity, the app's tables, then the invariant checker on
 * it) and, with the server stopped, puts it in place. A file whose book is shorter than, or differs from, a head the
 * township noted at a review is refused unless `--force --reason "…"` (the reason goes to the audit log).
 * PostgreSQL: use pg_dump / pg_restore (see the README).
 */
async function main(argv: string[]): Promise<number> {
  const settings = loadSettings({ ...process.env, SEED: 'none' });
  if (settings.isPostgres) {
    console.error('数据库是 PostgreSQL：请用 pg_dump 备份、pg_restore 恢复（见 README）。');
    return 2;
  }
  const [command, file] = argv;
  if (command === 'backup') {
    const keep = Number(process.env.BACKUP_KEEP ?? DEFAULT_KEEP);
    const target = await backupSqlite(settings.sqlitePath, resolve(settings.dataDir, 'backups'), {
      keep: Number.isInteger(keep) && keep > 0 ? keep : DEFAULT_KEEP,
    });
    console.log(`已备份到 ${target}`);
    return 0;
  }
  if (command === 'restore' && file && !file.startsWith('--')) {
    const flags = restoreFlags(argv.slice(2));
    if (typeof flags === 'string') {
      console.error(flags);
      return 2;
    }
    const running = runningServers(settings.dataDir);
    if (running.length > 0) {
      console.error(`服务正在运行（进程 ${running.join('、')}），未恢复：请先停止服务。`);
      return 1;
    }
    const { problems, witnessed } = await checkBeforeRestore(file, settings.sqlitePath);
    if (problems.length > 0) {
      console.error(`备份 ${file} 没有通过核对，未恢复：`);
      for (const p of problems.slice(0, 20)) console.error(`  ${p}`);
      return 1;
    }
    if (witnessed.length > 0) {
      console.error(`备份 ${file} 的账本与乡镇留存的链头不符：`);
      for (const p of witnessed.slice(0, 20)) console.error(`  ${p}`);
      if (!flags.force) {
        console.error(
          '未恢复。确需恢复（例如数据库损坏、只能回到这份备份）请加 --force --reason "原因"，原因记入操作日志。',
        );
        return 1;
      }
    }
    const kept = restoreSqlite(file, settings.sqlitePath, new Date(), settings.dataDir);
    if (flags.force) await auditForcedRestore(settings.sqlitePath, file, flags.reason, witnessed);
    console.log(`已从 ${file} 恢复${kept ? `；原数据库保存为 ${kept}` : ''}。请重新启动服务。`);
    return 0;
  }
  console.error('用法：npm run backup | npm run restore -- <备份文件> [--force --reason "原因"]');
  return 2;
}

function restoreFlags(args: string[]): { force: boolean; reason: string } | string {
  let force = false;
  let reason = '';
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--force') force = true;
    else if (args[i] === '--reason') reason = (args[++i] ?? '').trim();
    else if (args[i].startsWith('--reason=')) reason = args[i].slice('--reason='.length).trim();
    else return `不认识的参数：${args[i]}`;
  }
  if (force && reason.length < 4)
    return '--force 必须附上原因：--reason "原因"（至少 4 个字），原因记入操作日志';
  if (reason.length > 500) return '--reason 最多 500 个字';
  return { force, reason };
}

/**
 * The invariant checker run on the backup itself, before it replaces anything; then the backup's books against the
 * heads the township noted at its reviews (kept in the live database and in the backup).
 */
async function checkBeforeRestore(
  file: string,
  liveFile: string,
): Promise<{ problems: string[]; witnessed: string[] }> {
  checkBackupFile(file);
  const township: WitnessedHead[] = townshipHeadsIn(liveFile).map((w) => ({
    villageId: w.villageId,
    seq: w.seq,
    hash: w.hash,
    label: `乡镇审核排名时记下的链头（当前数据库第 ${w.id} 条见证）`,
  }));
  // Checked on a scratch copy: starting the app on a file migrates it, and the backup itself stays as it was.
  const scratch = join(mkdtempSync(join(tmpdir(), 'vp-restore-')), 'check.db');
  copyFileSync(file, scratch);
  const app = await appOn(scratch);
  try {
    const dataSource = app.get(DataSource);
    const heads = [...township, ...(await recordedWitnesses(dataSource, ['TOWNSHIP_REVIEW']))];
    return {
      problems: (await app.get(IntegrityService).check()).problems,
      witnessed: (await witnessProblems(dataSource, heads)).map((p) => p.message),
    };
  } finally {
    await app.close();
    rmSync(dirname(scratch), { recursive: true, force: true });
  }
}

/** A forced restore is written to the restored database's audit log: who (the system user), why, what it overrode. */
async function auditForcedRestore(databaseFile: string, file: string, reason: string, overridden: string[]) {
  const app = await appOn(databaseFile);
  try {
    await app
      .get(AuditService)
      .record(
        { kind: 'system', name: `恢复备份（${userInfo().username}）`.slice(0, 60), ip: null },
        { action: 'backup.restore_forced', details: { file, reason, overridden } },
      );
    await app.get(AuditService).seal();
  } finally {
    await app.close();
  }
}

async function appOn(databaseFile: string) {
  const settings = loadSettings({ ...process.env, SEED: 'none', DATABASE_URL: `sqlite:${databaseFile}` });
  return NestFactory.createApplicationContext(AppModule.forSettings(settings), { logger: ['error'] });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);

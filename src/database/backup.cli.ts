import 'reflect-metadata';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { loadSettings } from '../config/settings.js';
import { IntegrityService } from '../integrity/integrity.service.js';
import { backupSqlite, checkBackupFile, DEFAULT_KEEP, restoreSqlite } from './backup.js';

/**
 * `npm run backup`: a consistent copy of the live SQLite database into data/backups/ (keeping the last BACKUP_KEEP,
 * default 14). `npm run restore FILE`: checks FILE (SQLite integrity, the app's tables, then the invariant checker on
 * it) and, with the server stopped, puts it in place. PostgreSQL: use pg_dump / pg_restore (see the README).
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
  if (command === 'restore' && file) {
    const problems = await integrityOf(file);
    if (problems.length > 0) {
      console.error(`备份 ${file} 没有通过核对，未恢复：`);
      for (const p of problems.slice(0, 20)) console.error(`  ${p}`);
      return 1;
    }
    const kept = restoreSqlite(file, settings.sqlitePath);
    console.log(`已从 ${file} 恢复${kept ? `；原数据库保存为 ${kept}` : ''}。请重新启动服务。`);
    return 0;
  }
  console.error('用法：npm run backup | npm run restore -- <备份文件>');
  return 2;
}

/** The invariant checker run on the backup itself, before it replaces anything. */
async function integrityOf(file: string): Promise<string[]> {
  checkBackupFile(file);
  // Checked on a scratch copy: starting the app on a file migrates it, and the backup itself stays as it was.
  const scratch = join(mkdtempSync(join(tmpdir(), 'vp-restore-')), 'check.db');
  copyFileSync(file, scratch);
  const settings = loadSettings({ ...process.env, SEED: 'none', DATABASE_URL: `sqlite:${scratch}` });
  const app = await NestFactory.createApplicationContext(AppModule.forSettings(settings), {
    logger: ['error'],
  });
  try {
    return (await app.get(IntegrityService).check()).problems;
  } finally {
    await app.close();
    rmSync(dirname(scratch), { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);

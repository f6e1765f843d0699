import 'reflect-metadata';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module.js';
import { auditChainProblems } from '../audit/audit-chain.js';
import { AuditService } from '../audit/audit.service.js';
import { loadSettings } from '../config/settings.js';
import { latestHeads } from '../database/backup.js';
import { IntegrityService } from '../integrity/integrity.service.js';
import { parseTypedHead, witnessProblems, type WitnessedHead } from '../ledger/witness.js';

/**
 * `npm run ledger:verify [-- --head 3:1234:abcdef123456 …] [--backups DIR]`: the invariant checker on the configured
 * database — every balance and per-period total recomputed, every village's chain, every stock level and receipt —
 * then the books against every head kept outside them (the township's at each review, the newest backup's sidecar,
 * heads typed in from a printed sheet) and the audit log's chain. Exits 1 on any problem, 2 on bad arguments.
 */
async function main(argv: string[]): Promise<number> {
  const typed: WitnessedHead[] = [];
  let backupsDir: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--head') typed.push(parseTypedHead(argv[++i] ?? ''));
    else if (argv[i].startsWith('--head=')) typed.push(parseTypedHead(argv[i].slice('--head='.length)));
    else if (argv[i] === '--backups') backupsDir = argv[++i] ?? '';
    else
      throw new Error(
        `不认识的参数：${argv[i]}。用法：npm run ledger:verify -- [--head 村编号:序号:哈希前缀] [--backups 目录]`,
      );
  }
  const settings = loadSettings({ ...process.env, SEED: 'none' });
  const app = await NestFactory.createApplicationContext(AppModule.forSettings(settings), {
    logger: ['error'],
  });
  try {
    // Rows written moments ago are chained first, so that the check covers them.
    await app.get(AuditService).seal();
    const report = await app.get(IntegrityService).check();
    const dataSource = app.get(DataSource);
    const sidecar = latestHeads(backupsDir ?? resolve(settings.dataDir, 'backups'));
    // The township's heads and the audit chain are part of the checker; here the heads it cannot see.
    const heads: WitnessedHead[] = [
      ...(sidecar?.heads.villages ?? []).map((v) => ({
        villageId: v.villageId,
        seq: v.seq,
        hash: v.hash,
        label: `备份 ${sidecar?.heads.backup} 记下的链头`,
      })),
      ...typed,
    ];
    const witnessed = await witnessProblems(dataSource, heads);
    const audit = sidecar?.heads.audit
      ? await auditChainProblems(dataSource, [
          { ...sidecar.heads.audit, label: `备份 ${sidecar.heads.backup} 记下的日志链头` },
        ])
      : [];
    const problems = [...report.problems, ...witnessed.map((w) => `链头：${w.message}`), ...audit];
    console.log(
      `核对 ${report.villages} 个村、${report.households} 户、${report.entries} 条存折明细，以及库存和兑换单；` +
        `对照 ${heads.length} 个留存在账本之外的链头${sidecar ? `（含 ${sidecar.file}）` : ''}和操作日志的链。`,
    );
    for (const problem of problems) console.log(`  不一致：${problem}`);
    console.log(
      problems.length === 0
        ? '账本、链头、操作日志、库存和兑换单无误。'
        : `发现 ${problems.length} 处不一致。`,
    );
    return problems.length === 0 ? 0 : 1;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);

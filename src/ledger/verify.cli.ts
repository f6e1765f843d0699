import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { loadSettings } from '../config/settings.js';
import { IntegrityService } from '../integrity/integrity.service.js';

/**
 * `npm run ledger:verify`: the invariant checker on the configured database — every balance and per-period total
 * recomputed, every village's chain, every stock level and receipt. Exits 1 on any problem.
 */
async function main(): Promise<number> {
  const settings = loadSettings({ ...process.env, SEED: 'none' });
  const app = await NestFactory.createApplicationContext(AppModule.forSettings(settings), {
    logger: ['error'],
  });
  try {
    const report = await app.get(IntegrityService).check();
    console.log(
      `核对 ${report.villages} 个村、${report.households} 户、${report.entries} 条存折明细，以及库存和兑换单。`,
    );
    for (const problem of report.problems) console.log(`  不一致：${problem}`);
    console.log(report.ok ? '账本、库存和兑换单无误。' : `发现 ${report.problems.length} 处不一致。`);
    return report.ok ? 0 : 1;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);

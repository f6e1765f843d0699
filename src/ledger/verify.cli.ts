import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppModule } from '../app.module.js';
import { loadSettings } from '../config/settings.js';
import { Village } from '../villages/village.entity.js';
import { LedgerService } from './ledger.service.js';

/** `npm run ledger:verify`: recomputes every balance and checks every village's chain; exits 1 on any mismatch. */
async function main(): Promise<number> {
  const settings = loadSettings({ ...process.env, SEED: 'none' });
  const app = await NestFactory.createApplicationContext(AppModule.forSettings(settings), {
    logger: ['error'],
  });
  try {
    const villages = await app
      .get<DataSource>(getDataSourceToken())
      .getRepository(Village)
      .find({ order: { id: 'ASC' } });
    const report = await app.get(LedgerService).verify(villages.map((v) => v.id));
    console.log(`核对 ${villages.length} 个村、${report.households} 户、${report.entries} 条存折明细。`);
    for (const m of report.mismatches) {
      console.log(`  不一致：农户 ${m.householdId ?? '-'}，明细 ${m.entryId ?? '-'}：${m.problem}`);
    }
    console.log(
      report.ok
        ? '账本无误。'
        : `发现 ${report.mismatches.length} 处不一致${report.chainValid ? '' : '，记录链被破坏'}。`,
    );
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

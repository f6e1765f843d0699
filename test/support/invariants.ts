import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { GoodsService } from '../../src/supermarket/goods.service.js';
import { RedemptionsService } from '../../src/supermarket/redemptions.service.js';

/**
 * What must hold whatever a test did: every village's book verifies (balances equal their entries, the hash chain is
 * whole), every stock level equals its movements, every receipt has its one entry (and one cancellation if
 * cancelled). Returns the problems found, empty when all holds.
 */
export async function invariantProblems(app: INestApplication): Promise<string[]> {
  const dataSource = app.get<DataSource>(getDataSourceToken());
  const villageIds = ((await dataSource.query('SELECT id FROM village ORDER BY id')) as { id: number }[]).map(
    (v) => Number(v.id),
  );
  const ledger = await app.get(LedgerService).verify(villageIds);
  const stock = await app.get(GoodsService).verifyStock(villageIds);
  const receipts = await app.get(RedemptionsService).verifyReceipts(villageIds);
  return [
    ...ledger.mismatches.map((m) => `ledger: household ${m.householdId} entry ${m.entryId}: ${m.problem}`),
    ...(ledger.chainValid ? [] : ['ledger: a hash chain is broken']),
    ...stock.map((m) => `stock: goods ${m.goodsId}: ${m.problem}`),
    ...receipts.map((m) => `receipt: redemption ${m.redemptionId}: ${m.problem}`),
  ];
}

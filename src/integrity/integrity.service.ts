import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LedgerService } from '../ledger/ledger.service.js';
import { GoodsService } from '../supermarket/goods.service.js';
import { RedemptionsService } from '../supermarket/redemptions.service.js';
import { Village } from '../villages/village.entity.js';

export interface IntegrityReport {
  ok: boolean;
  villages: number;
  households: number;
  entries: number;
  problems: string[];
}

/**
 * The invariant checker: what must hold whatever happened (a crash, a race, a restore). Every village's book verifies
 * (balances and per-period totals equal their entries, the hash chain is whole), every stock level equals its
 * movements, every receipt has exactly one entry (and one cancellation entry if cancelled).
 */
@Injectable()
export class IntegrityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly goods: GoodsService,
    private readonly redemptions: RedemptionsService,
  ) {}

  async check(): Promise<IntegrityReport> {
    const villageIds = (
      await this.dataSource.getRepository(Village).find({ select: { id: true }, order: { id: 'ASC' } })
    ).map((v) => v.id);
    const ledger = await this.ledger.verify(villageIds);
    const stock = await this.goods.verifyStock(villageIds);
    const receipts = await this.redemptions.verifyReceipts(villageIds);
    const problems = [
      ...ledger.mismatches.map(
        (m) => `账本：农户 ${m.householdId ?? '-'}，明细 ${m.entryId ?? '-'}：${m.problem}`,
      ),
      ...(ledger.chainValid ? [] : ['账本：记录链被破坏']),
      ...stock.map((m) => `库存：商品 ${m.goodsId}：${m.problem}`),
      ...receipts.map((m) => `兑换单：${m.redemptionId}：${m.problem}`),
    ];
    return {
      ok: problems.length === 0,
      villages: villageIds.length,
      households: ledger.households,
      entries: ledger.entries,
      problems,
    };
  }
}

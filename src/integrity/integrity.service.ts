import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Transactions } from '../database/transactions.js';
import { auditChainProblems } from '../audit/audit-chain.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { recordedWitnesses, witnessProblems } from '../ledger/witness.js';
import { verifyPartyPostings } from './party-posting-checks.js';
import { verifyPostings } from './posting-checks.js';
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
 * movements, every receipt has exactly one entry (and one cancellation entry if cancelled), every posted score record
 * exactly one posting entry of its points and no record left unposted on a closed board (and every posted party
 * record one entry in its member's book), every book continues the
 * heads the township wrote down, and the audit log's chain is whole.
 */
@Injectable()
export class IntegrityService {
  constructor(
    private readonly transactions: Transactions,
    private readonly ledger: LedgerService,
    private readonly goods: GoodsService,
    private readonly redemptions: RedemptionsService,
  ) {}

  /** Reads one consistent moment of the database, so that writes going on meanwhile never show as mismatches. */
  async check(): Promise<IntegrityReport> {
    return this.transactions.snapshot((manager) => this.checkWithin(manager));
  }

  private async checkWithin(manager: EntityManager): Promise<IntegrityReport> {
    const villageIds = (
      await manager.getRepository(Village).find({ select: { id: true }, order: { id: 'ASC' } })
    ).map((v) => v.id);
    const ledger = await this.ledger.verify(villageIds, manager);
    const stock = await this.goods.verifyStock(villageIds, manager);
    const receipts = await this.redemptions.verifyReceipts(villageIds, manager);
    const postings = await verifyPostings(manager, villageIds);
    const partyPostings = await verifyPartyPostings(manager, villageIds);
    // Heads the township wrote down at its reviews: a book rewritten or cut behind them shows here.
    const witnessed = await witnessProblems(
      manager,
      await recordedWitnesses(manager, ['TOWNSHIP_REVIEW', 'TYPED']),
    );
    const audit = await auditChainProblems(manager, []);
    const problems = [
      ...ledger.mismatches.map((m) =>
        m.accountId
          ? `账本：账户 ${m.accountId}，明细 ${m.entryId ?? '-'}：${m.problem}`
          : `账本：农户 ${m.householdId ?? '-'}，明细 ${m.entryId ?? '-'}：${m.problem}`,
      ),
      ...(ledger.chainValid ? [] : ['账本：记录链被破坏']),
      ...stock.map((m) => `库存：商品 ${m.goodsId}：${m.problem}`),
      ...receipts.map((m) => `兑换单：${m.redemptionId}：${m.problem}`),
      ...postings.map((m) =>
        m.recordId !== null
          ? `积分记录：${m.recordId}：${m.problem}`
          : `账本：明细 ${m.entryId}：${m.problem}`,
      ),
      ...partyPostings.map((m) => `党员积分记录：${m.recordId}：${m.problem}`),
      ...witnessed.map((w) => `链头：${w.message}`),
      ...audit,
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

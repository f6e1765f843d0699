import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { scopeLevel, type Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { DomainError } from '../common/domain-error.js';
import { todayInChina } from '../common/dates.js';
import { ReadCache } from '../database/read-cache.js';
import { HouseholdsService } from '../households/households.service.js';
import { keptVillage } from '../villages/kept-village.js';
import { SupermarketSettingsService } from '../supermarket/supermarket-settings.service.js';
import { VillagesService } from '../villages/villages.service.js';
import { EntryKind } from '../ledger/ledger-entry.entity.js';
import { LedgerService, VerifyReport } from '../ledger/ledger.service.js';

export const KIND_LABELS: Record<EntryKind, string> = {
  SCORE: '积分入账',
  SCORE_CORRECTION: '积分更正',
  REDEMPTION: '超市兑换',
  REDEMPTION_CANCEL: '兑换撤销',
  OPENING: '期初积分',
  RESET: '积分清零',
  PARTY_SCORE: '党员积分',
  PARTY_BASE: '党员基础分',
};

/** 积分存折: what a household (or staff in scope) reads, and the verification of the moral bank. */
@Injectable()
export class PassbookService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly cache: ReadCache,
    private readonly supermarket: SupermarketSettingsService,
    private readonly households: HouseholdsService,
    private readonly villages: VillagesService,
  ) {}

  /**
   * The household's passbook, newest first. Pages read it `pageSize` entries at a time (`page` 1 is the newest) and
   * learn whether older ones exist; the API reads up to 500 at once.
   */
  async passbook(
    actor: Actor,
    householdId: number,
    filter: { from?: string; to?: string; kind?: EntryKind; page?: number } = {},
    pageSize = 500,
  ) {
    // Read many times at month end: plain rows, and the village's row from the read cache.
    const household = await this.households.passbookRow(householdId);
    if (!household) throw DomainError.notFound('农户');
    if (actor.kind === 'household' && actor.id !== household.id)
      throw DomainError.forbidden('只能查看自家的存折');
    const village = await keptVillage(this.cache, this.dataSource, household.villageId);
    if (!village) throw DomainError.notFound('村');
    assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
    const page = filter.page ?? 1;
    const entries = await this.ledger.passbook(householdId, {
      ...filter,
      limit: pageSize + 1,
      offset: (page - 1) * pageSize,
    });
    const hasOlder = entries.length > pageSize;
    if (hasOlder) entries.pop();
    return {
      household: {
        id: household.id,
        code: household.code,
        villageId: household.villageId,
        groupId: household.groupId,
        headName: household.headName,
        memberCount: household.memberCount,
        available: household.available,
        earned: household.earned,
        status: household.status,
      },
      village: { id: village.id, name: village.name },
      /** 清零 ahead: households are told in their passbook before available points expire. */
      resetNotice: await this.supermarket.resetNotice(village.id, todayInChina()),
      page,
      hasOlder,
      entries: entries.map((e) => ({
        id: e.id,
        amount: e.amount,
        kind: e.kind,
        kindLabel: KIND_LABELS[e.kind],
        balanceAfter: e.availableAfter,
        earnedAfter: e.earnedAfter,
        description: e.description,
        occurredOn: e.occurredOn,
        createdAt: e.createdAt,
        correctsEntryId: e.correctsEntryId,
      })),
    };
  }

  /** Verifies one village, or every village the actor may see. */
  async verify(actor: Actor, villageId?: number): Promise<VerifyReport> {
    let villages: { id: number }[];
    if (villageId) {
      const village = await this.villages.kept(villageId, { fresh: true });
      if (!village) throw DomainError.notFound('村');
      assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
      villages = [village];
    } else if (scopeLevel(actor) === 'county') {
      villages = await this.villages.names();
    } else if (scopeLevel(actor) === 'township') {
      villages = await this.villages.names(actor.townshipId ?? -1);
    } else {
      const own = await this.villages.kept(actor.villageId ?? -1, { fresh: true });
      villages = own ? [own] : [];
    }
    return this.ledger.verify(villages.map((v) => v.id));
  }
}

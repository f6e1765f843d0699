import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { can, Permission } from '../access/permissions.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { Transactions } from '../database/transactions.js';
import { HouseholdsService } from '../households/households.service.js';
import { RulesService } from '../rules/rules.service.js';
import { ScoringService } from '../scoring/scoring.service.js';
import type { Village } from '../villages/village.entity.js';
import { VillagesService } from '../villages/villages.service.js';
import { ListEntry, ListEntryStatus, ListKind } from './list-entry.entity.js';
import type { Period } from '../common/periods.js';
import { RankingSettingsService } from './ranking-settings.service.js';
import { RankingsService } from './rankings.service.js';

export interface Candidate {
  householdId: number;
  code: string;
  headName: string;
  points: number;
  /** Why the household is proposed: its rank, or the black-list violations posted in the period. */
  why: string;
  entry: ListEntry | null;
}

export interface PublicListRow {
  id: number;
  householdId: number | null;
  code: string | null;
  headName: string | null;
  groupName: string | null;
  reason: string;
  status: ListEntryStatus;
  closingNote: string | null;
}

/**
 * 红榜 / 黑榜: candidates from the period (top households by points; households with a black-list violation posted in
 * it), confirmed by the committee with a reason, published; a black-list entry is lifted when put right (整改), and the
 * township can withdraw any entry. Nothing is deleted.
 */
/** What a feature above the lists does when a black list is published (HonoursService withdraws honours). */
export type BlackListWatcher = (
  manager: EntityManager,
  actor: Actor,
  villageId: number,
  period: Period,
  householdIds: number[],
) => Promise<void>;

@Injectable()
export class ListsService {
  private readonly blackListWatchers: BlackListWatcher[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly rankings: RankingsService,
    private readonly audit: AuditService,
    private readonly settings: RankingSettingsService,
    private readonly households: HouseholdsService,
    private readonly villages: VillagesService,
    private readonly scoring: ScoringService,
    private readonly rules: RulesService,
  ) {}

  async candidates(villageId: number, period: Period): Promise<{ red: Candidate[]; black: Candidate[] }> {
    const { redListSize } = await this.settings.get(villageId, { fresh: true });
    const ranking = await this.rankings.ranking(villageId, period);
    const entries = await this.entries(villageId, period.key);
    const entryOf = (list: ListKind, householdId: number) =>
      entries.find((e) => e.list === list && e.householdId === householdId && e.status !== 'WITHDRAWN') ??
      null;
    const red = ranking.rows
      .filter((r) => r.points > 0 && r.rank !== null && r.rank <= redListSize)
      .map((r) => ({
        householdId: r.householdId,
        code: r.code,
        headName: r.headName,
        points: r.points,
        why: `第 ${r.rank} 名，${r.points} 分`,
        entry: entryOf('RED', r.householdId),
      }));
    // The village's black-list rules (rules), their posted records of the period (scoring), the versions' titles.
    const blackListRules = await this.rules.blackListRuleIds(villageId);
    const records = await this.scoring.postedUnder(villageId, blackListRules, period.start, period.next);
    const titles = await this.rules.versionTitles(records.map((r) => r.ruleVersionId));
    const byHousehold = new Map<number, string[]>();
    for (const r of records) {
      const title = titles.get(r.ruleVersionId);
      if (title === undefined) continue;
      byHousehold.set(r.householdId, [...(byHousehold.get(r.householdId) ?? []), `${r.occurredOn} ${title}`]);
    }
    const pointsOf = new Map(ranking.rows.map((r) => [r.householdId, r]));
    const households = await this.households.briefs([...byHousehold.keys()]);
    const black = households.map((h) => ({
      householdId: h.id,
      code: h.code,
      headName: h.headName,
      points: pointsOf.get(h.id)?.points ?? 0,
      why: (byHousehold.get(h.id) ?? []).join('；'),
      entry: entryOf('BLACK', h.id),
    }));
    return { red, black };
  }

  /** The committee puts a household on a list of the period, with a reason; it shows once published. */
  async confirm(
    actor: Actor,
    villageId: number,
    input: { period: Period; list: ListKind; householdId: number; reason: string },
  ): Promise<ListEntry> {
    if (actor.kind !== 'user') throw DomainError.forbidden();
    await this.villageInScope(actor, villageId);
    const [household] = await this.households.briefs([input.householdId]);
    if (!household || household.villageId !== villageId)
      throw DomainError.validation({ householdId: '所选农户不是本村的' });
    const { red, black } = await this.candidates(villageId, input.period);
    const candidate = (input.list === 'RED' ? red : black).find((c) => c.householdId === household.id);
    if (!candidate)
      throw new DomainError(
        'INVALID_STATE',
        input.list === 'RED'
          ? `${household.headName}家不在${input.period.label}红榜候选（前 ${(await this.settings.get(villageId)).redListSize} 名）之中`
          : `${household.headName}家在${input.period.label}没有已入账的黑榜违规记录`,
      );
    if (candidate.entry)
      throw new DomainError('DUPLICATE', `${household.headName}家已在${input.period.label}的榜上`);
    return this.transactions.run(async (manager) => {
      const entry = await manager.save(
        manager.create(ListEntry, {
          villageId,
          period: input.period.key,
          list: input.list,
          householdId: household.id,
          reason: input.reason,
          status: 'CONFIRMED',
          confirmedBy: actor.id,
        }),
      );
      this.transactions.changed(manager, { villageIds: [villageId] });
      await this.audit.record(
        actor,
        {
          action: 'list.confirm',
          entityType: 'list_entry',
          entityId: entry.id,
          villageId,
          details: {
            period: input.period.key,
            list: input.list,
            householdId: household.id,
            reason: input.reason,
          },
        },
        manager,
      );
      return entry;
    });
  }

  /**
   * A feature above the lists that must act when a black list is published (honours are withdrawn): called in the
   * publishing transaction with the households on the period's published black list. Registered at start-up.
   */
  watchBlackList(watcher: BlackListWatcher): void {
    this.blackListWatchers.push(watcher);
  }

  /** Publishes every confirmed entry of the period at once. */
  async publish(actor: Actor, villageId: number, period: Period): Promise<number> {
    await this.villageInScope(actor, villageId);
    return this.transactions.run(async (manager) => {
      const done = await manager
        .createQueryBuilder()
        .update(ListEntry)
        .set({ status: 'PUBLISHED', publishedAt: new Date() })
        .where("villageId = :villageId AND period = :period AND status = 'CONFIRMED'", {
          villageId,
          period: period.key,
        })
        .execute();
      if (!done.affected) throw new DomainError('INVALID_STATE', `${period.label}没有待发布的红黑榜条目`);
      if (this.blackListWatchers.length > 0) {
        const black = await manager.find(ListEntry, {
          where: { villageId, period: period.key, list: 'BLACK', status: 'PUBLISHED' },
        });
        for (const watcher of this.blackListWatchers)
          await watcher(
            manager,
            actor,
            villageId,
            period,
            black.map((e) => e.householdId),
          );
      }
      this.transactions.changed(manager, { villageIds: [villageId] });
      await this.audit.record(
        actor,
        {
          action: 'list.publish',
          entityType: 'village',
          entityId: villageId,
          villageId,
          details: { period: period.key, entries: done.affected },
        },
        manager,
      );
      return done.affected ?? 0;
    });
  }

  /** 整改: the committee lifts a black-list entry once the household has put it right. */
  async lift(actor: Actor, entryId: number, note: string): Promise<ListEntry> {
    return this.close(actor, entryId, 'LIFTED', note, (e) => {
      if (e.list !== 'BLACK') throw new DomainError('INVALID_STATE', '只有黑榜条目需要整改销号');
      if (e.status !== 'PUBLISHED') throw new DomainError('INVALID_STATE', '只有已发布的黑榜条目可以销号');
    });
  }

  /** The township withdraws an entry it finds unfounded, with its reason. */
  async withdraw(actor: Actor, entryId: number, reason: string): Promise<ListEntry> {
    if (actor.kind !== 'user' || !can(actor, Permission.List.Withdraw))
      throw DomainError.forbidden('只有乡镇可以撤销红黑榜条目');
    return this.close(actor, entryId, 'WITHDRAWN', reason, (e) => {
      if (e.status === 'WITHDRAWN') throw new DomainError('INVALID_STATE', '这条已经撤销了');
    });
  }

  private async close(
    actor: Actor,
    entryId: number,
    status: 'LIFTED' | 'WITHDRAWN',
    note: string,
    check: (e: ListEntry) => void,
  ): Promise<ListEntry> {
    if (actor.kind !== 'user') throw DomainError.forbidden();
    const entry = await this.dataSource.getRepository(ListEntry).findOneBy({ id: entryId });
    if (!entry) throw DomainError.notFound('红黑榜条目');
    await this.villageInScope(actor, entry.villageId);
    check(entry);
    return this.transactions.run(async (manager) => {
      const done = await manager
        .createQueryBuilder()
        .update(ListEntry)
        .set({ status, closingNote: note, closedBy: actor.id, closedAt: new Date() })
        .where('id = :id AND status = :status', { id: entryId, status: entry.status })
        .execute();
      if (done.affected !== 1) throw new DomainError('INVALID_STATE', '这条红黑榜条目刚被别人处理过，请刷新');
      this.transactions.changed(manager, { villageIds: [entry.villageId] });
      await this.audit.record(
        actor,
        {
          action: status === 'LIFTED' ? 'list.lift' : 'list.withdraw',
          entityType: 'list_entry',
          entityId: entryId,
          villageId: entry.villageId,
          details: { note },
        },
        manager,
      );
      return manager.findOneByOrFail(ListEntry, { id: entryId });
    });
  }

  async entry(id: number): Promise<ListEntry> {
    const entry = await this.dataSource.getRepository(ListEntry).findOneBy({ id });
    if (!entry) throw DomainError.notFound('红黑榜条目');
    return entry;
  }

  /** Every entry of the period, whatever its state: the committee's and the township's view. */
  async entries(villageId: number, periodKey?: string): Promise<ListEntry[]> {
    return this.dataSource.getRepository(ListEntry).find({
      where: periodKey ? { villageId, period: periodKey } : { villageId },
      order: { id: 'DESC' },
      take: 500,
    });
  }

  /**
   * What the public sees for a period: published red entries; published and lifted black entries (lifted ones marked
   * 已整改), named or by group only as the village chose. Withdrawn and unpublished entries are not public.
   */
  async published(
    villageId: number,
    period: Period,
  ): Promise<{ red: PublicListRow[]; black: PublicListRow[] }> {
    const village = await this.villages.kept(villageId, { fresh: true });
    if (!village) throw DomainError.notFound('村');
    const { blackListMode } = await this.settings.get(villageId, { fresh: true });
    const entries = await this.dataSource.getRepository(ListEntry).find({
      where: { villageId, period: period.key, status: In(['PUBLISHED', 'LIFTED']) },
      order: { id: 'ASC' },
    });
    // Each entry with its household's code and name (households) and its group's name (villages).
    const [households, groups] = await Promise.all([
      this.households.briefs(entries.map((e) => e.householdId)),
      this.villages.groupNames(villageId),
    ]);
    const householdOf = new Map(households.map((h) => [h.id, h]));
    const groupNames = new Map(groups.map((g) => [Number(g.id), g.name]));
    const rows = entries.flatMap((e) => {
      const h = householdOf.get(Number(e.householdId));
      if (!h) return [];
      return [
        {
          id: e.id,
          list: e.list,
          householdId: e.householdId,
          reason: e.reason,
          status: e.status,
          closingNote: e.closingNote,
          code: h.code,
          headName: h.headName,
          groupName: h.groupId === null ? null : (groupNames.get(h.groupId) ?? null),
        },
      ];
    });
    const named = (r: (typeof rows)[number]): PublicListRow => ({
      id: Number(r.id),
      householdId: Number(r.householdId),
      code: r.code,
      headName: r.headName,
      groupName: r.groupName,
      reason: r.reason,
      status: r.status,
      closingNote: r.closingNote,
    });
    const byGroup = (r: (typeof rows)[number]): PublicListRow => ({
      ...named(r),
      householdId: null,
      code: null,
      headName: null,
    });
    return {
      red: rows.filter((r) => r.list === 'RED' && r.status === 'PUBLISHED').map(named),
      black: rows.filter((r) => r.list === 'BLACK').map(blackListMode === 'GROUP' ? byGroup : named),
    };
  }

  /** The period whose lists were published last: what the board shows. */
  async latestPublishedPeriod(villageId: number): Promise<string | null> {
    const row = await this.dataSource.getRepository(ListEntry).findOne({
      where: { villageId, status: In(['PUBLISHED', 'LIFTED']) },
      order: { publishedAt: 'DESC', id: 'DESC' },
    });
    return row?.period ?? null;
  }

  async isBlackListedIn(householdId: number, year: number): Promise<boolean> {
    return this.dataSource
      .getRepository(ListEntry)
      .createQueryBuilder('e')
      .where("e.householdId = :householdId AND e.list = 'BLACK' AND e.status IN ('PUBLISHED', 'LIFTED')", {
        householdId,
      })
      .andWhere('e.period LIKE :year', { year: `${year}%` })
      .getExists();
  }

  /** Households on a black list published in the year (lifted ones included: they were on it): no stars that year. */
  async blackListedIn(villageId: number, year: number): Promise<Set<number>> {
    const rows = await this.dataSource
      .getRepository(ListEntry)
      .createQueryBuilder('e')
      .select('e.householdId', 'householdId')
      .where("e.villageId = :villageId AND e.list = 'BLACK' AND e.status IN ('PUBLISHED', 'LIFTED')", {
        villageId,
      })
      .andWhere('e.period LIKE :year', { year: `${year}%` })
      .getRawMany<{ householdId: number }>();
    return new Set(rows.map((r) => Number(r.householdId)));
  }

  private async villageInScope(actor: Actor, villageId: number): Promise<Village> {
    const village = await this.villages.kept(villageId, { fresh: true });
    if (!village) throw DomainError.notFound('村');
    assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
    return village;
  }
}

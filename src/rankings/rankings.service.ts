import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityNotFoundError, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { can, Permission } from '../access/permissions.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { ReadCache, villageScope } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import { HouseholdsService, type HouseholdBrief } from '../households/households.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { witnessVillageHead } from '../ledger/witness.js';
import type { Village } from '../villages/village.entity.js';
import { VillagesService } from '../villages/villages.service.js';
import { Clock } from '../common/clock.js';
import { currentPeriod, dayLabel, parsePeriod, periodEnded, type Period } from '../common/periods.js';
import { RankingSnapshot, SnapshotRow, SnapshotStatus } from './ranking-snapshot.entity.js';
import { competitionRanks } from './ranks.js';

export interface RankingRow extends SnapshotRow {
  groupId: number | null;
  /** Places gained since the previous period (negative: lost); null when the household has no rank now or then. */
  change: number | null;
  previousRank: number | null;
}

export interface Ranking {
  period: Period;
  village: { id: number; name: string };
  groupId: number | null;
  rows: RankingRow[];
}

/** A period written as people type it (the running month when empty), or a refusal naming the field. */
export function periodOrRefuse(text: unknown, field = 'period', today?: string): Period {
  if (text === undefined || text === null || text === '') return currentPeriod('month', today);
  const period = typeof text === 'string' ? parsePeriod(text.trim()) : null;
  if (!period)
    throw DomainError.validation({
      [field]: '期间应为 2026年11月、2026年第4季度或2026年（也可写 2026-11、2026-Q4、2026）',
    });
  return period;
}

/** Why a period's ranking cannot be submitted yet (it is running or to come), and from which day it can; null once over. */
export function notSubmittableYet(period: Period, today: string): { message: string; from: string } | null {
  if (periodEnded(period, today)) return null;
  const when = period.start > today ? '还没有开始' : '还没有结束';
  return {
    message: `${period.label}${when}，结束后才能上报`,
    from: `${period.label}${when}，${dayLabel(period.next)}起可以提交乡镇审核。`,
  };
}

export function snapshotView(s: RankingSnapshot) {
  return {
    id: s.id,
    villageId: s.villageId,
    period: s.period,
    status: s.status,
    rows: JSON.parse(s.rowsJson) as SnapshotRow[],
    submittedBy: s.submittedBy,
    submittedAt: s.submittedAt,
    reviewedBy: s.reviewedBy,
    reviewedAt: s.reviewedAt,
    comment: s.comment,
  };
}

/**
 * 排名: live rankings of a village or group for a month, quarter or year by the period's earned points, read from the
 * per-period totals (one row per household, whatever the size of the ledger); snapshots for the township's review.
 */
@Injectable()
export class RankingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly cache: ReadCache,
    private readonly clock: Clock,
    private readonly households: HouseholdsService,
    private readonly villages: VillagesService,
    private readonly ledger: LedgerService,
  ) {}

  /**
   * Kept in the read cache until a write in the village (a month end's crowd reads one ranking many times); `fresh`
   * reads the database, for what is frozen from it (a snapshot submitted for review).
   */
  async ranking(
    villageId: number,
    period: Period,
    groupId?: number | null,
    options: { fresh?: boolean } = {},
  ): Promise<Ranking> {
    const village = await this.villages.kept(villageId, options);
    if (!village) throw DomainError.notFound('村');
    if (groupId) {
      const groups = await this.villages.groupNames(villageId);
      if (!groups.some((g) => Number(g.id) === Number(groupId)))
        throw DomainError.validation({ groupId: '村民小组不属于本村' });
    }
    if (options.fresh) return this.computeRanking(village, period, groupId ?? null);
    return this.cache.get(`ranking:${village.id}:${period.key}:${groupId ?? ''}`, villageScope(village), () =>
      this.computeRanking(village, period, groupId ?? null),
    );
  }

  /**
   * The households from households, their totals of the period and the one before from the ledger, the group names
   * from villages: four queries, joined here by id.
   */
  private async computeRanking(village: Village, period: Period, groupId: number | null): Promise<Ranking> {
    const villageId = village.id;
    const [households, totals, totalsBefore, groups] = await Promise.all([
      this.households.briefsInVillage(villageId, groupId),
      this.ledger.periodTotals(villageId, period.key),
      this.ledger.periodTotals(villageId, period.previous),
      this.villages.groupNames(villageId),
    ]);
    const groupNames = new Map(groups.map((g) => [Number(g.id), g.name]));
    const rows = rankedRows(households, totals, groupNames);
    const previous = rankedRows(households, totalsBefore, groupNames);
    const before = new Map(previous.filter((r) => r.rank !== null).map((r) => [r.householdId, r.rank]));
    return {
      period,
      village: { id: village.id, name: village.name },
      groupId: groupId ?? null,
      rows: rows.map((r) => {
        const previousRank = before.get(r.householdId) ?? null;
        const change = previousRank === null || r.rank === null ? null : previousRank - r.rank;
        return { ...r, previousRank, change };
      }),
    };
  }

  /**
   * A household's place in its whole village for a period (a villager's page shows it): its row of the village's
   * kept ranking, or, for a household not in it (moved out, no points), counted: competition rank = 1 + the
   * households with more points. No rank (null) without points in the period.
   */
  async rankOf(
    householdId: number,
    period: Period,
    options: { fresh?: boolean } = {},
  ): Promise<{ rank: number | null; points: number; households: number }> {
    const [household] = await this.households.briefs([householdId]);
    // As findOneByOrFail did: a caller passes a household that exists.
    if (!household) throw new EntityNotFoundError('Household', { id: householdId });
    const ranking = await this.ranking(household.villageId, period, null, options);
    const mine = ranking.rows.find((r) => r.householdId === householdId);
    if (mine) return { rank: mine.rank, points: mine.points, households: ranking.rows.length };
    const [points, households, totals] = await Promise.all([
      this.ledger.periodPoints(householdId, period.key),
      this.households.briefsInVillage(household.villageId),
      this.ledger.periodTotals(household.villageId, period.key),
    ]);
    const counted = households.filter((h) => h.status === 'ACTIVE' || totals.has(h.id));
    const higher = counted.filter((h) => (totals.get(h.id) ?? 0) > points).length;
    return { rank: points === 0 ? null : higher + 1, points, households: counted.length };
  }

  /**
   * The committee submits an ended period's ranking to the township: the rows are frozen as they are now. A running
   * or future period is refused: its points are not final.
   */
  async submit(actor: Actor, villageId: number, period: Period): Promise<RankingSnapshot> {
    if (actor.kind !== 'user') throw DomainError.forbidden();
    const village = await this.villageInScope(actor, villageId);
    const notYet = notSubmittableYet(period, this.clock.today());
    if (notYet) throw new DomainError('INVALID_STATE', notYet.message);
    const ranking = await this.ranking(villageId, period, null, { fresh: true });
    return this.transactions.run(async (manager) => {
      const pending = await manager.findOne(RankingSnapshot, {
        where: [
          { villageId, period: period.key, status: 'SUBMITTED' },
          { villageId, period: period.key, status: 'APPROVED' },
        ],
      });
      if (pending)
        throw new DomainError(
          'INVALID_STATE',
          pending.status === 'APPROVED'
            ? `${period.label}的排名已经通过审核，不能再提交`
            : `${period.label}的排名已提交，正在等待乡镇审核`,
        );
      const rows: SnapshotRow[] = ranking.rows.map((r) => ({
        rank: r.rank,
        householdId: r.householdId,
        code: r.code,
        headName: r.headName,
        groupName: r.groupName,
        points: r.points,
      }));
      const snapshot = await manager.save(
        manager.create(RankingSnapshot, {
          villageId,
          period: period.key,
          status: 'SUBMITTED',
          rowsJson: JSON.stringify(rows),
          submittedBy: actor.id,
        }),
      );
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action: 'ranking.submit',
          entityType: 'ranking_snapshot',
          entityId: snapshot.id,
          villageId,
          townshipId: village.townshipId,
          details: { period: period.key, households: rows.length },
        },
        manager,
      );
      return snapshot;
    });
  }

  /** The township approves (the board shows it) or returns it with a comment (the village may submit again). */
  async review(
    actor: Actor,
    snapshotId: number,
    decision: 'APPROVED' | 'RETURNED',
    comment?: string,
  ): Promise<RankingSnapshot> {
    if (actor.kind !== 'user' || !can(actor, Permission.Ranking.Review))
      throw DomainError.forbidden('只有乡镇审核员可以审核排名');
    const snapshot = await this.dataSource.getRepository(RankingSnapshot).findOneBy({ id: snapshotId });
    if (!snapshot) throw DomainError.notFound('排名快照');
    const village = await this.villageInScope(actor, snapshot.villageId);
    return this.transactions.run(async (manager) => {
      const done = await manager
        .createQueryBuilder()
        .update(RankingSnapshot)
        .set({ status: decision, reviewedBy: actor.id, reviewedAt: new Date(), comment: comment ?? null })
        .where("id = :id AND status = 'SUBMITTED'", { id: snapshotId })
        .execute();
      if (done.affected !== 1) throw new DomainError('INVALID_STATE', '这份排名已经审核过了');
      // The township keeps the village's book head as it stood at the review: evidence outside the village's reach.
      const head = await witnessVillageHead(
        manager,
        village.id,
        'TOWNSHIP_REVIEW',
        `排名 ${snapshot.period} ${decision === 'APPROVED' ? '通过' : '退回'}`,
        actor.id,
      );
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action: decision === 'APPROVED' ? 'ranking.approve' : 'ranking.return',
          entityType: 'ranking_snapshot',
          entityId: snapshotId,
          villageId: village.id,
          townshipId: village.townshipId,
          details: {
            period: snapshot.period,
            comment: comment ?? null,
            ledgerSeq: head.seq,
            ledgerHead: head.hash,
          },
        },
        manager,
      );
      return manager.findOneByOrFail(RankingSnapshot, { id: snapshotId });
    });
  }

  async snapshots(
    villageId: number,
    options: { status?: SnapshotStatus; rows?: boolean } = {},
  ): Promise<RankingSnapshot[]> {
    return this.dataSource.getRepository(RankingSnapshot).find({
      // Without their frozen rows (rows: false) for a list of them, as the ranking page shows.
      select: options.rows === false ? { id: true, period: true, status: true, comment: true } : undefined,
      where: options.status ? { villageId, status: options.status } : { villageId },
      order: { id: 'DESC' },
      take: 100,
    });
  }

  /** The village's snapshots without their frozen rows, as the ranking page lists them: kept until a write there. */
  snapshotHeads(village: Village): Promise<RankingSnapshot[]> {
    return this.cache.get(`snapshot-heads:${village.id}`, villageScope(village), () =>
      this.snapshots(village.id, { rows: false }),
    );
  }

  /** Submitted snapshots waiting for a township's review, oldest first. */
  async reviewQueue(townshipId: number): Promise<(RankingSnapshot & { villageName: string })[]> {
    const villages = await this.villages.names(townshipId);
    if (villages.length === 0) return [];
    const names = new Map(villages.map((v) => [Number(v.id), v.name]));
    const snapshots = await this.dataSource.getRepository(RankingSnapshot).find({
      where: { villageId: In([...names.keys()]), status: 'SUBMITTED' },
      order: { id: 'ASC' },
    });
    return snapshots.map((s) => Object.assign(s, { villageName: String(names.get(s.villageId)) }));
  }

  async snapshot(actor: Actor, id: number): Promise<RankingSnapshot> {
    const snapshot = await this.dataSource.getRepository(RankingSnapshot).findOneBy({ id });
    if (!snapshot) throw DomainError.notFound('排名快照');
    await this.villageInScope(actor, snapshot.villageId);
    return snapshot;
  }

  /** The latest approved snapshot of the village: what the public board shows. */
  async latestApproved(villageId: number): Promise<RankingSnapshot | null> {
    return this.dataSource
      .getRepository(RankingSnapshot)
      .findOne({ where: { villageId, status: 'APPROVED' }, order: { reviewedAt: 'DESC', id: 'DESC' } });
  }

  private async villageInScope(actor: Actor, villageId: number): Promise<Village> {
    const village = await this.villages.kept(villageId, { fresh: true });
    if (!village) throw DomainError.notFound('村');
    assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
    return village;
  }

  /** The periods the township returned and the village has not submitted again, newest first: the committee's to-do. */
  async returnedToResubmit(villageId: number): Promise<RankingSnapshot[]> {
    const heads = await this.snapshots(villageId, { rows: false });
    const settled = new Set(heads.filter((s) => s.status !== 'RETURNED').map((s) => s.period));
    const returned = heads.filter((s) => s.status === 'RETURNED' && !settled.has(s.period));
    return returned.filter((s, i) => returned.findIndex((o) => o.period === s.period) === i);
  }

  /** Each village's ranking snapshot status for a period (the latest snapshot's when there are several). */
  async snapshotStatuses(villageIds: number[], period: string): Promise<Map<number, SnapshotStatus>> {
    if (villageIds.length === 0) return new Map();
    const snapshots = await this.dataSource.getRepository(RankingSnapshot).find({
      where: { villageId: In(villageIds), period },
      order: { id: 'ASC' },
      select: { id: true, villageId: true, status: true },
    });
    return new Map(snapshots.map((s) => [s.villageId, s.status]));
  }
}

/**
 * Every active household of the village (or group) with its total of the period, 0 when it has none; a household
 * that moved out still shows for a period in which it earned points. By points, then in the households' code order.
 */
function rankedRows(
  households: readonly HouseholdBrief[],
  totals: ReadonlyMap<number, number>,
  groupNames: ReadonlyMap<number, string>,
) {
  const rows = households
    .filter((h) => h.status === 'ACTIVE' || totals.has(h.id))
    .map((h) => ({
      householdId: h.id,
      code: h.code,
      headName: h.headName,
      groupId: h.groupId,
      groupName: h.groupId === null ? null : (groupNames.get(h.groupId) ?? null),
      points: totals.get(h.id) ?? 0,
    }));
  // A stable sort: equal points keep the code order the households came in.
  return competitionRanks(rows.sort((a, b) => b.points - a.points));
}

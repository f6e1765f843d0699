import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditLog } from '../audit/audit-log.entity.js';
import { DomainError } from '../common/domain-error.js';
import { Household } from '../households/household.entity.js';
import { Objection } from '../publications/objection.entity.js';
import { PeriodTotal } from '../rankings/period-total.entity.js';
import { type Period } from '../rankings/periods.js';
import { RankingSnapshot } from '../rankings/ranking-snapshot.entity.js';
import { ScoringRule } from '../rules/scoring-rule.entity.js';
import { ScoreRecord } from '../scoring/score-record.entity.js';
import { Redemption } from '../supermarket/redemption.entity.js';
import { Township } from '../townships/township.entity.js';
import { User } from '../users/user.entity.js';
import { Village } from '../villages/village.entity.js';

/** A scorer is looked at when at least this many records of the period go, for 60% or more, to three households. */
export const CONCENTRATION_MIN_RECORDS = 5;
export const CONCENTRATION_SHARE = 0.6;
/** A household scored by staff of its own group is looked at from twice the village median and 30 points above it. */
export const FAVOUR_FACTOR = 2;
export const FAVOUR_MARGIN = 30;
/** Ten or more records of one recorder approved by one reviewer within five minutes. */
export const BULK_MIN_RECORDS = 10;
export const BULK_WINDOW_MS = 5 * 60_000;

export interface OverviewRow {
  villageId: number;
  name: string;
  households: number;
  earned: number;
  redeemed: number;
  pendingRecords: number;
  openObjections: number;
  snapshotStatus: string | null;
  lastActivity: string | null;
}

export interface FairnessSignal {
  kind: 'CONCENTRATION' | 'SAME_GROUP' | 'BULK_APPROVAL';
  villageId: number;
  villageName: string;
  text: string;
}

const byVillage = (rows: { villageId: number | string; n: number | string | null }[]) =>
  new Map(rows.map((r) => [Number(r.villageId), Number(r.n ?? 0)]));

/** 乡镇总览: every village of a township side by side for a period, charts, and fairness signals to look into. */
@Injectable()
export class TownshipService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async township(actor: Actor, townshipId: number): Promise<{ township: Township; villages: Village[] }> {
    const township = await this.dataSource.getRepository(Township).findOneBy({ id: townshipId });
    if (!township) throw DomainError.notFound('乡镇');
    assertInScope(actor, { townshipId });
    const villages = await this.dataSource
      .getRepository(Village)
      .find({ where: { townshipId, active: true }, order: { id: 'ASC' } });
    return { township, villages };
  }

  /** A handful of grouped queries for the whole township, never one query per village. */
  async overview(villages: Village[], period: Period): Promise<OverviewRow[]> {
    if (villages.length === 0) return [];
    const ids = villages.map((v) => v.id);
    const q = () => this.dataSource.createQueryBuilder();
    const [households, earned, redeemed, pending, objections, snapshots, activity] = await Promise.all([
      q()
        .select('h.villageId', 'villageId')
        .addSelect('COUNT(*)', 'n')
        .from(Household, 'h')
        .where("h.villageId IN (:...ids) AND h.status = 'ACTIVE'", { ids })
        .groupBy('h.villageId')
        .getRawMany(),
      q()
        .select('t.villageId', 'villageId')
        .addSelect('SUM(t.points)', 'n')
        .from(PeriodTotal, 't')
        .where('t.villageId IN (:...ids) AND t.period = :p', { ids, p: period.key })
        .groupBy('t.villageId')
        .getRawMany(),
      q()
        .select('r.villageId', 'villageId')
        .addSelect('SUM(r.totalPoints)', 'n')
        .from(Redemption, 'r')
        .where("r.villageId IN (:...ids) AND r.status = 'DONE'", { ids })
        .andWhere('r.occurredOn >= :start AND r.occurredOn < :next', {
          start: period.start,
          next: period.next,
        })
        .groupBy('r.villageId')
        .getRawMany(),
      q()
        .select('r.villageId', 'villageId')
        .addSelect('COUNT(*)', 'n')
        .from(ScoreRecord, 'r')
        .where("r.villageId IN (:...ids) AND r.status = 'PENDING'", { ids })
        .groupBy('r.villageId')
        .getRawMany(),
      q()
        .select('o.villageId', 'villageId')
        .addSelect('COUNT(*)', 'n')
        .from(Objection, 'o')
        .where("o.villageId IN (:...ids) AND o.status = 'OPEN'", { ids })
        .groupBy('o.villageId')
        .getRawMany(),
      this.dataSource.getRepository(RankingSnapshot).find({
        where: { villageId: In(ids), period: period.key },
        order: { id: 'ASC' },
        select: { id: true, villageId: true, status: true },
      }),
      q()
        .select('a.villageId', 'villageId')
        .addSelect('MAX(a.createdAt)', 'n')
        .from(AuditLog, 'a')
        .where('a.villageId IN (:...ids)', { ids })
        .groupBy('a.villageId')
        .getRawMany(),
    ]);
    const counts = [households, earned, redeemed, pending, objections].map(byVillage);
    const snapshotOf = new Map(snapshots.map((s) => [s.villageId, s.status]));
    const lastOf = new Map(
      activity.map((r) => [Number(r.villageId), r.n ? new Date(r.n).toISOString() : null]),
    );
    return villages.map((v) => ({
      villageId: v.id,
      name: v.name,
      households: counts[0].get(v.id) ?? 0,
      earned: counts[1].get(v.id) ?? 0,
      redeemed: counts[2].get(v.id) ?? 0,
      pendingRecords: counts[3].get(v.id) ?? 0,
      openObjections: counts[4].get(v.id) ?? 0,
      snapshotStatus: snapshotOf.get(v.id) ?? null,
      lastActivity: lastOf.get(v.id) ?? null,
    }));
  }

  /** Posted points of the period by rule category (rewards and deductions netted per category). */
  async byCategory(villageIds: number[], period: Period) {
    if (villageIds.length === 0) return [];
    const rows = await this.dataSource
      .createQueryBuilder()
      .select('rule.category', 'label')
      .addSelect('SUM(r.points)', 'value')
      .from(ScoreRecord, 'r')
      .innerJoin(ScoringRule, 'rule', 'rule.id = r.ruleId')
      .where("r.villageId IN (:...ids) AND r.status = 'POSTED'", { ids: villageIds })
      .andWhere('r.occurredOn >= :start AND r.occurredOn < :next', { start: period.start, next: period.next })
      .groupBy('rule.category')
      .orderBy('rule.category', 'ASC')
      .getRawMany();
    return rows.map((r) => ({ label: String(r.label), value: Number(r.value) }));
  }

  /** Earned points of each of the last twelve months (per-period totals: cheap at any ledger size). */
  async trend(villageIds: number[], months: string[]) {
    const rows = villageIds.length
      ? await this.dataSource
          .createQueryBuilder()
          .select('t.period', 'period')
          .addSelect('SUM(t.points)', 'value')
          .from(PeriodTotal, 't')
          .where('t.villageId IN (:...ids) AND t.period IN (:...months)', { ids: villageIds, months })
          .groupBy('t.period')
          .getRawMany()
      : [];
    const of = new Map(rows.map((r) => [String(r.period), Number(r.value)]));
    return months.map((m) => ({ label: `${Number(m.slice(5))}月`, value: of.get(m) ?? 0 }));
  }

  /** How many active households earned how much in the period. */
  async distribution(villageIds: number[], period: Period) {
    const buckets = [
      { label: '扣分为负', test: (p: number) => p < 0 },
      { label: '0 分', test: (p: number) => p === 0 },
      { label: '1–19 分', test: (p: number) => p > 0 && p < 20 },
      { label: '20–49 分', test: (p: number) => p >= 20 && p < 50 },
      { label: '50–99 分', test: (p: number) => p >= 50 && p < 100 },
      { label: '100 分以上', test: (p: number) => p >= 100 },
    ];
    if (villageIds.length === 0) return buckets.map((b) => ({ label: b.label, value: 0 }));
    const rows = await this.dataSource
      .createQueryBuilder()
      .select('COALESCE(t.points, 0)', 'points')
      .from(Household, 'h')
      .leftJoin(PeriodTotal, 't', 't.householdId = h.id AND t.period = :p', { p: period.key })
      .where("h.villageId IN (:...ids) AND h.status = 'ACTIVE'", { ids: villageIds })
      .getRawMany();
    const points = rows.map((r) => Number(r.points));
    return buckets.map((b) => ({ label: b.label, value: points.filter(b.test).length }));
  }

  /** Patterns worth a look, with the numbers behind each: a list to look into, not an accusation. */
  async fairness(villages: Village[], period: Period): Promise<FairnessSignal[]> {
    if (villages.length === 0) return [];
    const ids = villages.map((v) => v.id);
    const nameOf = new Map(villages.map((v) => [v.id, v.name]));
    const signals: FairnessSignal[] = [];
    const records = await this.dataSource.getRepository(ScoreRecord).find({
      where: { villageId: In(ids) },
      select: {
        id: true,
        villageId: true,
        householdId: true,
        recordedBy: true,
        reviewedBy: true,
        reviewedAt: true,
        occurredOn: true,
        status: true,
      },
    });
    const inPeriod = records.filter((r) => r.occurredOn >= period.start && r.occurredOn < period.next);
    const staffIds = [
      ...new Set(inPeriod.flatMap((r) => [r.recordedBy, r.reviewedBy]).filter((x): x is number => !!x)),
    ];
    const staff = staffIds.length
      ? await this.dataSource.getRepository(User).find({
          where: { id: In(staffIds) },
          select: { id: true, displayName: true, householdId: true },
        })
      : [];
    const staffOf = new Map(staff.map((u) => [u.id, u]));

    // 1. A scorer whose records go mostly to a few households.
    const byRecorder = new Map<number, ScoreRecord[]>();
    for (const r of inPeriod)
      if (r.recordedBy) byRecorder.set(r.recordedBy, [...(byRecorder.get(r.recordedBy) ?? []), r]);
    for (const [userId, list] of byRecorder) {
      if (list.length < CONCENTRATION_MIN_RECORDS) continue;
      const perHousehold = new Map<number, number>();
      for (const r of list) perHousehold.set(r.householdId, (perHousehold.get(r.householdId) ?? 0) + 1);
      const top = [...perHousehold.values()]
        .sort((a, b) => b - a)
        .slice(0, 3)
        .reduce((s, n) => s + n, 0);
      if (top / list.length >= CONCENTRATION_SHARE)
        signals.push({
          kind: 'CONCENTRATION',
          villageId: list[0].villageId,
          villageName: nameOf.get(list[0].villageId) ?? '',
          text: `${staffOf.get(userId)?.displayName ?? userId} 本期登记 ${list.length} 条，其中 ${top} 条（${Math.round((100 * top) / list.length)}%）集中在 ${Math.min(3, perHousehold.size)} 户`,
        });
    }

    // 2. Households scored by staff of their own group, far above the village median.
    const households = await this.dataSource.getRepository(Household).find({
      where: { villageId: In(ids) },
      select: { id: true, villageId: true, groupId: true, code: true, headName: true },
    });
    const householdOf = new Map(households.map((h) => [h.id, h]));
    const totals = await this.dataSource
      .getRepository(PeriodTotal)
      .find({ where: { villageId: In(ids), period: period.key } });
    const pointsOf = new Map(totals.map((t) => [t.householdId, t.points]));
    for (const v of villages) {
      const values = households
        .filter((h) => h.villageId === v.id)
        .map((h) => pointsOf.get(h.id) ?? 0)
        .sort((a, b) => a - b);
      const median = values.length ? values[Math.floor(values.length / 2)] : 0;
      const flagged = new Set<number>();
      for (const r of inPeriod.filter((x) => x.villageId === v.id && x.recordedBy)) {
        const scorerHome = householdOf.get(staffOf.get(r.recordedBy as number)?.householdId ?? -1);
        const scored = householdOf.get(r.householdId);
        if (!scorerHome || !scored || scorerHome.groupId === null || scorerHome.groupId !== scored.groupId)
          continue;
        const points = pointsOf.get(scored.id) ?? 0;
        if (flagged.has(scored.id) || points < FAVOUR_FACTOR * median || points < median + FAVOUR_MARGIN)
          continue;
        flagged.add(scored.id);
        signals.push({
          kind: 'SAME_GROUP',
          villageId: v.id,
          villageName: v.name,
          text: `${scored.code} ${scored.headName}家本期 ${points} 分（全村中位数 ${median} 分），有记录由同组的 ${staffOf.get(r.recordedBy as number)?.displayName ?? ''} 登记`,
        });
      }
    }

    // 3. Many records of one recorder approved by one reviewer within minutes.
    const pairs = new Map<string, ScoreRecord[]>();
    for (const r of inPeriod)
      if (r.recordedBy && r.reviewedBy && r.reviewedAt)
        pairs.set(`${r.recordedBy}|${r.reviewedBy}`, [
          ...(pairs.get(`${r.recordedBy}|${r.reviewedBy}`) ?? []),
          r,
        ]);
    for (const [key, list] of pairs) {
      const times = list.map((r) => new Date(r.reviewedAt as Date).getTime()).sort((a, b) => a - b);
      let best = 0;
      for (let i = 0, j = 0; i < times.length; i++) {
        while (times[i] - times[j] > BULK_WINDOW_MS) j++;
        best = Math.max(best, i - j + 1);
      }
      if (best < BULK_MIN_RECORDS) continue;
      const [recorder, reviewer] = key.split('|').map(Number);
      signals.push({
        kind: 'BULK_APPROVAL',
        villageId: list[0].villageId,
        villageName: nameOf.get(list[0].villageId) ?? '',
        text: `${staffOf.get(reviewer)?.displayName ?? reviewer} 在 5 分钟内通过了 ${staffOf.get(recorder)?.displayName ?? recorder} 登记的 ${best} 条记录`,
      });
    }
    return signals;
  }
}

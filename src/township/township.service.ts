import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditLog } from '../audit/audit-log.entity.js';
import { parseMoment } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { selectRow, selectRows } from '../database/raw.js';
import { ReadCache } from '../database/read-cache.js';
import { Household } from '../households/household.entity.js';
import { Objection } from '../publications/objection.entity.js';
import { PeriodTotal } from '../ledger/period-total.entity.js';
import { type Period } from '../common/periods.js';
import { addDays } from '../common/dates.js';
import {
  chanceInWords,
  concentration,
  CONCENTRATION_MIN_RECORDS,
  FAIRNESS_ALPHA,
  fires,
} from './fairness.js';
import { RankingSnapshot } from '../rankings/ranking-snapshot.entity.js';
import { ScoringRule } from '../rules/scoring-rule.entity.js';
import { ScoreRecord } from '../scoring/score-record.entity.js';
import { Redemption } from '../supermarket/redemption.entity.js';
import { Township } from '../townships/township.entity.js';
import { User } from '../users/user.entity.js';
import { Village } from '../villages/village.entity.js';

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
  kind: 'CONCENTRATION' | 'SAME_GROUP' | 'BULK_APPROVAL' | 'CREATOR_APPROVAL';
  villageId: number;
  villageName: string;
  /** One line: what was seen, with the numbers (and for a tested pattern, the chance in words). */
  text: string;
  /** A page listing the records behind it. */
  href: string;
  /** For a tested pattern: the chance of it under fair scoring (see fairness.ts). */
  pValue?: number;
}

/** 操作日志 of one person in one village over the period: the records behind a signal, with who did what when. */
function auditLink(period: Period, villageId: number, person: string, action: string): string {
  const query = new URLSearchParams({
    villageId: String(villageId),
    person,
    action,
    from: period.start,
    to: addDays(period.next, -1),
  });
  return `/audit?${query.toString()}`;
}

/** p = 0.0034, p < 0.000001. */
const pText = (p: number) => (p < 1e-6 ? '< 0.000001' : `= ${Number(p.toPrecision(2))}`);

const byVillage = (rows: { villageId: number | string; n: number | string | null }[]) =>
  new Map(rows.map((r) => [Number(r.villageId), Number(r.n ?? 0)]));

/** 乡镇总览: every village of a township side by side for a period, charts, and fairness signals to look into. */
@Injectable()
export class TownshipService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: ReadCache,
  ) {}

  /**
   * Everything the dashboard shows for a period, kept until a write in the township or one of its villages (the
   * township opens it many times between two postings).
   */
  async dashboard(townshipId: number, villages: Village[], period: Period, trendMonths: string[]) {
    const ids = villages.map((v) => v.id);
    return this.cache.get(
      `township:${townshipId}:${period.key}:${ids.join(',')}`,
      { villageIds: ids, townshipIds: [townshipId] },
      async () => {
        const [rows, categories, trend, distribution, signals] = await Promise.all([
          this.overview(villages, period),
          this.byCategory(ids, period),
          this.trend(ids, trendMonths),
          this.distribution(ids, period),
          this.fairness(villages, period),
        ]);
        return { period, rows, categories, trend, distribution, signals };
      },
    );
  }

  async township(actor: Actor, townshipId: number): Promise<{ township: Township; villages: Village[] }> {
    // Read on every dashboard view, before the kept dashboard: plain rows rather than the query builder.
    const township = await selectRow(this.dataSource.manager, Township, townshipId);
    if (!township) throw DomainError.notFound('乡镇');
    assertInScope(actor, { townshipId });
    const villages = await selectRows(this.dataSource.manager, Village, { townshipId, active: true });
    return { township, villages: villages.sort((a, b) => a.id - b.id) };
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
      activity.map((r) => [Number(r.villageId), parseMoment(r.n)?.toISOString() ?? null]),
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

  /**
   * Patterns worth a look, with the numbers behind each: a list to look into, not an accusation. Aggregated in SQL over
   * the period's records only, so its cost follows the period's activity, not the whole history.
   */
  async fairness(villages: Village[], period: Period): Promise<FairnessSignal[]> {
    if (villages.length === 0) return [];
    const ids = villages.map((v) => v.id);
    const nameOf = new Map(villages.map((v) => [v.id, v.name]));
    const inPeriod = (qb: ReturnType<DataSource['createQueryBuilder']>) =>
      qb
        .where('r.villageId IN (:...ids)', { ids })
        .andWhere('r.occurredOn >= :start AND r.occurredOn < :next', {
          start: period.start,
          next: period.next,
        });
    const signals: FairnessSignal[] = [];
    const staffName = async (userIds: number[]) => {
      const users = userIds.length
        ? await this.dataSource
            .getRepository(User)
            .find({ where: { id: In(userIds) }, select: { id: true, displayName: true } })
        : [];
      return new Map(users.map((u) => [u.id, u.displayName]));
    };

    // 1. A scorer whose reward records go to a few households more than chance explains (see fairness.ts).
    signals.push(...(await this.concentrationSignals(villages, period, inPeriod)));

    // 2. Households scored by staff of their own group, far above the village median.
    const sameGroup = await inPeriod(
      this.dataSource
        .createQueryBuilder()
        .select('r.householdId', 'householdId')
        .addSelect('r.villageId', 'villageId')
        .addSelect('u.displayName', 'scorer')
        .addSelect('h.code', 'code')
        .addSelect('h.headName', 'headName')
        .from(ScoreRecord, 'r')
        .innerJoin(User, 'u', 'u.id = r.recordedBy')
        .innerJoin(Household, 'home', 'home.id = u.householdId')
        .innerJoin(Household, 'h', 'h.id = r.householdId'),
    )
      .andWhere('home.groupId IS NOT NULL AND home.groupId = h.groupId')
      .distinct(true)
      .getRawMany();
    if (sameGroup.length > 0) {
      const totals = await this.dataSource
        .createQueryBuilder()
        .select('h.villageId', 'villageId')
        .addSelect('h.id', 'householdId')
        .addSelect('COALESCE(t.points, 0)', 'points')
        .from(Household, 'h')
        .leftJoin(PeriodTotal, 't', 't.householdId = h.id AND t.period = :p', { p: period.key })
        .where("h.villageId IN (:...vs) AND h.status = 'ACTIVE'", {
          vs: [...new Set(sameGroup.map((r) => Number(r.villageId)))],
        })
        .getRawMany();
      const pointsOf = new Map(totals.map((t) => [Number(t.householdId), Number(t.points)]));
      const medianOf = new Map<number, number>();
      for (const v of new Set(totals.map((t) => Number(t.villageId)))) {
        const values = totals
          .filter((t) => Number(t.villageId) === v)
          .map((t) => Number(t.points))
          .sort((a, b) => a - b);
        medianOf.set(v, values.length ? values[Math.floor(values.length / 2)] : 0);
      }
      const flagged = new Set<number>();
      for (const row of sameGroup) {
        const id = Number(row.householdId);
        const median = medianOf.get(Number(row.villageId)) ?? 0;
        const points = pointsOf.get(id) ?? 0;
        if (flagged.has(id) || points < FAVOUR_FACTOR * median || points < median + FAVOUR_MARGIN) continue;
        flagged.add(id);
        signals.push({
          kind: 'SAME_GROUP',
          villageId: Number(row.villageId),
          villageName: nameOf.get(Number(row.villageId)) ?? '',
          text: `${row.code} ${row.headName}家本期 ${points} 分（全村中位数 ${median} 分），有记录由同组的 ${row.scorer} 登记`,
          href: `/households/${id}/passbook?${new URLSearchParams({ from: period.start, to: addDays(period.next, -1) }).toString()}`,
        });
      }
    }

    // 3. Many records of one recorder approved by one reviewer within minutes.
    const reviews = await inPeriod(
      this.dataSource
        .createQueryBuilder()
        .select('r.recordedBy', 'recordedBy')
        .addSelect('r.reviewedBy', 'reviewedBy')
        .addSelect('r.villageId', 'villageId')
        .addSelect('r.reviewedAt', 'reviewedAt')
        .from(ScoreRecord, 'r'),
    )
      .andWhere('r.recordedBy IS NOT NULL AND r.reviewedBy IS NOT NULL AND r.reviewedAt IS NOT NULL')
      .getRawMany();
    const pairs = new Map<string, { villageId: number; times: number[] }>();
    for (const r of reviews) {
      const key = `${r.recordedBy}|${r.reviewedBy}`;
      const entry = pairs.get(key) ?? { villageId: Number(r.villageId), times: [] };
      entry.times.push(new Date(r.reviewedAt).getTime());
      pairs.set(key, entry);
    }
    const reviewerNames = await staffName([
      ...new Set([...pairs.keys()].flatMap((k) => k.split('|').map(Number))),
    ]);
    for (const [key, { villageId, times }] of pairs) {
      times.sort((a, b) => a - b);
      let best = 0;
      for (let i = 0, j = 0; i < times.length; i++) {
        while (times[i] - times[j] > BULK_WINDOW_MS) j++;
        best = Math.max(best, i - j + 1);
      }
      if (best < BULK_MIN_RECORDS) continue;
      const [recorder, reviewer] = key.split('|').map(Number);
      signals.push({
        kind: 'BULK_APPROVAL',
        villageId,
        villageName: nameOf.get(villageId) ?? '',
        href: auditLink(period, villageId, String(reviewerNames.get(reviewer) ?? reviewer), 'score.approve'),
        text: `${reviewerNames.get(reviewer) ?? reviewer} 在 5 分钟内通过了 ${reviewerNames.get(recorder) ?? recorder} 登记的 ${best} 条记录`,
      });
    }

    // 4. Records approved by the person who created the recorder's account: one person may be acting alone.
    const ownMade = await inPeriod(
      this.dataSource
        .createQueryBuilder()
        .select('r.recordedBy', 'recordedBy')
        .addSelect('r.reviewedBy', 'reviewedBy')
        .addSelect('r.villageId', 'villageId')
        .addSelect('COUNT(*)', 'n')
        .addSelect('SUM(r.points)', 'points')
        .from(ScoreRecord, 'r')
        .innerJoin(User, 'u', 'u.id = r.recordedBy'),
    )
      .andWhere('u.createdBy IS NOT NULL AND r.reviewedBy = u.createdBy')
      .andWhere("r.status NOT IN ('PENDING', 'REJECTED')")
      .groupBy('r.recordedBy')
      .addGroupBy('r.reviewedBy')
      .addGroupBy('r.villageId')
      .getRawMany();
    const makerNames = await staffName([
      ...new Set(ownMade.flatMap((r) => [Number(r.recordedBy), Number(r.reviewedBy)])),
    ]);
    for (const row of ownMade) {
      const villageId = Number(row.villageId);
      const reviewer = makerNames.get(Number(row.reviewedBy)) ?? row.reviewedBy;
      signals.push({
        kind: 'CREATOR_APPROVAL',
        villageId,
        villageName: nameOf.get(villageId) ?? '',
        href: auditLink(period, villageId, String(reviewer), 'score.approve'),
        text: `${reviewer} 通过了 ${makerNames.get(Number(row.recordedBy)) ?? row.recordedBy} 登记的 ${Number(row.n)} 条记录（共 ${Number(row.points)} 分），而 ${makerNames.get(Number(row.recordedBy)) ?? row.recordedBy} 的账号正是 ${reviewer} 开设的`,
      });
    }
    return signals;
  }

  /**
   * Each scorer's reward records of the period per household, tested against a uniform spread over the village's
   * active households; the threshold is divided by the number of scorer–village pairs tested (Bonferroni).
   */
  private async concentrationSignals(
    villages: Village[],
    period: Period,
    inPeriod: (
      qb: ReturnType<DataSource['createQueryBuilder']>,
    ) => ReturnType<DataSource['createQueryBuilder']>,
  ): Promise<FairnessSignal[]> {
    const ids = villages.map((v) => v.id);
    const [perPair, households] = await Promise.all([
      inPeriod(
        this.dataSource
          .createQueryBuilder()
          .select('r.recordedBy', 'recordedBy')
          .addSelect('r.villageId', 'villageId')
          .addSelect('r.householdId', 'householdId')
          .addSelect('COUNT(*)', 'n')
          .from(ScoreRecord, 'r'),
      )
        .andWhere("r.recordedBy IS NOT NULL AND r.points > 0 AND r.status NOT IN ('REJECTED', 'REVOKED')")
        .groupBy('r.recordedBy')
        .addGroupBy('r.villageId')
        .addGroupBy('r.householdId')
        .getRawMany(),
      this.dataSource
        .createQueryBuilder()
        .select('h.villageId', 'villageId')
        .addSelect('COUNT(*)', 'n')
        .from(Household, 'h')
        .where("h.villageId IN (:...ids) AND h.status = 'ACTIVE'", { ids })
        .groupBy('h.villageId')
        .getRawMany(),
    ]);
    const householdsOf = byVillage(households);
    const pairs = new Map<string, { recordedBy: number; villageId: number; counts: Map<number, number> }>();
    for (const row of perPair) {
      const key = `${row.recordedBy}|${row.villageId}`;
      const pair = pairs.get(key) ?? {
        recordedBy: Number(row.recordedBy),
        villageId: Number(row.villageId),
        counts: new Map<number, number>(),
      };
      pair.counts.set(Number(row.householdId), Number(row.n));
      pairs.set(key, pair);
    }
    const tested = [...pairs.values()]
      .map((pair) => ({
        ...pair,
        result: concentration([...pair.counts.values()], householdsOf.get(pair.villageId) ?? 0),
      }))
      .filter((pair) => pair.result.records >= CONCENTRATION_MIN_RECORDS);
    const flagged = tested.filter((pair) => fires(pair.result, tested.length));
    if (flagged.length === 0) return [];
    const topOf = (counts: Map<number, number>, k: number) =>
      [...counts]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, k)
        .map(([id]) => id);
    const topIds = flagged.flatMap((pair) => topOf(pair.counts, pair.result.topHouseholds));
    const [scorers, homes] = await Promise.all([
      this.dataSource.getRepository(User).find({
        where: { id: In(flagged.map((pair) => pair.recordedBy)) },
        select: { id: true, displayName: true, username: true },
      }),
      this.dataSource
        .getRepository(Household)
        .find({ where: { id: In(topIds) }, select: { id: true, code: true, headName: true } }),
    ]);
    const homeOf = new Map(homes.map((h) => [h.id, `${h.code} ${h.headName}`]));
    const threshold = FAIRNESS_ALPHA / tested.length;
    return flagged.map(({ recordedBy, villageId, counts, result }) => {
      const user = scorers.find((u) => u.id === recordedBy);
      const scorer = user?.displayName ?? String(recordedBy);
      const top = topOf(counts, result.topHouseholds).map((id) => homeOf.get(id) ?? id);
      return {
        kind: 'CONCENTRATION' as const,
        villageId,
        villageName: villages.find((v) => v.id === villageId)?.name ?? '',
        text:
          `${scorer} 本期登记加分 ${result.records} 条，其中 ${result.top} 条（${Math.round((100 * result.top) / result.records)}%）` +
          `给了 ${top.join('、')} 这 ${result.topHouseholds} 户；全村 ${householdsOf.get(villageId) ?? 0} 户，` +
          `若随机分布，这样集中的可能${chanceInWords(result.pValue)}（p ${pText(result.pValue)}，提示阈值 ${Number(threshold.toPrecision(2))}）`,
        // The log names a person 姓名(账号): both, so that a namesake's records stay out.
        href: auditLink(period, villageId, user ? `${user.displayName}(${user.username})` : scorer, 'score'),
        pValue: result.pValue,
      };
    });
  }
}

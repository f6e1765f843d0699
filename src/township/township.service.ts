import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { addDays } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { type Period } from '../common/periods.js';
import { ReadCache } from '../database/read-cache.js';
import { BankLookupsService } from '../bank/bank-lookups.service.js';
import { VILLAGE_GRADE_RULE } from '../credit/credit-grade-rules.js';
import { CreditGradesService } from '../credit/credit-grades.service.js';
import { GridAffairsService } from '../grids/grid-affairs.service.js';
import { HouseholdsService } from '../households/households.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { PublicationsService } from '../publications/publications.service.js';
import { RankingsService } from '../rankings/rankings.service.js';
import { ScoringService } from '../scoring/scoring.service.js';
import { SupermarketReportsService } from '../supermarket/reports.service.js';
import type { Township } from '../townships/township.entity.js';
import { TownshipsService } from '../townships/townships.service.js';
import { UsersService } from '../users/users.service.js';
import type { Village } from '../villages/village.entity.js';
import { VillagesService } from '../villages/villages.service.js';
import { VolunteeringService } from '../volunteering/volunteering.service.js';
import {
  chanceInWords,
  concentration,
  CONCENTRATION_MIN_RECORDS,
  FAIRNESS_ALPHA,
  fires,
} from './fairness.js';

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

/** One village's 群众参与 figures for a period. */
export interface ParticipationRow {
  villageId: number;
  name: string;
  affairsReported: number;
  affairsValid: number;
  affairsHandledOnTime: number;
  volunteerHours: number;
  households: number;
  householdsWithPoints: number;
  /** Percent, one decimal. */
  shareWithPoints: number;
}

/** 乡镇总览: every village of a township side by side for a period, charts, and fairness signals to look into. */
@Injectable()
export class TownshipService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: ReadCache,
    private readonly households: HouseholdsService,
    private readonly ledger: LedgerService,
    private readonly supermarket: SupermarketReportsService,
    private readonly scoring: ScoringService,
    private readonly publications: PublicationsService,
    private readonly rankings: RankingsService,
    private readonly audit: AuditService,
    private readonly users: UsersService,
    private readonly townships: TownshipsService,
    private readonly villages: VillagesService,
    private readonly gridAffairs: GridAffairsService,
    private readonly volunteering: VolunteeringService,
    private readonly credit: CreditGradesService,
    private readonly bank: BankLookupsService,
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
        const [rows, categories, trend, distribution, signals, participation, credit, loans] =
          await Promise.all([
            this.overview(villages, period),
            this.byCategory(ids, period),
            this.trend(ids, trendMonths),
            this.distribution(ids, period),
            this.fairness(villages, period),
            this.participation(villages, period),
            this.creditVillages(villages, Number(period.key.slice(0, 4))),
            // 积分贷结果: counts only (who may see them is the page's question).
            this.bank.summary(villages, period),
          ]);
        return { period, rows, categories, trend, distribution, signals, participation, credit, loans };
      },
    );
  }

  async township(actor: Actor, townshipId: number): Promise<{ township: Township; villages: Village[] }> {
    // Read on every dashboard view, before the kept dashboard: plain rows (each owner reads them so).
    const township = await this.townships.findIn(this.dataSource.manager, townshipId);
    if (!township) throw DomainError.notFound('乡镇');
    assertInScope(actor, { townshipId });
    const villages = await this.villages.inTownship(townshipId, { active: true });
    return { township, villages };
  }

  /** A handful of grouped queries for the whole township (one per feature asked), never one query per village. */
  async overview(villages: Village[], period: Period): Promise<OverviewRow[]> {
    if (villages.length === 0) return [];
    const ids = villages.map((v) => v.id);
    const [households, earned, redeemed, pending, objections, snapshotOf, lastOf] = await Promise.all([
      this.households.activeCountByVillage(ids),
      this.ledger.pointsByVillage(ids, period.key),
      this.supermarket.redeemedByVillage(ids, period.start, period.next),
      this.scoring.pendingCountByVillage(ids),
      this.publications.openObjectionsByVillage(ids),
      this.rankings.snapshotStatuses(ids, period.key),
      this.audit.lastActivityByVillage(ids),
    ]);
    return villages.map((v) => ({
      villageId: v.id,
      name: v.name,
      households: households.get(v.id) ?? 0,
      earned: earned.get(v.id) ?? 0,
      redeemed: redeemed.get(v.id) ?? 0,
      pendingRecords: pending.get(v.id) ?? 0,
      openObjections: objections.get(v.id) ?? 0,
      snapshotStatus: snapshotOf.get(v.id) ?? null,
      lastActivity: lastOf.get(v.id) ?? null,
    }));
  }

  /**
   * 群众参与, built from the data (nothing here is a form for staff to fill, no check-ins, no staff league tables):
   * per village, the grid affairs reported in the period, found valid and handled by their due day; volunteer hours of
   * the period's activities; and the share of active households with any points posted in the period.
   */
  async participation(villages: Village[], period: Period): Promise<ParticipationRow[]> {
    const ids = villages.map((v) => v.id);
    const [affairs, hours, households, posted] = await Promise.all([
      this.gridAffairs.countsByVillage(ids, period.start, period.next),
      this.volunteering.hoursByVillage(ids, period.start, period.next),
      this.households.activeOf(ids),
      this.ledger.pointsByHousehold(ids, period.key),
    ]);
    return villages.map((v) => {
      const mine = households.filter((h) => h.villageId === v.id);
      const withPoints = mine.filter((h) => posted.has(h.id)).length;
      const a = affairs.get(v.id) ?? { reported: 0, valid: 0, onTime: 0 };
      return {
        villageId: v.id,
        name: v.name,
        affairsReported: a.reported,
        affairsValid: a.valid,
        affairsHandledOnTime: a.onTime,
        volunteerHours: Math.round((hours.get(v.id) ?? 0) * 10) / 10,
        households: mine.length,
        householdsWithPoints: withPoints,
        shareWithPoints: mine.length === 0 ? 0 : Math.round((1000 * withPoints) / mine.length) / 10,
      };
    });
  }

  /** 信用村: each village's grade from its households' credit grades of the year, once they have been publicised. */
  async creditVillages(villages: Village[], year: number) {
    const of = await this.credit.villageGrades(
      villages.map((v) => v.id),
      year,
    );
    return {
      year,
      rule: VILLAGE_GRADE_RULE,
      rows: villages.map((v) => {
        const c = of.get(v.id);
        return {
          villageId: v.id,
          name: v.name,
          statusLabel: c?.statusLabel ?? '未评定',
          grade: c?.villageGrade?.grade ?? '—',
          reason: c?.villageGrade?.reason ?? '公示后评定',
        };
      }),
    };
  }

  /** Posted points of the period by rule category (rewards and deductions netted per category). */
  byCategory(villageIds: number[], period: Period) {
    return this.scoring.postedPointsPerCategory(villageIds, period.start, period.next);
  }

  /** Earned points of each of the last twelve months (per-period totals: cheap at any ledger size). */
  async trend(villageIds: number[], months: string[]) {
    const of = await this.ledger.pointsByPeriod(villageIds, months);
    return months.map((m) => ({ label: `${Number(m.slice(5))}月`, value: of.get(m) ?? 0 }));
  }

  /** Each active household of the villages with its village and its earned points of the period (0 without any). */
  private async activePoints(villageIds: number[], period: Period) {
    const [households, points] = await Promise.all([
      this.households.activeOf(villageIds),
      this.ledger.pointsByHousehold(villageIds, period.key),
    ]);
    return households.map((h) => ({ ...h, points: points.get(h.id) ?? 0 }));
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
    const points = (await this.activePoints(villageIds, period)).map((h) => h.points);
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
    const signals: FairnessSignal[] = [];
    const staffName = async (userIds: number[]) =>
      new Map([...(await this.users.briefs(userIds))].map(([id, u]) => [id, u.displayName]));

    // 1. A scorer whose reward records go to a few households more than chance explains (see fairness.ts).
    signals.push(...(await this.concentrationSignals(villages, period)));

    // 2. Households scored by staff of their own group, far above the village median.
    const sameGroup = await this.sameGroupRecords(ids, period);
    if (sameGroup.length > 0) {
      const totals = await this.activePoints([...new Set(sameGroup.map((r) => r.villageId))], period);
      const pointsOf = new Map(totals.map((t) => [t.id, t.points]));
      const medianOf = new Map<number, number>();
      for (const v of new Set(totals.map((t) => t.villageId))) {
        const values = totals
          .filter((t) => t.villageId === v)
          .map((t) => t.points)
          .sort((a, b) => a - b);
        medianOf.set(v, values.length ? values[Math.floor(values.length / 2)] : 0);
      }
      const flagged = new Set<number>();
      for (const row of sameGroup) {
        const id = row.householdId;
        const median = medianOf.get(row.villageId) ?? 0;
        const points = pointsOf.get(id) ?? 0;
        if (flagged.has(id) || points < FAVOUR_FACTOR * median || points < median + FAVOUR_MARGIN) continue;
        flagged.add(id);
        signals.push({
          kind: 'SAME_GROUP',
          villageId: row.villageId,
          villageName: nameOf.get(row.villageId) ?? '',
          text: `${row.code} ${row.headName}家本期 ${points} 分（全村中位数 ${median} 分），有记录由同组的 ${row.scorer} 登记`,
          href: `/households/${id}/passbook?${new URLSearchParams({ from: period.start, to: addDays(period.next, -1) }).toString()}`,
        });
      }
    }

    // 3. Many records of one recorder approved by one reviewer within minutes.
    const reviews = await this.scoring.reviewTimes(ids, period.start, period.next);
    const pairs = new Map<string, { villageId: number; times: number[] }>();
    for (const r of reviews) {
      const key = `${r.recordedBy}|${r.reviewedBy}`;
      const entry = pairs.get(key) ?? { villageId: r.villageId, times: [] };
      entry.times.push(r.reviewedAt);
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
    const reviewed = await this.scoring.reviewedPairs(ids, period.start, period.next);
    const recorders = await this.users.briefs(reviewed.map((r) => r.recordedBy));
    const ownMade = reviewed.filter((r) => {
      const createdBy = recorders.get(r.recordedBy)?.createdBy ?? null;
      return createdBy !== null && r.reviewedBy === createdBy;
    });
    const makerNames = await staffName([...new Set(ownMade.flatMap((r) => [r.recordedBy, r.reviewedBy]))]);
    for (const row of ownMade) {
      const villageId = row.villageId;
      const reviewer = makerNames.get(row.reviewedBy) ?? row.reviewedBy;
      signals.push({
        kind: 'CREATOR_APPROVAL',
        villageId,
        villageName: nameOf.get(villageId) ?? '',
        href: auditLink(period, villageId, String(reviewer), 'score.approve'),
        text: `${reviewer} 通过了 ${makerNames.get(row.recordedBy) ?? row.recordedBy} 登记的 ${row.n} 条记录（共 ${row.points} 分），而 ${makerNames.get(row.recordedBy) ?? row.recordedBy} 的账号正是 ${reviewer} 开设的`,
      });
    }
    return signals;
  }

  /**
   * The period's records whose recorder lives in a household of the same 村民小组 as the household scored: each
   * household, village, scorer's name and household code and head once. Asked of scoring, then of the recorders'
   * accounts, then of the households (three grouped queries, whatever the number of records).
   */
  private async sameGroupRecords(villageIds: number[], period: Period) {
    const scored = await this.scoring.recorderHouseholds(villageIds, period.start, period.next);
    const recorders = await this.users.briefs(scored.map((r) => r.recordedBy));
    const homeOf = (userId: number) => recorders.get(userId)?.householdId ?? null;
    const candidates = scored.filter((r) => homeOf(r.recordedBy) !== null);
    if (candidates.length === 0) return [];
    const households = byId(
      await this.households.briefs([
        ...candidates.map((r) => r.householdId),
        ...candidates.map((r) => homeOf(r.recordedBy) as number),
      ]),
    );
    const rows: { householdId: number; villageId: number; scorer: string; code: string; headName: string }[] =
      [];
    const seen = new Set<string>();
    for (const r of candidates) {
      const home = households.get(homeOf(r.recordedBy) as number);
      const scoredHome = households.get(r.householdId);
      if (!home || !scoredHome || home.groupId === null || home.groupId !== scoredHome.groupId) continue;
      const row = {
        householdId: r.householdId,
        villageId: r.villageId,
        scorer: recorders.get(r.recordedBy)?.displayName ?? '',
        code: scoredHome.code,
        headName: scoredHome.headName,
      };
      const key = JSON.stringify(row);
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push(row);
    }
    return rows;
  }

  /**
   * Each scorer's reward records of the period per household, tested against a uniform spread over the village's
   * active households; the threshold is divided by the number of scorer–village pairs tested (Bonferroni).
   */
  private async concentrationSignals(villages: Village[], period: Period): Promise<FairnessSignal[]> {
    const ids = villages.map((v) => v.id);
    const [perPair, householdsOf] = await Promise.all([
      this.scoring.rewardCounts(ids, period.start, period.next),
      this.households.activeCountByVillage(ids),
    ]);
    const pairs = new Map<string, { recordedBy: number; villageId: number; counts: Map<number, number> }>();
    for (const row of perPair) {
      const key = `${row.recordedBy}|${row.villageId}`;
      const pair = pairs.get(key) ?? {
        recordedBy: row.recordedBy,
        villageId: row.villageId,
        counts: new Map<number, number>(),
      };
      pair.counts.set(row.householdId, row.n);
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
      this.users.briefs(flagged.map((pair) => pair.recordedBy)),
      this.households.briefs(topIds).then(byId),
    ]);
    const homeOf = new Map([...homes].map(([id, h]) => [id, `${h.code} ${h.headName}`]));
    const threshold = FAIRNESS_ALPHA / tested.length;
    return flagged.map(({ recordedBy, villageId, counts, result }) => {
      const user = scorers.get(recordedBy);
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

/** Rows by their id. */
function byId<T extends { id: number }>(rows: readonly T[]): Map<number, T> {
  return new Map(rows.map((row) => [row.id, row]));
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { StaffActor } from '../src/access/actor.js';
import { AuditService, SYSTEM } from '../src/audit/audit.service.js';
import { staffActor } from '../src/auth/auth.service.js';
import { Clock } from '../src/common/clock.js';
import { addDays } from '../src/common/dates.js';
import { Household } from '../src/households/household.entity.js';
import { PublicationsService } from '../src/publications/publications.service.js';
import { ScoringRule } from '../src/rules/scoring-rule.entity.js';
import { ScoreRecord } from '../src/scoring/score-record.entity.js';
import { ScoringService } from '../src/scoring/scoring.service.js';
import { Goods } from '../src/supermarket/goods.entity.js';
import { GoodsService } from '../src/supermarket/goods.service.js';
import { RedemptionsService } from '../src/supermarket/redemptions.service.js';
import { User } from '../src/users/user.entity.js';
import { Village } from '../src/villages/village.entity.js';

/** Months of history before the current one. */
const MONTHS = 6;

/** A small deterministic generator, so every demo start has the same history. */
function generator(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return {
    next,
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    int: (n: number) => Math.floor(next() * n),
  };
}

/** 09:00 China time on a day, plus some minutes. */
const at = (day: string, minutes = 0) =>
  new Date(new Date(`${day}T09:00:00+08:00`).getTime() + minutes * 60_000);

const firstOfMonthsAgo = (today: string, k: number) => {
  const [y, m] = today.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 - k, 1));
  return d.toISOString().slice(0, 10);
};

const earlier = (a: string, b: string) => (a < b ? a : b);

/**
 * When the demo's supermarket shelf was put up: 08:00 on the last day before the history's first month, so that
 * every redemption and stock-in of the history comes after the goods and their first stock (the stock report of each
 * month then opens with what was on the shelf, never below zero).
 */
export const demoShelfOpenedAt = (today: string): Date =>
  new Date(`${addDays(firstOfMonthsAgo(today, MONTHS), -1)}T08:00:00+08:00`);

interface Deed {
  day: string;
  rule: ScoringRule;
  householdId: number;
  points?: number;
  rejectReason?: string;
}

/**
 * Six months of a village's life, so that every page has something true to show on first start: deeds recorded by a
 * scorer and reviewed by the committee, published and posted each month (a few rejected, an objection dismissed, one
 * upheld with corrected points, a black-list violation), redemptions at the supermarket (one cancelled), stock bought
 * and donated; and in the current month records waiting for review, approved ones waiting for publication, and a
 * publication open now. Everything goes through the services people use, with the clock stopped at each past
 * moment, so the books verify and every row is what the service would have written that day. A village that has a
 * score record already is left as it is.
 */
@Injectable()
export class DemoHistory {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly scoring: ScoringService,
    private readonly publications: PublicationsService,
    private readonly redemptions: RedemptionsService,
    private readonly goods: GoodsService,
    private readonly audit: AuditService,
  ) {}

  async ensure(villageCodes: string[], today = this.clock.today()): Promise<void> {
    const villages = await this.dataSource
      .getRepository(Village)
      .find({ where: { code: In(villageCodes) }, order: { id: 'ASC' } });
    for (const village of villages) {
      if (await this.dataSource.getRepository(ScoreRecord).existsBy({ villageId: village.id })) continue;
      try {
        await this.villageHistory(village, today);
      } finally {
        this.clock.stopAt(null);
      }
    }
  }

  private async villageHistory(village: Village, today: string): Promise<void> {
    const rnd = generator(village.id * 7919 + village.code.charCodeAt(0));
    const households = await this.dataSource.getRepository(Household).find({
      where: { villageId: village.id, status: 'ACTIVE' },
      order: { id: 'ASC' },
    });
    const staff = await this.dataSource.getRepository(User).find({
      where: { villageId: village.id, active: true },
      order: { id: 'ASC' },
    });
    const actor = (role: string) => {
      const user = staff.find((u) => u.role === role);
      return user ? staffActor(user, null) : undefined;
    };
    const admin = actor('VILLAGE_ADMIN');
    const scorer = actor('SCORER');
    const clerk = actor('CLERK');
    const rules = await this.dataSource.getRepository(ScoringRule).find({
      where: { villageId: village.id, active: true },
      order: { id: 'ASC' },
    });
    if (!admin || !scorer || !clerk || households.length === 0 || rules.length === 0) return;
    const rewards = rules.filter((r) => r.minPoints > 0 && !r.capCount && !r.evidenceRequired);
    const ranged = rewards.find((r) => r.minPoints < r.maxPoints) ?? rewards[0];
    const deductions = rules.filter((r) => r.maxPoints < 0 && !r.blackList && !r.capCount);
    const black = rules.find((r) => r.blackList && !r.capCount);
    // Nobody records or reviews for their own household.
    const eligible = households.filter((h) => h.id !== scorer.householdId && h.id !== admin.householdId);
    const deed = (day: string, rule?: ScoringRule): Deed => ({
      day,
      rule: rule ?? (rnd.next() < 0.85 || deductions.length === 0 ? rnd.pick(rewards) : rnd.pick(deductions)),
      householdId: rnd.pick(eligible).id,
    });
    let redeemed = 0;
    let postedRecords = 0;

    for (let k = MONTHS; k >= 1; k--) {
      const first = firstOfMonthsAgo(today, k);
      if (k === 4) await this.stockIn(clerk, village.id, addDays(first, 2));
      // Deeds of the month, before its publication on the 18th; one rejected.
      const deeds: Deed[] = [];
      for (let i = 0; i < 10 + rnd.int(5); i++) deeds.push(deed(addDays(first, rnd.int(16))));
      if (k === 3 && black) deeds.push(deed(addDays(first, 12), black));
      if (k === 2) deeds.push({ ...deed(addDays(first, 9), ranged), points: ranged.maxPoints });
      deeds.push({ ...deed(addDays(first, 5)), rejectReason: '现场照片看不清，请补充后重新登记' });
      const records = await this.recordAndReview(scorer, admin, deeds);
      // Published on the 18th for 7 days, closed and posted on the 25th: before today even when today is the 1st.
      const startsOn = addDays(first, 17);
      this.clock.stopAt(at(startsOn));
      const publication = await this.publications.open(admin, village.id, 7);
      if (k === 3) await this.objection(scorer, admin, records[0], startsOn, '那天是邻居打扫的', 'DISMISS');
      if (k === 2) {
        const corrected = records.find((r) => r.ruleId === ranged.id) as ScoreRecord;
        const points = Math.max(ranged.minPoints, Math.ceil(ranged.maxPoints / 2));
        await this.objection(scorer, admin, corrected, startsOn, '只参加了半天', 'UPHOLD', points);
      }
      this.clock.stopAt(at(addDays(publication.endsOn, 1), 10));
      postedRecords += (await this.publications.close(admin, publication.id)).postedRecordIds.length;
      // The supermarket in the days after posting, never today or later (today's receipts are the clerk's own); one
      // redemption is cancelled half an hour later.
      for (let i = 0; i < 4; i++) {
        const when = at(earlier(addDays(publication.endsOn, 2 + i), addDays(today, -1)), 60 + i * 7);
        const sold = await this.redeem(rnd, clerk, village.id, when);
        if (!sold) continue;
        redeemed += sold.redemption.totalPoints;
        if (k === 2 && i === 0) {
          this.clock.stopAt(new Date(when.getTime() + 30 * 60_000));
          await this.redemptions.cancel(clerk, sold.redemption.id, '农户想换别的商品');
          redeemed -= sold.redemption.totalPoints;
        }
      }
    }

    // The current month: a publication open since the day before yesterday, records approved since, and some waiting
    // for review. Deed dates are this month's where today allows.
    const first = firstOfMonthsAgo(today, 0);
    const onOrBefore = (n: number, last: string) => earlier(addDays(first, n), last);
    const beforeOpen = addDays(today, -2);
    const yesterday = addDays(today, -1);
    await this.recordAndReview(
      scorer,
      admin,
      [0, 1, 2].map((i) => deed(onOrBefore(8 + i, beforeOpen))),
      beforeOpen,
    );
    this.clock.stopAt(at(beforeOpen, 480));
    await this.publications.open(admin, village.id, 7);
    await this.recordAndReview(
      scorer,
      admin,
      [0, 1, 2].map((i) => deed(onOrBefore(i, yesterday))),
      yesterday,
    );
    await this.recordAndReview(
      scorer,
      null,
      [0, 1, 2, 3].map((i) => deed(onOrBefore(3 + i, yesterday))),
      yesterday,
    );

    this.clock.stopAt(null);
    await this.audit.record(SYSTEM, {
      action: 'seed.history',
      entityType: 'village',
      entityId: village.id,
      villageId: village.id,
      details: { months: MONTHS, postedRecords, redeemedPoints: redeemed },
    });
  }

  /**
   * The scorer records each deed in the morning of its day (or of `recordedOn`), and the committee reviews that day's
   * records together in the afternoon (none when reviewer is null). Gives back the records approved, in the order given.
   */
  private async recordAndReview(
    scorer: StaffActor,
    reviewer: StaffActor | null,
    deeds: Deed[],
    recordedOn?: string,
  ): Promise<ScoreRecord[]> {
    const days = [...new Set(deeds.map((d) => recordedOn ?? d.day))].sort();
    const made = new Map<Deed, ScoreRecord>();
    for (const day of days) {
      const ofDay = deeds.filter((d) => (recordedOn ?? d.day) === day);
      for (const [i, d] of ofDay.entries()) {
        this.clock.stopAt(at(day, 5 * i));
        const { record } = await this.scoring.record(scorer, {
          householdId: d.householdId,
          ruleId: d.rule.id,
          occurredOn: d.day,
          points: d.points,
          note: d.rule.evidenceRequired ? '村两委现场核实' : undefined,
        });
        made.set(d, record);
      }
      if (!reviewer) continue;
      this.clock.stopAt(at(day, 300));
      const approve = ofDay.filter((d) => !d.rejectReason);
      const approved = approve.length
        ? await this.scoring.reviewMany(reviewer, {
            recordIds: approve.map((d) => (made.get(d) as ScoreRecord).id),
            decision: 'APPROVE',
          })
        : [];
      approve.forEach((d, i) => made.set(d, approved[i]));
      for (const d of ofDay.filter((x) => x.rejectReason))
        await this.scoring.reject(reviewer, (made.get(d) as ScoreRecord).id, d.rejectReason as string);
    }
    return deeds.filter((d) => !d.rejectReason).map((d) => made.get(d) as ScoreRecord);
  }

  /** An objection filed the day after the publication opens, settled by the committee the day after. */
  private async objection(
    by: StaffActor,
    committee: StaffActor,
    record: ScoreRecord,
    startsOn: string,
    reason: string,
    decision: 'DISMISS' | 'UPHOLD',
    points?: number,
  ): Promise<void> {
    this.clock.stopAt(at(addDays(startsOn, 1)));
    const objection = await this.publications.object(by, record.id, reason);
    this.clock.stopAt(at(addDays(startsOn, 2)));
    const why = decision === 'DISMISS' ? '经核实，登记无误' : '经核实，采纳异议';
    await this.publications.resolve(committee, objection.id, decision, points, why);
  }

  /** Soap bought from the township's co-op, towels donated by the county women's federation. */
  private async stockIn(clerk: StaffActor, villageId: number, day: string): Promise<void> {
    const shelf = await this.dataSource
      .getRepository(Goods)
      .findBy({ villageId, name: In(['香皂', '毛巾']) });
    const soap = shelf.find((g) => g.name === '香皂');
    const towel = shelf.find((g) => g.name === '毛巾');
    this.clock.stopAt(at(day));
    if (soap)
      await this.goods.stockIn(clerk, soap.id, { quantity: 20, source: 'PURCHASE', note: '镇供销社采购' });
    this.clock.stopAt(at(day, 30));
    if (towel)
      await this.goods.stockIn(clerk, towel.id, { quantity: 10, source: 'DONATION', donor: '县妇联' });
  }

  /** One item for a household that has points to spare, at the counter (never for the clerk's own household). */
  private async redeem(rnd: ReturnType<typeof generator>, clerk: StaffActor, villageId: number, when: Date) {
    const buyers = await this.dataSource
      .getRepository(Household)
      .find({ where: { villageId, status: 'ACTIVE' }, order: { id: 'ASC' } });
    const shelf = await this.dataSource
      .getRepository(Goods)
      .find({ where: { villageId, active: true }, order: { pricePoints: 'ASC' } });
    const buyer = buyers.filter((h) => h.available >= 10 && h.id !== clerk.householdId);
    const goods = shelf.filter((g) => g.stock > 2 && !g.monthlyLimit);
    if (buyer.length === 0 || goods.length === 0) return null;
    const household = rnd.pick(buyer);
    const item = rnd.pick(goods.filter((g) => g.pricePoints <= household.available - 30));
    if (!item) return null;
    this.clock.stopAt(when);
    return this.redemptions.redeem(clerk, {
      householdId: household.id,
      items: [{ goodsId: item.id, quantity: 1 }],
      idempotencyKey: `demo-history-${villageId}-${when.getTime()}`,
    });
  }
}

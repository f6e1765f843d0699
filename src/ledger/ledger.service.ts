import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { lockRow } from '../database/locks.js';
import { Transactions } from '../database/transactions.js';
import { Household } from '../households/household.entity.js';
import { Village } from '../villages/village.entity.js';
import { PeriodTotal } from '../rankings/period-total.entity.js';
import { periodKeysOf } from '../rankings/periods.js';
import { checkChain, entryHash, GENESIS } from './hash-chain.js';
import { EntryKind, LedgerEntry } from './ledger-entry.entity.js';

/** Kinds that count towards earned (累计积分): scores, their corrections, and points carried over from paper. */
export const EARNED_KINDS: readonly EntryKind[] = ['SCORE', 'SCORE_CORRECTION', 'OPENING'];

/** Kinds that count towards a period's ranking, by deed date: deeds of the period (paper history has no period). */
export const PERIOD_KINDS: readonly EntryKind[] = ['SCORE', 'SCORE_CORRECTION'];

export interface NewEntry {
  householdId: number;
  amount: number;
  kind: EntryKind;
  description: string;
  /** The day the points count for: the deed date of a score, else today. */
  occurredOn: string;
  refType?: string | null;
  refId?: number | null;
  correctsEntryId?: number | null;
  createdBy?: number | null;
  /** A spend (redemption): refuse rather than take available below zero. */
  mustStayCovered?: boolean;
  /** When it happened, if not now: only for history brought in from elsewhere (the demo's past months). */
  at?: Date;
}

export interface Mismatch {
  householdId: number | null;
  entryId: number | null;
  problem: string;
}

export interface VerifyReport {
  ok: boolean;
  households: number;
  entries: number;
  chainValid: boolean;
  mismatches: Mismatch[];
}

/** The one way points move: every change is an entry, written with the balances in the same transaction. */
@Injectable()
export class LedgerService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
  ) {}

  /** Appends one entry. Call it inside a transaction and pass its manager: the caller's write and this one commit together. */
  async append(manager: EntityManager, input: NewEntry): Promise<LedgerEntry> {
    if (!Number.isSafeInteger(input.amount)) throw DomainError.validation({ amount: '积分必须是整数' });
    const earnedDelta = EARNED_KINDS.includes(input.kind) ? input.amount : 0;
    const owner = await manager.findOne(Household, {
      where: { id: input.householdId },
      select: { id: true, villageId: true },
    });
    if (!owner) throw DomainError.notFound('农户');
    // The village's row first, then the household's: every writer takes them in this order (see lockBook), so two
    // transactions never wait on each other in a circle on PostgreSQL. Moving the counter also chains one at a time.
    await manager.increment(Village, { id: owner.villageId }, 'ledgerSeq', 1);
    const update = manager
      .createQueryBuilder()
      .update(Household)
      .set({ available: () => `available + ${input.amount}`, earned: () => `earned + ${earnedDelta}` })
      .where('id = :id', { id: input.householdId });
    if (input.mustStayCovered) update.andWhere('available + :amount >= 0', { amount: input.amount });
    const result = await update.execute();
    if (result.affected !== 1) {
      if (input.mustStayCovered) throw new DomainError('INSUFFICIENT_POINTS', '可用积分不足');
      throw DomainError.notFound('农户');
    }
    const household = await manager.findOneByOrFail(Household, { id: input.householdId });
    const village = await manager.findOneByOrFail(Village, { id: household.villageId });
    const fields = {
      villageId: village.id,
      seq: village.ledgerSeq,
      householdId: household.id,
      amount: input.amount,
      kind: input.kind,
      refType: input.refType ?? null,
      refId: input.refId ?? null,
      correctsEntryId: input.correctsEntryId ?? null,
      availableAfter: household.available,
      earnedAfter: household.earned,
      description: input.description.slice(0, 200),
      occurredOn: input.occurredOn,
      createdBy: input.createdBy ?? null,
      createdAt: (input.at ?? new Date()).toISOString(),
    };
    const prevHash = village.ledgerHead || GENESIS;
    const hash = entryHash(prevHash, fields);
    const entry = await manager.save(manager.create(LedgerEntry, { ...fields, prevHash, hash }));
    await manager.update(Village, { id: village.id }, { ledgerHead: hash });
    if (PERIOD_KINDS.includes(input.kind) && input.amount !== 0)
      await this.addToPeriods(manager, village.id, household.id, input.occurredOn, input.amount);
    return entry;
  }

  /** Keeps the month, quarter and year totals of the deed date in step with the entry, in the same transaction. */
  private async addToPeriods(
    manager: EntityManager,
    villageId: number,
    householdId: number,
    day: string,
    amount: number,
  ): Promise<void> {
    const postgres = manager.connection.options.type === 'postgres';
    for (const period of periodKeysOf(day)) {
      const params = [villageId, householdId, period, amount];
      await manager.query(
        `INSERT INTO period_total ("villageId", "householdId", period, points) VALUES (${
          postgres ? '$1, $2, $3, $4' : '?, ?, ?, ?'
        }) ON CONFLICT ("householdId", period) DO UPDATE SET points = period_total.points + excluded.points`,
        params,
      );
    }
  }

  /**
   * Takes the village's book for the rest of the transaction (PostgreSQL: a row lock; SQLite: writes already run one
   * at a time). A unit of work that locks a household or goods before appending calls this first, so that locks are
   * always taken village first and never in a circle.
   */
  async lockBook(manager: EntityManager, villageId: number): Promise<void> {
    await lockRow(manager, Village, villageId);
  }

  /** A household's entries, newest first, optionally between two dates (China time, inclusive). */
  async passbook(
    householdId: number,
    filter: { from?: string; to?: string; kind?: EntryKind; limit?: number } = {},
  ) {
    const qb = this.dataSource
      .getRepository(LedgerEntry)
      .createQueryBuilder('e')
      .where('e.householdId = :householdId', { householdId })
      .orderBy('e.id', 'DESC')
      .limit(filter.limit ?? 500);
    if (filter.from) qb.andWhere('e.createdAt >= :from', { from: chinaDayStart(filter.from) });
    if (filter.to) qb.andWhere('e.createdAt < :to', { to: chinaDayStart(filter.to, 1) });
    if (filter.kind) qb.andWhere('e.kind = :kind', { kind: filter.kind });
    return qb.getMany();
  }

  /**
   * Recomputes every balance from the entries and checks each village's chain. Reads the book in slices, so a
   * county's millions of entries never sit in memory at once.
   */
  async verify(villageIds: number[], within?: EntityManager): Promise<VerifyReport> {
    if (!within) return this.transactions.snapshot((manager) => this.verify(villageIds, manager));
    const manager = within;
    const mismatches: Mismatch[] = [];
    let households = 0;
    let entries = 0;
    let chainValid = true;
    for (const villageId of villageIds) {
      const village = await manager.getRepository(Village).findOneByOrFail({ id: villageId });
      const balances = new Map<number, { available: number; earned: number }>();
      const periods = new Map<string, number>();
      let lastSeq = 0;
      let lastHash = '';
      let prevEntry: LedgerEntry | null = null;
      for (;;) {
        const slice = await manager
          .getRepository(LedgerEntry)
          .createQueryBuilder('e')
          .where('e.villageId = :villageId AND e.seq > :after', { villageId, after: lastSeq })
          .orderBy('e.seq', 'ASC')
          .limit(5000)
          .getMany();
        if (slice.length === 0) break;
        const problems = checkChain(
          slice,
          prevEntry ? { seq: prevEntry.seq, hash: prevEntry.hash } : undefined,
        );
        for (const p of problems)
          mismatches.push({
            householdId: slice.find((e) => e.id === p.entryId)?.householdId ?? null,
            entryId: p.entryId,
            problem: p.problem,
          });
        if (problems.length > 0) chainValid = false;
        for (const e of slice) {
          const b = balances.get(e.householdId) ?? { available: 0, earned: 0 };
          b.available += e.amount;
          if (EARNED_KINDS.includes(e.kind)) b.earned += e.amount;
          if (b.available !== e.availableAfter || b.earned !== e.earnedAfter) {
            mismatches.push({
              householdId: e.householdId,
              entryId: e.id,
              problem: `记录后的余额应为 可用 ${b.available} / 累计 ${b.earned}`,
            });
          }
          balances.set(e.householdId, b);
          if (PERIOD_KINDS.includes(e.kind))
            for (const period of periodKeysOf(e.occurredOn)) {
              const key = `${e.householdId}|${period}`;
              periods.set(key, (periods.get(key) ?? 0) + e.amount);
            }
        }
        entries += slice.length;
        prevEntry = slice[slice.length - 1];
        lastSeq = prevEntry.seq;
        lastHash = prevEntry.hash;
      }
      if (lastSeq !== village.ledgerSeq || lastHash !== village.ledgerHead) {
        chainValid = false;
        mismatches.push({
          householdId: null,
          entryId: null,
          problem: `${village.name}的账本末尾与记录的链头不符（可能有记录被删除）`,
        });
      }
      const totals = await manager
        .getRepository(PeriodTotal)
        .find({ where: { villageId }, select: { householdId: true, period: true, points: true } });
      for (const t of totals) {
        const key = `${t.householdId}|${t.period}`;
        if ((periods.get(key) ?? 0) !== t.points)
          mismatches.push({
            householdId: t.householdId,
            entryId: null,
            problem: `${t.period} 的积分合计记为 ${t.points}，明细为 ${periods.get(key) ?? 0}`,
          });
        periods.delete(key);
      }
      for (const [key, points] of periods)
        if (points !== 0)
          mismatches.push({
            householdId: Number(key.split('|')[0]),
            entryId: null,
            problem: `${key.split('|')[1]} 缺少积分合计（明细为 ${points}）`,
          });
      const rows = await manager
        .getRepository(Household)
        .find({ where: { villageId }, select: { id: true, available: true, earned: true } });
      households += rows.length;
      for (const h of rows) {
        const b = balances.get(h.id) ?? { available: 0, earned: 0 };
        if (b.available !== h.available || b.earned !== h.earned) {
          mismatches.push({
            householdId: h.id,
            entryId: null,
            problem: `存折余额为 可用 ${h.available} / 累计 ${h.earned}，明细合计为 可用 ${b.available} / 累计 ${b.earned}`,
          });
        }
      }
    }
    return { ok: mismatches.length === 0, households, entries, chainValid, mismatches };
  }
}

/** The UTC instant a China day starts, as ISO text comparable with entries' createdAt. */
export function chinaDayStart(day: string, plusDays = 0): string {
  const start = new Date(`${day}T00:00:00+08:00`);
  start.setUTCDate(start.getUTCDate() + plusDays);
  return start.toISOString();
}

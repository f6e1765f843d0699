import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { periodKeysOf } from '../common/periods.js';
import { isPostgres, raw } from '../database/raw.js';
import { Transactions } from '../database/transactions.js';
import { bookHeadView, type BookHeadView } from './book-head.js';
import { checkChain, entryHash, GENESIS, type ChainedFields } from './hash-chain.js';
import { LedgerAccount, type AccountKind } from './ledger-account.entity.js';
import { EntryKind, LedgerEntry } from './ledger-entry.entity.js';
import { PeriodTotal } from './period-total.entity.js';

/** Kinds that count towards earned (累计积分): scores, their corrections, and points carried over from paper. */
export const EARNED_KINDS: readonly EntryKind[] = [
  'SCORE',
  'SCORE_CORRECTION',
  'OPENING',
  'PARTY_SCORE',
  'PARTY_BASE',
];

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
}

/** One line of a passbook as read (no hash, no references: what a reader of the passbook needs). */
export interface PassbookRow {
  id: number;
  amount: number;
  kind: EntryKind;
  availableAfter: number;
  earnedAfter: number;
  description: string;
  occurredOn: string;
  createdAt: string;
  correctsEntryId: number | null;
}

/** An entry of another kind of account (a party member's book): the same fields, without a household. */
export type NewAccountEntry = Omit<NewEntry, 'householdId'>;

export interface Mismatch {
  householdId: number | null;
  /** Set when the mismatch is in an account's book (a party member's). */
  accountId?: number | null;
  entryId: number | null;
  problem: string;
}

export interface VerifyReport {
  ok: boolean;
  households: number;
  /** Books of other kinds checked (party members'). */
  accounts: number;
  entries: number;
  chainValid: boolean;
  mismatches: Mismatch[];
}

/**
 * The one way points move: every change is an entry, written with the balances in the same transaction. The ledger's
 * state outside its own tables (a household's available and earned, a village's chain head and counter) is reached by
 * SQL on those columns, so the ledger imports no feature (docs/ARCHITECTURE.md).
 */
@Injectable()
export class LedgerService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
  ) {}

  /** The book's head as printed sheets show it (sequence, hash, QR code). */
  bookHead(villageId: number): Promise<BookHeadView> {
    return bookHeadView(this.dataSource, villageId);
  }

  /**
   * 分期积分: the earned points of one period (`2026-11`, `2026-Q4`, `2026`) of each household of a village that has
   * a total for it (by household id; a household without one has earned nothing then). One row per household.
   */
  async periodTotals(villageId: number, period: string): Promise<Map<number, number>> {
    const rows = await raw<{ householdId: number; points: number }>(
      this.dataSource,
      'SELECT "householdId", points FROM period_total WHERE "villageId" = $1 AND period = $2',
      [villageId, period],
    );
    return new Map(rows.map((r) => [Number(r.householdId), Number(r.points)]));
  }

  /** One household's earned points of a period: 0 without a total. */
  async periodPoints(householdId: number, period: string): Promise<number> {
    const total = await this.dataSource.getRepository(PeriodTotal).findOneBy({ householdId, period });
    return total?.points ?? 0;
  }

  /** The entry of a kind that points at a thing (a posted record's SCORE entry), read in the caller's transaction. */
  entryFor(manager: EntityManager, kind: EntryKind, refType: string, refId: number): Promise<LedgerEntry> {
    return manager.findOneByOrFail(LedgerEntry, { refType, refId, kind });
  }

  /** Which of some things of a household an entry of the kind points at (its records corrected since posting). */
  async referenced(
    householdId: number,
    kind: EntryKind,
    refType: string,
    refIds: number[],
  ): Promise<Set<number>> {
    if (refIds.length === 0) return new Set();
    const entries = await this.dataSource.getRepository(LedgerEntry).find({
      where: { householdId, kind, refType, refId: In(refIds) },
      select: { refId: true },
    });
    return new Set(entries.map((e) => e.refId as number));
  }

  /**
   * Appends one entry. Call it inside a transaction and pass its manager: the caller's write and this one commit
   * together. The hot path of every posting and redemption: five plain statements (the book's counter, the balances,
   * the entry, the chain head, the period totals), each giving back what the next needs.
   */
  async append(manager: EntityManager, input: NewEntry): Promise<LedgerEntry> {
    if (!Number.isSafeInteger(input.amount)) throw DomainError.validation({ amount: '积分必须是整数' });
    const earnedDelta = EARNED_KINDS.includes(input.kind) ? input.amount : 0;
    // The village's book first, then the household's row: every writer takes them in this order (see lockBook), so
    // two transactions never wait on each other in a circle on PostgreSQL. Moving the counter also chains one at a time.
    const village = await this.moveCounter(manager, input.householdId);
    if (!village) throw DomainError.notFound('农户');
    const [household] = await raw<{ id: number; available: number; earned: number }>(
      manager,
      `UPDATE household SET available = available + $1, earned = earned + $2 WHERE id = $3${
        input.mustStayCovered ? ' AND available + $4 >= 0' : ''
      } RETURNING id, available, earned`,
      [input.amount, earnedDelta, input.householdId, ...(input.mustStayCovered ? [input.amount] : [])],
    );
    if (!household) {
      if (input.mustStayCovered) throw new DomainError('INSUFFICIENT_POINTS', '可用积分不足');
      throw DomainError.notFound('农户');
    }
    const fields = {
      villageId: village.id,
      seq: village.seq,
      householdId: household.id,
      accountId: null,
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
      createdAt: this.clock.now().toISOString(),
    };
    const entry = await this.writeEntry(manager, fields, village.head);
    await raw(manager, 'UPDATE ledger_book SET head = $1 WHERE "villageId" = $2', [entry.hash, village.id]);
    if (PERIOD_KINDS.includes(input.kind) && input.amount !== 0)
      await this.addToPeriods(manager, village.id, household.id, input.occurredOn, input.amount);
    return entry;
  }

  /**
   * Seals an entry onto its book's head and writes it: the one INSERT of both kinds of account (a household's entry
   * has no account, an account's no household).
   */
  private async writeEntry(
    manager: EntityManager,
    fields: ChainedFields & { accountId: number | null },
    head: string,
  ): Promise<LedgerEntry> {
    const prevHash = head || GENESIS;
    const hash = entryHash(prevHash, fields);
    const [inserted] = await raw<{ id: number }>(
      manager,
      `INSERT INTO ledger_entry ("villageId", seq, "householdId", "accountId", amount, kind, "refType", "refId",
        "correctsEntryId", "availableAfter", "earnedAfter", description, "occurredOn", "createdBy", "createdAt",
        "prevHash", hash)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
      [
        fields.villageId,
        fields.seq,
        fields.householdId,
        fields.accountId,
        fields.amount,
        fields.kind,
        fields.refType,
        fields.refId,
        fields.correctsEntryId,
        fields.availableAfter,
        fields.earnedAfter,
        fields.description,
        fields.occurredOn,
        fields.createdBy,
        fields.createdAt,
        prevHash,
        hash,
      ],
    );
    return Object.assign(new LedgerEntry(), { ...fields, id: Number(inserted.id), prevHash, hash });
  }

  /** Keeps the month, quarter and year totals of the deed date in step with the entry, in the same transaction. */
  private async addToPeriods(
    manager: EntityManager,
    villageId: number,
    householdId: number,
    day: string,
    amount: number,
  ): Promise<void> {
    const [month, quarter, year] = periodKeysOf(day);
    await raw(
      manager,
      `INSERT INTO period_total ("villageId", "householdId", period, points)
        VALUES ($1, $2, $3, $4), ($5, $6, $7, $8), ($9, $10, $11, $12)
        ON CONFLICT ("householdId", period) DO UPDATE SET points = period_total.points + excluded.points`,
      [
        villageId,
        householdId,
        month,
        amount,
        villageId,
        householdId,
        quarter,
        amount,
        villageId,
        householdId,
        year,
        amount,
      ],
    );
  }

  /**
   * Takes the village's book for the rest of the transaction (PostgreSQL: a row lock; SQLite: writes already run one
   * at a time). A unit of work that locks a household or goods before appending calls this first, so that locks are
   * always taken village first and never in a circle.
   */
  async lockBook(manager: EntityManager, villageId: number): Promise<void> {
    if (!isPostgres(manager)) return;
    const hold = () =>
      raw(manager, 'SELECT "villageId" FROM ledger_book WHERE "villageId" = $1 FOR NO KEY UPDATE', [
        villageId,
      ]);
    if ((await hold()).length > 0) return;
    await this.openBook(manager, 'SELECT CAST($1 AS integer)', villageId);
    await hold();
  }

  /**
   * Moves the book's counter for an entry of the household: the book's number and the previous head come back. A
   * village's first entry opens its book (villages made before the book existed got theirs from the migration).
   */
  private async moveCounter(
    manager: EntityManager,
    householdId: number,
  ): Promise<{ id: number; seq: number; head: string } | undefined> {
    const move = () =>
      raw<{ id: number; seq: number; head: string }>(
        manager,
        `UPDATE ledger_book SET seq = seq + 1
          WHERE "villageId" = (SELECT "villageId" FROM household WHERE id = $1)
          RETURNING "villageId" AS id, seq, head`,
        [householdId],
      );
    const [book] = await move();
    if (book) return book;
    await this.openBook(manager, 'SELECT "villageId" FROM household WHERE id = $1', householdId);
    return (await move())[0];
  }

  /** Opens the book of the village `select` names (an empty book: no entries, no head), unless it is open. */
  private async openBook(manager: EntityManager, select: string, id: number): Promise<void> {
    await raw(
      manager,
      `INSERT INTO ledger_book ("villageId", seq, head) SELECT v.id, 0, '' FROM village v WHERE v.id = (${select})
        ON CONFLICT ("villageId") DO NOTHING`,
      [id],
    );
  }

  /** The entries that refer to one thing (a redemption's spending and giving back), in the caller's transaction. */
  entriesFor(manager: EntityManager, refType: string, refId: number): Promise<LedgerEntry[]> {
    return manager.getRepository(LedgerEntry).findBy({ refType, refId });
  }

  /** A household's entries, newest first: plain rows read by the (household, id) index, a page at a time. */
  async passbook(
    householdId: number,
    filter: { from?: string; to?: string; kind?: EntryKind; limit?: number; offset?: number } = {},
  ): Promise<PassbookRow[]> {
    const where = ['"householdId" = $1'];
    const params: unknown[] = [householdId];
    const and = (condition: string, value: unknown) => {
      params.push(value);
      where.push(condition.replace('?', `$${params.length}`));
    };
    if (filter.from) and('"createdAt" >= ?', chinaDayStart(filter.from));
    if (filter.to) and('"createdAt" < ?', chinaDayStart(filter.to, 1));
    if (filter.kind) and('kind = ?', filter.kind);
    params.push(filter.limit ?? 500, filter.offset ?? 0);
    return raw<PassbookRow>(
      this.dataSource,
      `SELECT id, amount, kind, "availableAfter", "earnedAfter", description, "occurredOn", "createdAt",
        "correctsEntryId" FROM ledger_entry WHERE ${where.join(' AND ')} ORDER BY id DESC
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
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
    let accounts = 0;
    let entries = 0;
    let chainValid = true;
    for (const villageId of villageIds) {
      const [village] = await raw<{ name: string; ledgerSeq: number | null; ledgerHead: string | null }>(
        manager,
        `SELECT v.name, b.seq AS "ledgerSeq", b.head AS "ledgerHead" FROM village v
          LEFT JOIN ledger_book b ON b."villageId" = v.id WHERE v.id = $1`,
        [villageId],
      );
      if (!village) throw DomainError.notFound('村');
      const balances = new Map<number, { available: number; earned: number }>();
      const periods = new Map<string, number>();
      let lastSeq = 0;
      let lastHash = '';
      let prevEntry: LedgerEntry | null = null;
      for (;;) {
        const slice = await manager
          .getRepository(LedgerEntry)
          .createQueryBuilder('e')
          .where('e.villageId = :villageId AND e.seq > :after AND e.accountId IS NULL', {
            villageId,
            after: lastSeq,
          })
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
          const householdId = e.householdId ?? 0;
          const b = balances.get(householdId) ?? { available: 0, earned: 0 };
          b.available += e.amount;
          if (EARNED_KINDS.includes(e.kind)) b.earned += e.amount;
          if (b.available !== e.availableAfter || b.earned !== e.earnedAfter) {
            mismatches.push({
              householdId: e.householdId,
              entryId: e.id,
              problem: `记录后的余额应为 可用 ${b.available} / 累计 ${b.earned}`,
            });
          }
          balances.set(householdId, b);
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
      if (lastSeq !== Number(village.ledgerSeq ?? 0) || lastHash !== (village.ledgerHead ?? '')) {
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
      const rows = await raw<{ id: number; available: number; earned: number }>(
        manager,
        'SELECT id, available, earned FROM household WHERE "villageId" = $1',
        [villageId],
      );
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
      const checked = await this.verifyAccounts(manager, villageId);
      accounts += checked.accounts;
      entries += checked.entries;
      if (!checked.chainValid) chainValid = false;
      mismatches.push(...checked.mismatches);
    }
    return { ok: mismatches.length === 0, households, accounts, entries, chainValid, mismatches };
  }

  /**
   * The same checks on each account of a village (party members' books): every entry's hash and link in the account's
   * own chain, the balances after each entry, and the account's balances and head against its entries.
   */
  private async verifyAccounts(
    manager: EntityManager,
    villageId: number,
  ): Promise<{ accounts: number; entries: number; chainValid: boolean; mismatches: Mismatch[] }> {
    const mismatches: Mismatch[] = [];
    let entries = 0;
    let chainValid = true;
    const accounts = await manager
      .getRepository(LedgerAccount)
      .find({ where: { villageId }, order: { id: 'ASC' } });
    for (const account of accounts) {
      let available = 0;
      let earned = 0;
      let prev = null as LedgerEntry | null;
      for (;;) {
        const slice = await manager
          .getRepository(LedgerEntry)
          .createQueryBuilder('e')
          .where('e.accountId = :id AND e.seq > :after', { id: account.id, after: prev?.seq ?? 0 })
          .orderBy('e.seq', 'ASC')
          .limit(5000)
          .getMany();
        if (slice.length === 0) break;
        const problems = checkChain(slice, prev ? { seq: prev.seq, hash: prev.hash } : undefined);
        if (problems.length > 0) chainValid = false;
        for (const p of problems)
          mismatches.push({
            householdId: null,
            accountId: account.id,
            entryId: p.entryId,
            problem: p.problem,
          });
        for (const e of slice) {
          available += e.amount;
          if (EARNED_KINDS.includes(e.kind)) earned += e.amount;
          if (e.householdId !== null || available !== e.availableAfter || earned !== e.earnedAfter)
            mismatches.push({
              householdId: e.householdId,
              accountId: account.id,
              entryId: e.id,
              problem:
                e.householdId !== null
                  ? '账户的记录不应动用农户的积分'
                  : `记录后的余额应为 可用 ${available} / 累计 ${earned}`,
            });
        }
        entries += slice.length;
        prev = slice[slice.length - 1];
      }
      if ((prev?.seq ?? 0) !== account.seq || (prev?.hash ?? '') !== account.head) {
        chainValid = false;
        mismatches.push({
          householdId: null,
          accountId: account.id,
          entryId: null,
          problem: `账户 ${account.id} 的末尾与记录的链头不符（可能有记录被删除）`,
        });
      }
      if (available !== account.available || earned !== account.earned)
        mismatches.push({
          householdId: null,
          accountId: account.id,
          entryId: null,
          problem: `账户余额为 可用 ${account.available} / 累计 ${account.earned}，明细合计为 可用 ${available} / 累计 ${earned}`,
        });
    }
    return { accounts: accounts.length, entries, chainValid, mismatches };
  }

  /** Opens an account (a book of its own) for a holder that is not a household, in the caller's transaction. */
  async openAccount(manager: EntityManager, kind: AccountKind, villageId: number): Promise<number> {
    const [row] = await raw<{ id: number }>(
      manager,
      'INSERT INTO ledger_account (kind, "villageId", seq, head, available, earned) VALUES ($1, $2, 0, \'\', 0, 0) RETURNING id',
      [kind, villageId],
    );
    return Number(row.id);
  }

  /**
   * Appends one entry to an account's own book, in the caller's transaction: the same entry, hash chain and balances
   * as a household's, with the account's row as counter, balances and head (and lock) in one statement. No household
   * row is touched.
   */
  async appendToAccount(
    manager: EntityManager,
    accountId: number,
    input: NewAccountEntry,
  ): Promise<LedgerEntry> {
    if (!Number.isSafeInteger(input.amount)) throw DomainError.validation({ amount: '积分必须是整数' });
    const earnedDelta = EARNED_KINDS.includes(input.kind) ? input.amount : 0;
    const [account] = await raw<{
      villageId: number;
      seq: number;
      head: string;
      available: number;
      earned: number;
    }>(
      manager,
      `UPDATE ledger_account SET seq = seq + 1, available = available + $1, earned = earned + $2 WHERE id = $3${
        input.mustStayCovered ? ' AND available + $4 >= 0' : ''
      } RETURNING "villageId", seq, head, available, earned`,
      [input.amount, earnedDelta, accountId, ...(input.mustStayCovered ? [input.amount] : [])],
    );
    if (!account) {
      if (input.mustStayCovered) throw new DomainError('INSUFFICIENT_POINTS', '可用积分不足');
      throw DomainError.notFound('账户');
    }
    const fields = {
      villageId: Number(account.villageId),
      seq: Number(account.seq),
      householdId: null,
      accountId,
      amount: input.amount,
      kind: input.kind,
      refType: input.refType ?? null,
      refId: input.refId ?? null,
      correctsEntryId: input.correctsEntryId ?? null,
      availableAfter: Number(account.available),
      earnedAfter: Number(account.earned),
      description: input.description.slice(0, 200),
      occurredOn: input.occurredOn,
      createdBy: input.createdBy ?? null,
      createdAt: this.clock.now().toISOString(),
    };
    const entry = await this.writeEntry(manager, fields, account.head);
    await raw(manager, 'UPDATE ledger_account SET head = $1 WHERE id = $2', [entry.hash, accountId]);
    return entry;
  }

  /** Accounts' balances (available, earned), by account id. */
  async accountBalances(accountIds: number[]): Promise<Map<number, { available: number; earned: number }>> {
    if (accountIds.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(LedgerAccount).find({
      where: { id: In(accountIds) },
      select: { id: true, available: true, earned: true },
    });
    return new Map(rows.map((a) => [a.id, { available: a.available, earned: a.earned }]));
  }

  /** An account's entries, newest first (as a household's passbook). */
  accountPassbook(
    accountId: number,
    filter: { limit?: number; offset?: number } = {},
  ): Promise<PassbookRow[]> {
    return raw<PassbookRow>(
      this.dataSource,
      `SELECT id, amount, kind, "availableAfter", "earnedAfter", description, "occurredOn", "createdAt",
        "correctsEntryId" FROM ledger_entry WHERE "accountId" = $1 ORDER BY seq DESC LIMIT $2 OFFSET $3`,
      [accountId, filter.limit ?? 500, filter.offset ?? 0],
    );
  }

  /**
   * Earned points of some accounts in a month (`2026-11`) or a year (`2026`), by deed date: summed from the entries (a
   * branch has tens of members, each with a few entries a month).
   */
  async accountPeriodPoints(accountIds: number[], period: string): Promise<Map<number, number>> {
    if (accountIds.length === 0) return new Map();
    const from = period.length === 4 ? `${period}-01-01` : `${period}-01`;
    const to = period.length === 4 ? `${period}-12-31` : `${period}-31`;
    const rows = await this.dataSource
      .createQueryBuilder()
      .select('e.accountId', 'accountId')
      .addSelect('SUM(e.amount)', 'points')
      .from(LedgerEntry, 'e')
      .where(
        'e.accountId IN (:...ids) AND e.occurredOn >= :from AND e.occurredOn <= :to AND e.kind IN (:...kinds)',
        {
          ids: accountIds,
          from,
          to,
          kinds: EARNED_KINDS,
        },
      )
      .groupBy('e.accountId')
      .getRawMany();
    return new Map(rows.map((r) => [Number(r.accountId), Number(r.points ?? 0)]));
  }

  /** Earned points of a period per village (the per-period totals summed): the township's 本期积分. */
  async pointsByVillage(villageIds: number[], period: string): Promise<Map<number, number>> {
    if (villageIds.length === 0) return new Map();
    const rows = await this.dataSource
      .createQueryBuilder()
      .select('t.villageId', 'villageId')
      .addSelect('SUM(t.points)', 'n')
      .from(PeriodTotal, 't')
      .where('t.villageId IN (:...ids) AND t.period = :p', { ids: villageIds, p: period })
      .groupBy('t.villageId')
      .getRawMany();
    return new Map(rows.map((r) => [Number(r.villageId), Number(r.n ?? 0)]));
  }

  /** Earned points of each of some periods over some villages together (e.g. a township's last twelve months). */
  async pointsByPeriod(villageIds: number[], periods: string[]): Promise<Map<string, number>> {
    if (villageIds.length === 0) return new Map();
    const rows = await this.dataSource
      .createQueryBuilder()
      .select('t.period', 'period')
      .addSelect('SUM(t.points)', 'value')
      .from(PeriodTotal, 't')
      .where('t.villageId IN (:...ids) AND t.period IN (:...months)', { ids: villageIds, months: periods })
      .groupBy('t.period')
      .getRawMany();
    return new Map(rows.map((r) => [String(r.period), Number(r.value)]));
  }

  /** Earned points of a period per household of some villages; a household without a total has none (0). */
  async pointsByHousehold(villageIds: number[], period: string): Promise<Map<number, number>> {
    if (villageIds.length === 0) return new Map();
    const rows = await this.dataSource
      .createQueryBuilder()
      .select('t.householdId', 'householdId')
      .addSelect('t.points', 'points')
      .from(PeriodTotal, 't')
      .where('t.villageId IN (:...ids) AND t.period = :p', { ids: villageIds, p: period })
      .getRawMany();
    return new Map(rows.map((r) => [Number(r.householdId), Number(r.points)]));
  }
}

/** The UTC instant a China day starts, as ISO text comparable with entries' createdAt. */
export function chinaDayStart(day: string, plusDays = 0): string {
  const start = new Date(`${day}T00:00:00+08:00`);
  start.setUTCDate(start.getUTCDate() + plusDays);
  return start.toISOString();
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { can, Permission } from '../access/permissions.js';
import { inScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { addDays, chinaTime } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { currentPeriod, parsePeriod, type Period } from '../common/periods.js';
import { raw } from '../database/raw.js';
import { villageScope } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import { UsersService } from '../users/users.service.js';
import type { Village } from '../villages/village.entity.js';
import { VillagesService } from '../villages/villages.service.js';
import { MonthlyStatement, type StatementStatus } from './monthly-statement.entity.js';
import { SupermarketReportsService, type StockRow } from './reports.service.js';
import { MOVEMENT_LABELS } from './stock-movement.entity.js';

/** What a month's statement says: the supermarket reports of the month's first to last China day, nothing else. */
export interface StatementFigures {
  month: string;
  from: string;
  to: string;
  /** 入库 by source (quantities over all goods) and each donor's goods. */
  stockIn: {
    bySource: { source: 'PURCHASE' | 'DONATION' | 'INITIAL'; label: string; quantity: number }[];
    byDonor: { donor: string; goods: string; unit: string; quantity: number; points: number }[];
  };
  /** Redemptions that stand (cancelled ones left out). */
  redemptions: {
    count: number;
    points: number;
    byGoods: { name: string; unit: string; quantity: number; points: number }[];
  };
  /** Per goods: opening, in (by source), out, returned, stock-takes, closing at month end (all-zero rows left out). */
  goods: StockRow[];
}

export interface StatementView {
  id: number;
  villageId: number;
  month: string;
  label: string;
  status: StatementStatus;
  signedBy: string | null;
  signedAt: string | null;
  figures: StatementFigures;
}

/** The largest id an integer column holds: a larger one in a path is simply not found. */
const MAX_ID = 2_147_483_647;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A statement as the page and the board show it: totals worked out, the signature in China time. */
export function statementPage(s: StatementView) {
  return {
    ...s,
    signed: s.status === 'SIGNED',
    signedTime: s.signedAt ? chinaTime(s.signedAt) : null,
    stockInTotal: s.figures.stockIn.bySource.reduce((sum, r) => sum + r.quantity, 0),
  };
}

/** The village's statement of last month is late once the China day is past this day of the month. */
export const STATEMENT_DUE_DAY = 5;

/**
 * 超市月度账目公开 (三务公开): for each ended month, the village's supermarket books, read from the reports. The
 * supervision committee (村务监督委员会) signs a month off once, which freezes its figures and publishes it on the
 * board; before that only the village's staff and its township see it.
 */
@Injectable()
export class MonthlyStatementsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly reports: SupermarketReportsService,
    private readonly villages: VillagesService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The month asked for (`2026-11` or `2026年11月`; none: last month), refused unless it has ended. */
  endedMonth(typed: unknown): Period {
    const today = this.clock.today();
    if (typed === undefined || typed === '') return this.lastMonth(today);
    const period = typeof typed === 'string' ? parsePeriod(typed.trim().slice(0, 20)) : null;
    if (!period || period.kind !== 'month' || !MONTH.test(period.key))
      throw DomainError.validation({ month: '月份应为 YYYY-MM，例如 2026-11' });
    if (period.next > today)
      throw new DomainError(
        'INVALID_STATE',
        period.start > today
          ? `${period.label}还没有到，没有账目`
          : `${period.label}还没有结束，月度账目在下月初生成`,
      );
    return period;
  }

  lastMonth(today = this.clock.today()): Period {
    return parsePeriod(currentPeriod('month', today).previous) as Period;
  }

  /** Whether the actor sees the village's statements before they are published. */
  seesPrepared(actor: Actor | null | undefined, village: Village): boolean {
    return (
      !!actor &&
      can(actor, Permission.Supermarket.ReadStatement) &&
      inScope(actor, { townshipId: village.townshipId, villageId: village.id })
    );
  }

  /**
   * The village's statement of an ended month. Staff in scope get it in any state (the row made on first asking, so
   * that it has an id to sign); anyone else only once signed, and a 404 before.
   */
  async statement(actor: Actor | null | undefined, villageId: number, month: Period): Promise<StatementView> {
    const village = villageId <= MAX_ID ? await this.villages.kept(villageId) : null;
    if (!village || !village.active) throw DomainError.notFound('村');
    const row = this.seesPrepared(actor, village)
      ? await this.prepared(village.id, month.key)
      : await this.dataSource.getRepository(MonthlyStatement).findOneBy({
          villageId: village.id,
          month: month.key,
          status: 'SIGNED',
        });
    if (!row) throw DomainError.notFound(`${month.label}超市账目（村务监督委员会签字后公开）`);
    return this.view(row);
  }

  /** The row of the month, made PREPARED if missing: two first askings at once make one row (the unique key). */
  private async prepared(villageId: number, month: string): Promise<MonthlyStatement> {
    const repo = this.dataSource.getRepository(MonthlyStatement);
    const found = await repo.findOneBy({ villageId, month });
    if (found) return found;
    await this.transactions.run((manager) =>
      raw(
        manager,
        `INSERT INTO monthly_statement ("villageId", month, status) VALUES ($1, $2, 'PREPARED') ON CONFLICT ("villageId", month) DO NOTHING`,
        [villageId, month],
      ),
    );
    return repo.findOneByOrFail({ villageId, month });
  }

  /** The month's figures as the reports give them now. */
  async figures(villageId: number, month: Period): Promise<StatementFigures> {
    const from = month.start;
    const to = addDays(month.next, -1);
    const [goods, donors, redemptions] = await Promise.all([
      this.reports.stock(villageId, from, to),
      this.reports.donors(villageId, from, to),
      this.reports.redemptions(villageId, from, to),
    ]);
    const total = (key: 'purchased' | 'donated' | 'initial') => goods.reduce((s, g) => s + g[key], 0);
    return {
      month: month.key,
      from,
      to,
      stockIn: {
        bySource: [
          { source: 'PURCHASE', label: MOVEMENT_LABELS.PURCHASE, quantity: total('purchased') },
          { source: 'DONATION', label: MOVEMENT_LABELS.DONATION, quantity: total('donated') },
          { source: 'INITIAL', label: MOVEMENT_LABELS.INITIAL, quantity: total('initial') },
        ],
        byDonor: donors.map((d) => ({
          donor: String(d.donor),
          goods: String(d.goods),
          unit: String(d.unit),
          quantity: d.quantity,
          points: d.points,
        })),
      },
      redemptions: {
        count: redemptions.byDay.reduce((s, d) => s + d.count, 0),
        points: redemptions.byDay.reduce((s, d) => s + d.points, 0),
        byGoods: redemptions.byGoods,
      },
      // A goods with nothing on hand and nothing moving all month (one added later) says nothing here.
      goods: goods.filter(
        (g) => g.opening !== 0 || g.closing !== 0 || g.stockIn || g.out || g.returned || g.adjusted,
      ),
    };
  }

  /**
   * 签字确认: the supervision committee signs the month off, once. The figures are frozen as they stand and the
   * statement is public from then on; a second signature (a double click) is refused.
   */
  async sign(actor: Actor, id: number): Promise<StatementView> {
    const repo = this.dataSource.getRepository(MonthlyStatement);
    const found = await repo.findOneBy({ id });
    if (!found) throw DomainError.notFound('超市月度账目');
    const village = await this.villages.kept(found.villageId);
    if (!village) throw DomainError.notFound('村');
    if (!inScope(actor, { townshipId: village.townshipId, villageId: village.id }))
      throw DomainError.forbidden('只能签字确认本村的账目');
    const month = parsePeriod(found.month) as Period;
    const already = () => new DomainError('INVALID_STATE', `${month.label}超市账目已经签字确认过了`);
    // Read before the transaction: an ended month's movements no longer change (new ones are dated today). Whether it
    // is signed already is the guarded update's question alone, so that of two signatures at once one is refused.
    const figures = await this.figures(village.id, month);
    await this.transactions.run(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(MonthlyStatement)
        .set({
          status: 'SIGNED',
          figures: JSON.stringify(figures),
          signedBy: actor.id,
          signedAt: this.clock.now(),
        })
        .where("id = :id AND status = 'PREPARED'", { id })
        .execute();
      if (result.affected !== 1) throw already();
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action: 'statement.sign',
          entityType: 'monthly_statement',
          entityId: id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: {
            month: month.key,
            redemptions: figures.redemptions.count,
            points: figures.redemptions.points,
          },
        },
        manager,
      );
    });
    return this.view(await repo.findOneByOrFail({ id }));
  }

  /** The board's 超市账目: the village's latest signed statements, newest first. */
  async published(villageId: number, limit = 3): Promise<StatementView[]> {
    const rows = await this.dataSource.getRepository(MonthlyStatement).find({
      where: { villageId, status: 'SIGNED' },
      order: { month: 'DESC' },
      take: limit,
    });
    return Promise.all(rows.map((r) => this.view(r)));
  }

  /**
   * For the township's to-do: its villages with a supermarket whose statement of last month is not signed, once the
   * China day is past the 5th (null before). One query for all villages.
   */
  async late(
    townshipId: number,
  ): Promise<{ month: Period; villages: { id: number; name: string }[] } | null> {
    const today = this.clock.today();
    if (Number(today.slice(8, 10)) <= STATEMENT_DUE_DAY) return null;
    const month = this.lastMonth(today);
    // The township's villages are the villages' to say; which of them keep a supermarket and have not signed, ours.
    const villages = await this.villages.activeNames(townshipId);
    if (villages.length === 0) return { month, villages };
    const ids = villages.map((v) => v.id);
    const rows = await raw<{ villageId: number | string }>(
      this.dataSource,
      `SELECT DISTINCT g."villageId" FROM goods g WHERE g."villageId" IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})
        AND NOT EXISTS (SELECT 1 FROM monthly_statement s
          WHERE s."villageId" = g."villageId" AND s.month = $${ids.length + 1} AND s.status = 'SIGNED')`,
      [...ids, month.key],
    );
    const late = new Set(rows.map((r) => Number(r.villageId)));
    return { month, villages: villages.filter((v) => late.has(v.id)) };
  }

  private async view(row: MonthlyStatement): Promise<StatementView> {
    const month = parsePeriod(row.month) as Period;
    const signed = row.status === 'SIGNED' && row.figures !== null;
    return {
      id: row.id,
      villageId: row.villageId,
      month: row.month,
      label: month.label,
      status: row.status,
      signedBy: row.signedBy ? await this.users.displayName(row.signedBy) : null,
      signedAt: row.signedAt ? new Date(row.signedAt).toISOString() : null,
      figures: signed
        ? (JSON.parse(row.figures as string) as StatementFigures)
        : await this.figures(row.villageId, month),
    };
  }
}

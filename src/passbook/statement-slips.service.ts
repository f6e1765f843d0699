import { Injectable } from '@nestjs/common';
import type { Actor } from '../access/actor.js';
import { addDays, todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { currentPeriod, parsePeriod, type Period } from '../common/periods.js';
import { HouseholdsService } from '../households/households.service.js';
import { AuditService } from '../audit/audit.service.js';
import { Transactions } from '../database/transactions.js';
import { NoticesService } from '../notices/notices.service.js';
import { RankingsService } from '../rankings/rankings.service.js';
import { StarsService } from '../rankings/stars.service.js';
import { signedPoints } from '../rules/rule-points.js';
import { VillagesService } from '../villages/villages.service.js';
import { PassbookService } from './passbook.service.js';

/** Passbook lines a slip has room for; older lines of the month are counted and left to the passbook. */
export const SLIP_LINES = 8;
/** Notice texts a slip has room for (the newest unread ones); the rest are counted. */
export const SLIP_NOTICES = 3;

/** `2026-11`, or the current month (China time) when none is given; anything else is a refusal. */
export function slipMonth(text: unknown, today = todayInChina()): Period {
  if (text === undefined || text === null || text === '') return currentPeriod('month', today);
  const period = typeof text === 'string' && /^\d{4}-\d{2}$/.test(text) ? parsePeriod(text) : null;
  if (!period) throw DomainError.validation({ month: '月份应写成 2026-11 这样（年-月，月为 01 到 12）' });
  return period;
}

/** A group id from the address: absent, or a positive whole number (anything else is a refusal). */
function groupIdOf(text: unknown): number | undefined {
  if (text === undefined || text === null || text === '') return undefined;
  if (typeof text !== 'string' || !/^\d{1,9}$/.test(text) || Number(text) <= 0)
    throw DomainError.validation({ groupId: '村民小组不正确' });
  return Number(text);
}

/**
 * 积分对账单: one printed slip per household of a village (or one group) for a month, handed out by the group leader
 * to households without a phone. Every figure is read from the same services as the passbook page, so the slip and
 * the passbook agree.
 */
@Injectable()
export class StatementSlipsService {
  constructor(
    private readonly passbooks: PassbookService,
    private readonly households: HouseholdsService,
    private readonly villages: VillagesService,
    private readonly rankings: RankingsService,
    private readonly stars: StarsService,
    private readonly notices: NoticesService,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
  ) {}

  /**
   * The group leader handed the printed slips out: the notices on them reached their households on paper (the PRINT
   * channel of the outbox). Audited; a second time changes nothing.
   */
  async handedOut(actor: Actor, villageId: number, query: { month?: unknown; groupId?: unknown }) {
    const village = await this.villages.get(actor, villageId);
    const period = slipMonth(query.month);
    const groupId = groupIdOf(query.groupId);
    if (groupId !== undefined && !village.groups.some((g) => g.id === groupId))
      throw DomainError.notFound('村民小组');
    const { items } = await this.households.list({ villageId, groupId, page: 1, pageSize: 5000 });
    const ids = items.filter((h) => h.status === 'ACTIVE').map((h) => h.id);
    return this.transactions.run(async (manager) => {
      const notices = await this.notices.markPrinted(manager, ids);
      await this.audit.record(
        actor,
        {
          action: 'notice.printed',
          entityType: 'village',
          entityId: villageId,
          villageId,
          details: { month: period.key, groupId: groupId ?? null, households: ids.length, notices },
        },
        manager,
      );
      return { households: ids.length, notices };
    });
  }

  async slips(actor: Actor, villageId: number, query: { month?: unknown; groupId?: unknown }) {
    const village = await this.villages.get(actor, villageId);
    const period = slipMonth(query.month);
    const groupId = groupIdOf(query.groupId);
    const group = groupId === undefined ? null : village.groups.find((g) => g.id === groupId);
    if (group === undefined) throw DomainError.notFound('村民小组');
    const groupNames = new Map(village.groups.map((g) => [g.id, g.name]));

    const { items } = await this.households.list({ villageId, groupId, page: 1, pageSize: 5000 });
    const active = items.filter((h) => h.status === 'ACTIVE');
    const year = Number(todayInChina().slice(0, 4));
    const [ranking, stars, unread] = await Promise.all([
      this.rankings.ranking(villageId, period),
      this.stars.stars(villageId, year),
      this.notices.unreadOf(active.map((h) => h.id)),
    ]);
    const ranks = new Map(ranking.rows.map((r) => [r.householdId, r]));
    const starRows = new Map(stars.rows.map((r) => [r.householdId, r]));
    const lastDay = addDays(period.next, -1);

    const slips = [];
    for (const h of active) {
      const book = await this.passbooks.passbook(actor, h.id, { from: period.start, to: lastDay });
      const shown = book.entries.slice(0, SLIP_LINES).reverse();
      const row = ranks.get(h.id);
      const points = row?.points ?? 0;
      const starCount = starRows.get(h.id)?.stars ?? 0;
      const notices = unread.get(h.id) ?? [];
      slips.push({
        householdId: h.id,
        code: book.household.code,
        headName: book.household.headName,
        groupName: (book.household.groupId && groupNames.get(book.household.groupId)) || '',
        available: book.household.available,
        earned: book.household.earned,
        lines: shown.map((e) => ({
          day: todayInChina(new Date(e.createdAt)),
          description: e.description,
          amountLabel: signedPoints(e.amount),
          deduction: e.amount < 0,
          balanceAfter: e.balanceAfter,
        })),
        moreLines: book.entries.length - shown.length,
        monthPoints: points,
        monthPointsLabel: signedPoints(points),
        rank: row && points !== 0 ? row.rank : null,
        households: ranking.rows.length,
        stars: starCount,
        starText: '★'.repeat(starCount),
        // The newest first, as the household's notice list shows them.
        notices: notices
          .slice(-SLIP_NOTICES)
          .reverse()
          .map((n) => n.text),
        moreNotices: Math.max(0, notices.length - SLIP_NOTICES),
      });
    }
    return {
      village: { id: village.id, name: village.name },
      period,
      year,
      group: group ? { id: group.id, name: group.name } : null,
      groups: village.groups.map((g) => ({ id: g.id, name: g.name, selected: g.id === groupId })),
      slips,
    };
  }
}

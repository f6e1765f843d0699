import { Injectable } from '@nestjs/common';
import type { Actor } from '../access/actor.js';
import { ACTION_LABELS } from '../audit/action-labels.js';
import { AuditService } from '../audit/audit.service.js';
import { HouseholdProxiesService } from '../households/household-proxies.service.js';
import { DomainError } from '../common/domain-error.js';
import { currentPeriod } from '../common/periods.js';
import { Transactions } from '../database/transactions.js';
import { HouseholdsService } from '../households/households.service.js';
import { NoticesService } from '../notices/notices.service.js';
import { PublicationsService } from '../publications/publications.service.js';
import { RankingsService } from '../rankings/rankings.service.js';
import { StarsService } from '../rankings/stars.service.js';
import { ScoringService } from '../scoring/scoring.service.js';

/**
 * The household's own loop (issue 10), for its page and for `/api/v1/me*`: its balances and standing, every record
 * about it, the objections it filed and its notices. The actor is the household (or one acting for it).
 */
@Injectable()
export class VillagerService {
  constructor(
    private readonly households: HouseholdsService,
    private readonly rankings: RankingsService,
    private readonly stars: StarsService,
    private readonly scoring: ScoringService,
    private readonly publications: PublicationsService,
    private readonly notices: NoticesService,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly proxiesOf: HouseholdProxiesService,
  ) {}

  /** Balances, this month's points and rank (none without points this month), this year's stars, unread notices. */
  async me(actor: Actor) {
    const household = await this.households.get(actor, actor.id);
    const month = currentPeriod('month');
    const standing = await this.rankings.rankOf(household.id, month);
    const year = Number(month.key.slice(0, 4));
    const stars = await this.stars.starsOf(household.id, year);
    return {
      household: {
        id: household.id,
        code: household.code,
        headName: household.headName,
        available: household.available,
        earned: household.earned,
      },
      month: month.key,
      monthPoints: standing.points,
      monthRank: standing.points === 0 ? null : standing.rank,
      monthHouseholds: standing.households,
      stars: stars?.stars ?? 0,
      blackListed: stars?.blackListed ?? false,
      year,
      unreadNotices: await this.notices.unread(household.id),
    };
  }

  /** Every record about the household, newest first; one in 公示 says when its window ends. */
  async records(actor: Actor) {
    const records = await this.scoring.ofHousehold(actor.id);
    const ends = await this.publications.endsOnOf(
      records.filter((r) => r.publicationId !== null).map((r) => r.publicationId as number),
    );
    return records.map(({ publicationId, createdAt: _, ...r }) => ({
      ...r,
      publicationEndsOn:
        publicationId !== null && ['PUBLICIZING', 'OBJECTED'].includes(r.status)
          ? (ends.get(publicationId) ?? null)
          : null,
    }));
  }

  /**
   * 亲属代办, as the household sees it: who may act for it now, and what they did in its name (newest first).
   */
  async proxies(actor: Actor) {
    const active = await this.proxiesOf.activeOf(actor.id);
    const actions = await this.audit.proxyActionsFor(actor.villageId as number, actor.id);
    return {
      active,
      actions: actions.map((a) => {
        const details = JSON.parse(a.details ?? '{}') as { byProxy?: { name: string } };
        return {
          at: a.createdAt,
          by: details.byProxy?.name ?? '',
          action: ACTION_LABELS[a.action] ?? a.action,
        };
      }),
    };
  }

  objections(actor: Actor) {
    return this.publications.objectionsByHousehold(actor.id);
  }

  async noticeList(actor: Actor) {
    const items = await this.notices.list(actor.id);
    return { items, unread: await this.notices.unread(actor.id) };
  }

  /** Marks notices read; recorded in the audit log under whoever did it (the household, or one acting for it). */
  async markRead(actor: Actor, ids: number[]): Promise<number> {
    if (ids.length === 0) throw DomainError.validation({ ids: '请选择要标为已读的通知' });
    await this.transactions.run(async (manager) => {
      const marked = await this.notices.markRead(manager, actor.id, ids);
      // Recorded even when nothing was left unread (a second click): the request was made by someone.
      await this.audit.record(
        actor,
        {
          action: 'notice.read',
          entityType: 'household',
          entityId: actor.id,
          villageId: actor.villageId,
          details: { noticeIds: marked },
        },
        manager,
      );
    });
    return this.notices.unread(actor.id);
  }
}

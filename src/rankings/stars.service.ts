import { Injectable } from '@nestjs/common';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { ReadCache, villageScope } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import { HouseholdsService } from '../households/households.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { VillagesService } from '../villages/villages.service.js';
import { ListsService } from './lists.service.js';
import { parsePeriod, type Period } from '../common/periods.js';
import { RankingSettingsService, type RankingSettingsValues } from './ranking-settings.service.js';
import { RankingsService } from './rankings.service.js';
import { parseThresholds, starsFor } from './ranks.js';

export interface StarRow {
  householdId: number;
  code: string;
  headName: string;
  points: number;
  stars: number;
  /** On that year's black list: no stars whatever the points. */
  blackListed: boolean;
}

/** 星级文明户: stars per household per year from the year's points against the village's thresholds. */
@Injectable()
export class StarsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly rankings: RankingsService,
    private readonly lists: ListsService,
    private readonly audit: AuditService,
    private readonly cache: ReadCache,
    private readonly settings: RankingSettingsService,
    private readonly households: HouseholdsService,
    private readonly villages: VillagesService,
    private readonly ledger: LedgerService,
  ) {}

  async stars(
    villageId: number,
    year: number,
  ): Promise<{ year: number; thresholds: number[]; rows: StarRow[] }> {
    const village = await this.villages.kept(villageId);
    if (!village) throw DomainError.notFound('村');
    return this.cache.get(`stars:${villageId}:${year}`, villageScope(village), () =>
      this.computeStars(villageId, year),
    );
  }

  private async computeStars(villageId: number, year: number) {
    const { starThresholds } = await this.settings.get(villageId);
    const thresholds = parseThresholds(starThresholds) ?? [50, 100, 200, 300, 500];
    const [ranking, black] = await Promise.all([
      this.rankings.ranking(villageId, parsePeriod(String(year)) as Period),
      this.lists.blackListedIn(villageId, year),
    ]);
    return {
      year,
      thresholds,
      rows: ranking.rows.map((r) => ({
        householdId: r.householdId,
        code: r.code,
        headName: r.headName,
        points: r.points,
        blackListed: black.has(r.householdId),
        stars: black.has(r.householdId) ? 0 : starsFor(r.points, thresholds),
      })),
    };
  }

  /**
   * One household's stars (a passbook shows them): its row of the village's kept stars, or with `fresh` (a signed
   * certificate) or for a household not ranked (moved out), from its own year total and list entries.
   */
  async starsOf(
    householdId: number,
    year: number,
    options: { fresh?: boolean } = {},
  ): Promise<StarRow | null> {
    // Every passbook page asks: a plain row, and the village from the read cache.
    const [household] = await this.households.briefs([householdId]);
    if (!household) return null;
    if (!options.fresh) {
      const kept = await this.stars(household.villageId, year);
      const row = kept.rows.find((r) => r.householdId === householdId);
      if (row) return row;
    }
    const { starThresholds } = await this.settings.get(household.villageId, options);
    const thresholds = parseThresholds(starThresholds) ?? [50, 100, 200, 300, 500];
    const [points, blackListed] = await Promise.all([
      this.ledger.periodPoints(householdId, String(year)),
      this.lists.isBlackListedIn(householdId, year),
    ]);
    return {
      householdId,
      code: household.code,
      headName: household.headName,
      points,
      blackListed,
      stars: blackListed ? 0 : starsFor(points, thresholds),
    };
  }

  /** The committee's settings: star thresholds, how the black list shows, how many the red list proposes. */
  async updateSettings(
    actor: Actor,
    villageId: number,
    input: { starThresholds: string; blackListMode: 'NAMED' | 'GROUP'; redListSize: number },
  ): Promise<RankingSettingsValues & { villageId: number }> {
    const thresholds = parseThresholds(input.starThresholds);
    if (!thresholds)
      throw DomainError.validation({
        starThresholds: '请填写 5 个从小到大的正整数，用逗号隔开，例如 50,100,200,300,500',
      });
    const village = await this.villages.kept(villageId, { fresh: true });
    if (!village) throw DomainError.notFound('村');
    assertInScope(actor, { townshipId: village.townshipId, villageId });
    return this.transactions.run(async (manager) => {
      const changes = {
        starThresholds: thresholds.join(','),
        blackListMode: input.blackListMode,
        redListSize: input.redListSize,
      };
      await this.settings.save(manager, villageId, changes);
      this.transactions.changed(manager, { villageIds: [villageId] });
      await this.audit.record(
        actor,
        {
          action: 'village.ranking-settings',
          entityType: 'village',
          entityId: villageId,
          villageId,
          details: changes,
        },
        manager,
      );
      return { villageId, ...changes };
    });
  }
}

import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { can, Permission } from '../access/permissions.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { addDays } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import type { Period } from '../common/periods.js';
import { isUniqueViolation } from '../common/unique.js';
import { Settings } from '../config/settings.js';
import { lockRow } from '../database/locks.js';
import { raw } from '../database/raw.js';
import { villageScope } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import { DoorPlateBadges } from '../households/door-plate-badges.js';
import { HouseholdsService } from '../households/households.service.js';
import { PUBLICATION_DEFAULT_DAYS, windowDaysError } from '../publications/publication-window.js';
import { ListsService } from '../rankings/lists.service.js';
import { councilDecision, tally } from '../scoring/council-decision.js';
import { ScoringSettingsService } from '../scoring/scoring-settings.service.js';
import { ScoringService } from '../scoring/scoring.service.js';
import type { Village } from '../villages/village.entity.js';
import { VillagesService } from '../villages/villages.service.js';
import type {
  CreateCampaignDto,
  HonourObjectionDto,
  HonourVoteDto,
  NominateDto,
  ResolveHonourObjectionDto,
} from './dto/honour.dto.js';
import { criteriaLabel, honourOutcome } from './honour-decision.js';
import { CAMPAIGN_STATUS_LABELS, HonourCampaign, HonourStar } from './honour-campaign.entity.js';
import {
  HonourNomination,
  HonourObjection,
  HonourVote,
  NOMINATION_STATUS_LABELS,
} from './honour-nomination.entity.js';

export interface NominationView {
  id: number;
  starId: number;
  starName: string;
  householdId: number;
  householdCode: string;
  headName: string;
  reason: string | null;
  selfNominated: boolean;
  status: HonourNomination['status'];
  statusLabel: string;
  points: number | null;
  outcomeNote: string | null;
  needsCouncil: boolean;
  councilResult: HonourNomination['councilResult'];
  yes: number;
  no: number;
  abstain: number;
}

export interface CampaignView {
  id: number;
  villageId: number;
  villageName: string;
  year: number;
  title: string;
  status: HonourCampaign['status'];
  statusLabel: string;
  windowEndsOn: string | null;
  publishedAt: Date | null;
  filedAt: Date | null;
  quorum: number;
  stars: {
    id: number;
    name: string;
    category: string | null;
    minPoints: number | null;
    needsCouncil: boolean;
    criteria: string;
  }[];
  nominations: NominationView[];
  objections: {
    id: number;
    nominationId: number;
    reason: string;
    status: HonourObjection['status'];
    answer: string | null;
  }[];
}

/** A household's honour as the passbook, the board and the door plate show it. */
export interface HonourLine {
  campaignId: number;
  year: number;
  title: string;
  starName: string;
  householdId: number;
  householdCode: string;
  headName: string;
  status: 'AWARDED' | 'WITHDRAWN';
  note: string | null;
}

const num = (v: unknown) => Number(v ?? 0);
/** Door-plate codes in the order the database sorted them (they share the village's prefix; plain text order). */
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * 评选活动 (星级文明户 / 文明家庭 / 道德模范): the committee runs a campaign for a year with named stars; households
 * are nominated (by themselves or by the committee); the 道德评议会 votes on stars that need it (the council's rule of
 * council-decision.ts); publishing decides each nomination against its star's criteria (honour-decision.ts) and opens
 * a 公示 window with objections; the township files it, and the honours then show on the board, the passbook and the
 * door plate. A household that lands on the year's black list loses the year's honours (withdrawn, reason kept):
 * ListsService tells this service in the transaction that publishes the list.
 */
@Injectable()
export class HonoursService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly lists: ListsService,
    private readonly scoringSettings: ScoringSettingsService,
    private readonly scoring: ScoringService,
    private readonly settings: Settings,
    private readonly badges: DoorPlateBadges,
    private readonly households: HouseholdsService,
    private readonly villages: VillagesService,
  ) {}

  onModuleInit(): void {
    // The door plate shows the household's named stars of the last two years' filed campaigns.
    this.badges.add(async (householdIds) => {
      const lines = await this.honours({
        householdIds,
        sinceYear: Number(this.clock.today().slice(0, 4)) - 1,
      });
      const byHousehold = new Map<number, string[]>();
      for (const l of lines.filter((x) => x.status === 'AWARDED'))
        byHousehold.set(l.householdId, [
          ...(byHousehold.get(l.householdId) ?? []),
          `${l.year}年 ${l.starName}`,
        ]);
      return byHousehold;
    });
    this.lists.watchBlackList((manager, actor, villageId, period, householdIds) =>
      this.withdrawForBlackList(manager, actor, villageId, period, householdIds),
    );
  }

  /** The China day now (the pages ask whether a 公示 window is still open). */
  today(): string {
    return this.clock.today();
  }

  async create(actor: Actor, dto: CreateCampaignDto): Promise<CampaignView> {
    this.assertMay(actor, Permission.Honour.Run, '评选活动由村两委组织');
    const wrong: Record<string, string> = {};
    const names = new Set<string>();
    for (const [i, star] of dto.stars.entries()) {
      if (!star.category !== (star.minPoints === undefined))
        wrong[`stars.${i}.${star.category ? 'minPoints' : 'category'}`] =
          '按积分评选时，类别和最低积分都要填';
      else if (!star.category && !star.needsCouncil)
        wrong[`stars.${i}.name`] = `“${star.name}”还没有评选条件：填类别和最低积分，或选择评议会表决`;
      if (names.has(star.name)) wrong[`stars.${i}.name`] = `“${star.name}”重复了`;
      names.add(star.name);
    }
    if (dto.year > Number(this.clock.today().slice(0, 4)))
      wrong.year = `评选年份不能晚于今年（${this.clock.today().slice(0, 4)}年）`;
    if (Object.keys(wrong).length > 0) throw DomainError.validation(wrong);
    try {
      return await this.transactions.run(async (manager) => {
        const village = await this.villageInScope(manager, actor, dto.villageId);
        const campaign = await manager.save(
          manager.create(HonourCampaign, {
            villageId: village.id,
            year: dto.year,
            title: dto.title,
            status: 'OPEN',
            createdBy: actor.kind === 'user' ? actor.id : null,
          }),
        );
        for (const star of dto.stars)
          await manager.save(
            manager.create(HonourStar, {
              campaignId: campaign.id,
              name: star.name,
              category: star.category ?? null,
              minPoints: star.minPoints ?? null,
              needsCouncil: star.needsCouncil ?? false,
            }),
          );
        await this.record(manager, actor, 'honour.campaign', campaign, village, {
          year: dto.year,
          title: dto.title,
          stars: dto.stars.map((s) => s.name),
        });
        return this.view(manager, campaign, village);
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw DomainError.duplicate('title', `本村${dto.year}年已有“${dto.title}”，请换个名称`);
      throw error;
    }
  }

  async get(actor: Actor, id: number): Promise<CampaignView> {
    const { campaign, village } = await this.inScope(this.dataSource.manager, actor, id);
    return this.view(this.dataSource.manager, campaign, village);
  }

  /** A village's campaigns, newest first. */
  async ofVillage(actor: Actor, villageId: number): Promise<CampaignView[]> {
    const village = await this.villageInScope(this.dataSource.manager, actor, villageId);
    const campaigns = await this.dataSource
      .getRepository(HonourCampaign)
      .find({ where: { villageId: village.id }, order: { year: 'DESC', id: 'DESC' } });
    return Promise.all(campaigns.map((c) => this.view(this.dataSource.manager, c, village)));
  }

  /** Campaigns of a village that take nominations now (the household's own page offers them). */
  async openIn(villageId: number): Promise<CampaignView[]> {
    const village = await this.villages.findIn(this.dataSource.manager, villageId);
    if (!village) return [];
    const campaigns = await this.dataSource
      .getRepository(HonourCampaign)
      .find({ where: { villageId, status: In(['OPEN', 'PUBLISHED']) }, order: { id: 'DESC' } });
    return Promise.all(campaigns.map((c) => this.view(this.dataSource.manager, c, village)));
  }

  /** A household puts itself forward (its own page), or the committee puts a household forward. */
  async nominate(actor: Actor, campaignId: number, dto: NominateDto): Promise<NominationView> {
    if (actor.kind === 'household') {
      if (dto.householdId !== actor.householdId) throw DomainError.forbidden('村民只能为本户自荐');
    } else this.assertMay(actor, Permission.Honour.Run, '提名由村两委登记，或由农户自荐');
    try {
      return await this.transactions.run(async (manager) => {
        const { campaign, village } = await this.inScope(manager, actor, campaignId);
        if (campaign.status !== 'OPEN')
          throw new DomainError('INVALID_STATE', '这次评选已公示结果，不再接受提名');
        const star = await manager.findOneBy(HonourStar, { id: dto.starId, campaignId });
        if (!star) throw DomainError.validation({ starId: '请选择这次评选的一颗星' });
        const household = await this.households.findIn(manager, dto.householdId);
        if (!household || household.villageId !== village.id || household.status !== 'ACTIVE')
          throw DomainError.validation({ householdId: '所选农户不是本村的在册农户' });
        if ((await this.lists.blackListedIn(village.id, campaign.year)).has(household.id))
          throw new DomainError(
            'INVALID_STATE',
            `${household.headName}家列入${campaign.year}年黑榜，不能参加本年评选`,
          );
        const nomination = await manager.save(
          manager.create(HonourNomination, {
            campaignId,
            villageId: village.id,
            starId: star.id,
            householdId: household.id,
            reason: dto.reason || null,
            nominatedBy: actor.kind === 'user' ? actor.id : null,
            status: 'NOMINATED',
          }),
        );
        await this.record(manager, actor, 'honour.nominate', campaign, village, {
          nominationId: nomination.id,
          household: household.code,
          star: star.name,
        });
        const view = await this.view(manager, campaign, village);
        return view.nominations.find((n) => n.id === nomination.id)!;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw DomainError.duplicate('householdId', '这户已经被提名过这颗星');
      throw error;
    }
  }

  /** One council member's vote on a nomination for a star that needs the council; the quorum's majority decides. */
  async vote(actor: Actor, campaignId: number, dto: HonourVoteDto) {
    this.assertMay(actor, Permission.Council.Vote, '只有评议会成员可以投票');
    if (actor.kind !== 'user') throw DomainError.forbidden('只有评议会成员可以投票');
    try {
      return await this.transactions.run(async (manager) => {
        const { campaign, village } = await this.inScope(manager, actor, campaignId);
        // Locked: two votes on one nomination are counted one after the other, so one of them decides, once.
        const nomination = await lockRow(manager, HonourNomination, dto.nominationId);
        if (!nomination || nomination.campaignId !== campaign.id)
          throw DomainError.validation({ nominationId: '请选择这次评选的一个提名' });
        const star = await manager.findOneByOrFail(HonourStar, { id: nomination.starId });
        if (!star.needsCouncil)
          throw new DomainError('INVALID_STATE', `“${star.name}”按积分评选，不需要评议会表决`);
        if (campaign.status !== 'OPEN' || nomination.councilResult)
          throw new DomainError('INVALID_STATE', '这个提名的表决已经结束');
        if (actor.householdId === nomination.householdId)
          throw new DomainError('SAME_PERSON', '不能对自家的提名投票');
        await manager.save(
          manager.create(HonourVote, {
            nominationId: nomination.id,
            villageId: village.id,
            userId: actor.id,
            vote: dto.vote,
            comment: dto.comment || null,
          }),
        );
        const votes = await manager.find(HonourVote, { where: { nominationId: nomination.id } });
        const counts = tally(votes);
        const quorum = await this.scoringSettings.councilQuorum(village.id, manager);
        const decision = councilDecision(counts, quorum);
        if (decision !== 'PENDING') {
          nomination.councilResult = decision;
          await manager.save(nomination);
        }
        await this.record(manager, actor, 'honour.vote', campaign, village, {
          nominationId: nomination.id,
          vote: dto.vote,
          ...(decision !== 'PENDING' && { result: decision }),
        });
        return { nominationId: nomination.id, ...counts, quorum, result: decision };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw DomainError.duplicate('vote', '您已经对这个提名投过票了');
      throw error;
    }
  }

  /**
   * 公布结果: each nomination is decided against its star (points of the year in the category, the council's
   * decision, the year's black list) and the result goes into 公示 for `days` days.
   */
  async publish(actor: Actor, id: number, days = PUBLICATION_DEFAULT_DAYS): Promise<CampaignView> {
    this.assertMay(actor, Permission.Honour.Run, '评选结果由村两委公示');
    const refused = windowDaysError(days, this.settings.publicationMinDays);
    if (refused) throw DomainError.validation({ days: refused });
    return this.transactions.run(async (manager) => {
      const { campaign, village } = await this.inScope(manager, actor, id);
      const locked = (await lockRow(manager, HonourCampaign, id)) as HonourCampaign;
      if (locked.status !== 'OPEN') throw new DomainError('INVALID_STATE', '这次评选的结果已经公示过了');
      const nominations = await manager.find(HonourNomination, { where: { campaignId: id } });
      if (nominations.length === 0) throw new DomainError('INVALID_STATE', '还没有任何提名，不能公示结果');
      const stars = new Map(
        (await manager.find(HonourStar, { where: { campaignId: id } })).map((s) => [s.id, s]),
      );
      const undecided = nominations.filter((n) => stars.get(n.starId)!.needsCouncil && !n.councilResult);
      if (undecided.length > 0)
        throw new DomainError(
          'INVALID_STATE',
          `还有 ${undecided.length} 个提名评议会尚未表决出结果，表决后才能公示`,
        );
      const black = await this.lists.blackListedIn(village.id, campaign.year);
      const pointsByCategory = new Map<string, Map<number, number>>();
      for (const star of stars.values())
        if (star.category && !pointsByCategory.has(star.category))
          pointsByCategory.set(
            star.category,
            await this.scoring.postedPointsByCategory(village.id, campaign.year, star.category, manager),
          );
      let awarded = 0;
      for (const n of nominations) {
        const star = stars.get(n.starId)!;
        const points = star.category ? (pointsByCategory.get(star.category)!.get(n.householdId) ?? 0) : null;
        const outcome = honourOutcome(star, {
          points,
          councilResult: n.councilResult,
          blackListed: black.has(n.householdId),
          year: campaign.year,
        });
        if (outcome.status === 'AWARDED') awarded++;
        await manager.update(HonourNomination, n.id, {
          status: outcome.status,
          points,
          outcomeNote: outcome.note,
        });
      }
      campaign.status = 'PUBLISHED';
      campaign.publishedAt = this.clock.now();
      // As a record's window: `days` days from today, today the first (0: over at once, as tests use).
      campaign.windowEndsOn = addDays(this.clock.today(), days - 1);
      await manager.save(campaign);
      await this.record(manager, actor, 'honour.publish', campaign, village, {
        nominations: nominations.length,
        awarded,
        windowEndsOn: campaign.windowEndsOn,
      });
      return this.view(manager, campaign, village);
    });
  }

  /** 异议 on an honour in 公示: a household of the village, or the committee for a villager who came in person. */
  async object(actor: Actor, campaignId: number, dto: HonourObjectionDto) {
    if (actor.kind !== 'household')
      this.assertMay(actor, Permission.Honour.Run, '异议由村民提出，或由村两委代为登记');
    return this.transactions.run(async (manager) => {
      const { campaign, village } = await this.inScope(manager, actor, campaignId);
      if (campaign.status !== 'PUBLISHED' || (campaign.windowEndsOn ?? '') < this.clock.today())
        throw new DomainError('INVALID_STATE', '只能在评选结果公示期内提出异议');
      const nomination = await manager.findOneBy(HonourNomination, { id: dto.nominationId, campaignId });
      if (!nomination || nomination.status !== 'AWARDED')
        throw DomainError.validation({ nominationId: '请选择一个评上的结果' });
      const raised = await manager.save(
        manager.create(HonourObjection, {
          nominationId: nomination.id,
          campaignId,
          villageId: village.id,
          byUserId: actor.kind === 'user' ? actor.id : null,
          byHouseholdId: actor.kind === 'household' ? actor.householdId : null,
          reason: dto.reason,
          status: 'OPEN',
        }),
      );
      await this.record(manager, actor, 'honour.object', campaign, village, {
        objectionId: raised.id,
        nominationId: nomination.id,
        reason: dto.reason,
      });
      return { id: raised.id, nominationId: nomination.id, status: raised.status };
    });
  }

  /** The committee answers an objection: upheld, the honour is not given; dismissed, it stands. */
  async resolve(actor: Actor, objectionId: number, dto: ResolveHonourObjectionDto) {
    this.assertMay(actor, Permission.Honour.Run, '异议由村两委答复');
    return this.transactions.run(async (manager) => {
      const answered = await lockRow(manager, HonourObjection, objectionId);
      if (!answered) throw DomainError.notFound('异议');
      const { campaign, village } = await this.inScope(manager, actor, answered.campaignId);
      if (answered.status !== 'OPEN') throw new DomainError('INVALID_STATE', '这条异议已经答复过了');
      if (campaign.status !== 'PUBLISHED') throw new DomainError('INVALID_STATE', '评选已经备案，不能再改');
      answered.status = dto.decision === 'UPHOLD' ? 'UPHELD' : 'DISMISSED';
      answered.answer = dto.answer;
      answered.resolvedBy = actor.kind === 'user' ? actor.id : null;
      answered.resolvedAt = this.clock.now();
      await manager.save(answered);
      if (dto.decision === 'UPHOLD')
        await manager.update(HonourNomination, answered.nominationId, {
          status: 'NOT_AWARDED',
          outcomeNote: `异议成立：${dto.answer}`.slice(0, 200),
        });
      await this.record(manager, actor, 'honour.resolve', campaign, village, {
        objectionId,
        nominationId: answered.nominationId,
        decision: dto.decision,
        answer: dto.answer,
      });
      return { id: answered.id, status: answered.status, answer: answered.answer };
    });
  }

  /** 备案: the township files a result whose 公示 has ended with no objection open; the honours then stand. */
  async file(actor: Actor, id: number, comment?: string): Promise<CampaignView> {
    this.assertMay(actor, Permission.Honour.File, '评选结果由乡镇备案');
    return this.transactions.run(async (manager) => {
      const { campaign, village } = await this.inScope(manager, actor, id);
      const locked = (await lockRow(manager, HonourCampaign, id)) as HonourCampaign;
      if (locked.status !== 'PUBLISHED')
        throw new DomainError(
          'INVALID_STATE',
          locked.status === 'FILED' ? '这次评选已经备案了' : '评选结果公示后才能备案',
        );
      if ((locked.windowEndsOn ?? '') >= this.clock.today())
        throw new DomainError('INVALID_STATE', `公示期到 ${locked.windowEndsOn} 结束，结束后才能备案`);
      const open = await manager.countBy(HonourObjection, { campaignId: id, status: 'OPEN' });
      if (open > 0)
        throw new DomainError('INVALID_STATE', `还有 ${open} 条异议等待村两委答复，答复后才能备案`);
      campaign.status = 'FILED';
      campaign.filedAt = this.clock.now();
      campaign.filedBy = actor.kind === 'user' ? actor.id : null;
      await manager.save(campaign);
      await this.record(manager, actor, 'honour.file', campaign, village, {
        title: campaign.title,
        ...(comment && { comment }),
      });
      return this.view(manager, campaign, village);
    });
  }

  /** Results of a township's villages whose 公示 has ended, waiting for the township's filing (its to-do). */
  async waitingFiling(townshipId: number): Promise<CampaignView[]> {
    const villages = await this.villages.inTownship(townshipId);
    if (villages.length === 0) return [];
    const byId = new Map(villages.map((v) => [v.id, v]));
    const rows = await this.dataSource.getRepository(HonourCampaign).find({
      where: { villageId: In([...byId.keys()]), status: 'PUBLISHED' },
      order: { id: 'ASC' },
    });
    const today = this.clock.today();
    const ended = rows.filter((c) => (c.windowEndsOn ?? '') < today);
    return Promise.all(ended.map((c) => this.view(this.dataSource.manager, c, byId.get(c.villageId)!)));
  }

  /** Nominations waiting for this council member's vote (the member's start page). */
  async ballotsFor(
    actor: Actor,
  ): Promise<(NominationView & { campaignId: number; campaignTitle: string })[]> {
    if (actor.kind !== 'user' || !actor.villageId) return [];
    const rows = await raw<{ id: number; campaignId: number }>(
      this.dataSource,
      `SELECT n.id, n."campaignId" FROM honour_nomination n
         JOIN honour_campaign c ON c.id = n."campaignId" JOIN honour_star s ON s.id = n."starId"
        WHERE c."villageId" = $1 AND c.status = 'OPEN' AND s."needsCouncil" = $2 AND n."councilResult" IS NULL
          AND n."householdId" <> $3
          AND NOT EXISTS (SELECT 1 FROM honour_vote v WHERE v."nominationId" = n.id AND v."userId" = $4)
        ORDER BY n.id LIMIT 100`,
      [actor.villageId, true, actor.householdId ?? 0, actor.id],
    );
    const out: (NominationView & { campaignId: number; campaignTitle: string })[] = [];
    const village = await this.villages.getIn(this.dataSource.manager, actor.villageId);
    for (const campaignId of [...new Set(rows.map((r) => num(r.campaignId)))]) {
      const campaign = await this.dataSource
        .getRepository(HonourCampaign)
        .findOneByOrFail({ id: campaignId });
      const view = await this.view(this.dataSource.manager, campaign, village);
      const ids = new Set(rows.map((r) => num(r.id)));
      for (const n of view.nominations)
        if (ids.has(n.id)) out.push({ ...n, campaignId, campaignTitle: campaign.title });
    }
    return out;
  }

  /** The honours of filed campaigns (given and withdrawn) of some households, or of a village; newest year first. */
  async honours(where: {
    villageId?: number;
    householdIds?: number[];
    sinceYear?: number;
  }): Promise<HonourLine[]> {
    if (where.householdIds && where.householdIds.length === 0) return [];
    const params: unknown[] = [];
    const conditions = ["c.status = 'FILED'", "n.status IN ('AWARDED', 'WITHDRAWN')"];
    if (where.villageId !== undefined) {
      params.push(where.villageId);
      conditions.push(`n."villageId" = $${params.length}`);
    }
    if (where.householdIds) {
      const list = where.householdIds.map((id) => {
        params.push(id);
        return `$${params.length}`;
      });
      conditions.push(`n."householdId" IN (${list.join(', ')})`);
    }
    if (where.sinceYear !== undefined) {
      params.push(where.sinceYear);
      conditions.push(`c.year >= $${params.length}`);
    }
    const rows = await raw<{
      campaignId: number;
      year: number;
      title: string;
      starId: number;
      starName: string;
      householdId: number;
      status: 'AWARDED' | 'WITHDRAWN';
      outcomeNote: string | null;
    }>(
      this.dataSource,
      `SELECT c.id AS "campaignId", c.year, c.title, s.id AS "starId", s.name AS "starName", n."householdId",
          n.status, n."outcomeNote"
         FROM honour_nomination n JOIN honour_campaign c ON c.id = n."campaignId"
         JOIN honour_star s ON s.id = n."starId"
        WHERE ${conditions.join(' AND ')}
        ORDER BY c.year DESC, c.id DESC, s.id, n.id`,
      params,
    );
    // The households' codes and names are the households' to answer; within a star the lines go by code.
    const households = await this.households.codesAndNames(rows.map((r) => num(r.householdId)));
    return rows
      .filter((r) => households.has(num(r.householdId)))
      .map((r) => {
        const household = households.get(num(r.householdId)) as { code: string; headName: string };
        return {
          line: {
            campaignId: num(r.campaignId),
            year: num(r.year),
            title: r.title,
            starName: r.starName,
            householdId: num(r.householdId),
            householdCode: household.code,
            headName: household.headName,
            status: r.status,
            note: r.outcomeNote,
          },
          starId: num(r.starId),
        };
      })
      .sort(
        (a, b) =>
          b.line.year - a.line.year ||
          b.line.campaignId - a.line.campaignId ||
          a.starId - b.starId ||
          byCode(a.line.householdCode, b.line.householdCode),
      )
      .map((r) => r.line);
  }

  /**
   * A black list was published: the year's honours of the households on it are withdrawn (status WITHDRAWN, the
   * reason kept), in the transaction that publishes the list.
   */
  private async withdrawForBlackList(
    manager: EntityManager,
    actor: Actor,
    villageId: number,
    period: Period,
    householdIds: number[],
  ): Promise<void> {
    if (householdIds.length === 0) return;
    const year = Number(period.key.slice(0, 4));
    const campaigns = await manager.find(HonourCampaign, {
      where: { villageId, year, status: In(['PUBLISHED', 'FILED']) },
    });
    if (campaigns.length === 0) return;
    const village = await this.villages.getIn(manager, villageId);
    const byId = new Map(campaigns.map((c) => [c.id, c]));
    const given = await manager.find(HonourNomination, {
      where: { campaignId: In([...byId.keys()]), householdId: In(householdIds), status: 'AWARDED' },
    });
    for (const n of given) {
      const note = `列入${period.label}黑榜，荣誉撤销`;
      await manager.update(HonourNomination, n.id, {
        status: 'WITHDRAWN',
        outcomeNote: note,
        withdrawnAt: this.clock.now(),
      });
      await this.record(manager, actor, 'honour.withdraw', byId.get(n.campaignId)!, village, {
        nominationId: n.id,
        householdId: n.householdId,
        reason: note,
      });
    }
  }

  private async view(
    manager: EntityManager,
    campaign: HonourCampaign,
    village: Village,
  ): Promise<CampaignView> {
    const [stars, nominations, quorum, objections] = await Promise.all([
      manager.find(HonourStar, { where: { campaignId: campaign.id }, order: { id: 'ASC' } }),
      raw<{
        id: number;
        starId: number;
        householdId: number;
        reason: string | null;
        nominatedBy: number | null;
        status: HonourNomination['status'];
        councilResult: HonourNomination['councilResult'];
        points: number | null;
        outcomeNote: string | null;
        yes: number;
        no: number;
        abstain: number;
      }>(
        manager,
        `SELECT n.id, n."starId", n."householdId", n.reason, n."nominatedBy", n.status,
            n."councilResult", n.points, n."outcomeNote",
            (SELECT COUNT(*) FROM honour_vote v WHERE v."nominationId" = n.id AND v.vote = 'YES') AS yes,
            (SELECT COUNT(*) FROM honour_vote v WHERE v."nominationId" = n.id AND v.vote = 'NO') AS no,
            (SELECT COUNT(*) FROM honour_vote v WHERE v."nominationId" = n.id AND v.vote = 'ABSTAIN') AS abstain
           FROM honour_nomination n
          WHERE n."campaignId" = $1 ORDER BY n."starId", n.id`,
        [campaign.id],
      ),
      this.scoringSettings.councilQuorum(village.id, manager),
      manager.find(HonourObjection, { where: { campaignId: campaign.id }, order: { id: 'ASC' } }),
    ]);
    const starOf = new Map(stars.map((s) => [s.id, s]));
    // The households' codes and names are the households' to answer; within a star the nominations go by code.
    const households = await this.households.codesAndNames(
      nominations.map((n) => num(n.householdId)),
      manager,
    );
    const named = nominations
      .filter((n) => households.has(num(n.householdId)))
      .map((n) => ({ ...n, ...(households.get(num(n.householdId)) as { code: string; headName: string }) }))
      .sort((a, b) => num(a.starId) - num(b.starId) || byCode(a.code, b.code));
    return {
      id: campaign.id,
      villageId: village.id,
      villageName: village.name,
      year: campaign.year,
      title: campaign.title,
      status: campaign.status,
      statusLabel: CAMPAIGN_STATUS_LABELS[campaign.status],
      windowEndsOn: campaign.windowEndsOn,
      publishedAt: campaign.publishedAt,
      filedAt: campaign.filedAt,
      quorum,
      stars: stars.map((s) => ({
        id: s.id,
        name: s.name,
        category: s.category,
        minPoints: s.minPoints,
        needsCouncil: !!s.needsCouncil,
        criteria: criteriaLabel({ ...s, needsCouncil: !!s.needsCouncil }),
      })),
      nominations: named.map((n) => ({
        id: num(n.id),
        starId: num(n.starId),
        starName: starOf.get(num(n.starId))?.name ?? '',
        householdId: num(n.householdId),
        householdCode: n.code,
        headName: n.headName,
        reason: n.reason,
        selfNominated: n.nominatedBy === null,
        status: n.status,
        statusLabel: NOMINATION_STATUS_LABELS[n.status],
        points: n.points === null ? null : num(n.points),
        outcomeNote: n.outcomeNote,
        needsCouncil: !!starOf.get(num(n.starId))?.needsCouncil,
        councilResult: n.councilResult,
        yes: num(n.yes),
        no: num(n.no),
        abstain: num(n.abstain),
      })),
      objections: objections.map((o) => ({
        id: o.id,
        nominationId: o.nominationId,
        reason: o.reason,
        status: o.status,
        answer: o.answer,
      })),
    };
  }

  private async inScope(manager: EntityManager, actor: Actor, id: number) {
    const campaign = await manager.findOneBy(HonourCampaign, { id });
    if (!campaign) throw DomainError.notFound('评选活动');
    const village = await this.villageInScope(manager, actor, campaign.villageId);
    return { campaign, village };
  }

  private async villageInScope(manager: EntityManager, actor: Actor, villageId: number): Promise<Village> {
    const village = await this.villages.findIn(manager, villageId);
    if (!village) throw DomainError.notFound('村');
    assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
    return village;
  }

  private assertMay(actor: Actor, permission: Permission, message: string): void {
    if (!can(actor, permission)) throw DomainError.forbidden(message);
  }

  private async record(
    manager: EntityManager,
    actor: Actor,
    action: string,
    campaign: HonourCampaign,
    village: Village,
    details: Record<string, unknown>,
  ) {
    this.transactions.changed(manager, villageScope(village));
    await this.audit.record(
      actor,
      {
        action,
        entityType: 'honour_campaign',
        entityId: campaign.id,
        townshipId: village.townshipId,
        villageId: village.id,
        details,
      },
      manager,
    );
  }
}

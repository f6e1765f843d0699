import { Body, Controller, Get, Param, ParseIntPipe, Post, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { can, Permission } from '../access/permissions.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor } from '../auth/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { FormBody, FormPage, type FormRequest } from '../common/form-page.js';
import { parseForm } from '../common/validation.js';
import { HouseholdsService } from '../households/households.service.js';
import { RULE_CATEGORIES } from '../rules/scoring-rule.entity.js';
import {
  CreateCampaignDto,
  FileCampaignDto,
  HonourObjectionDto,
  HonourVoteDto,
  NominateDto,
  PublishCampaignDto,
  ResolveHonourObjectionDto,
} from './dto/honour.dto.js';
import { campaignPage } from './honours.presenter.js';
import { HonoursService } from './honours.service.js';

/** The new-campaign form offers this many star rows; rows left empty are not stars. */
const STAR_ROWS = 5;
const CATEGORY_OPTIONS = RULE_CATEGORIES.map((c) => ({ value: c, label: c }));

/** The form's star rows as the API's stars, and the API's field names (`stars.0.name`) as the form's (`star0Name`). */
async function campaignOf(body: Record<string, unknown>, villageId: number): Promise<CreateCampaignDto> {
  const rows = [...Array(STAR_ROWS).keys()].filter((i) => String(body[`star${i}Name`] ?? '').trim() !== '');
  const stars = rows.map((i) => ({
    name: body[`star${i}Name`],
    ...(body[`star${i}Category`] ? { category: body[`star${i}Category`] } : {}),
    ...(String(body[`star${i}MinPoints`] ?? '').trim() !== ''
      ? { minPoints: body[`star${i}MinPoints`] }
      : {}),
    needsCouncil: body[`star${i}Council`] === 'on',
  }));
  return onStarRows(rows, () =>
    parseForm(CreateCampaignDto, { villageId, year: body.year, title: body.title, stars }),
  );
}

async function onStarRows<T>(rows: number[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'VALIDATION_FAILED') throw error;
    const field = (key: string) => {
      const m = /^stars\.(\d+)\.(\w+)$/.exec(key);
      if (!m) return key === 'stars' ? 'star0Name' : key;
      const row = rows[Number(m[1])] ?? 0;
      const part = { name: 'Name', category: 'Category', minPoints: 'MinPoints', needsCouncil: 'Council' }[
        m[2]
      ];
      return `star${row}${part ?? 'Name'}`;
    };
    throw DomainError.validation(
      Object.fromEntries(Object.entries(error.details).map(([k, v]) => [field(k), String(v)])),
      error.message,
    );
  }
}

const showContext = (c: HonoursController, req: FormRequest) => c.showPage(req.actor, Number(req.params.id));

/**
 * 评选活动 pages: the committee runs a campaign (stars, nominations, publishing, answering objections), the council
 * votes on nominations, the township files the result. The household nominates itself on its own page (/villager).
 */
@ApiExcludeController()
@Controller('honours')
export class HonoursController {
  constructor(
    private readonly honours: HonoursService,
    private readonly households: HouseholdsService,
  ) {}

  @Get()
  @Allow(Permission.Honour.Read)
  @Render('honours/list')
  async list(@CurrentActor() actor: Actor) {
    if (can(actor, Permission.Honour.File)) {
      const waiting = await this.honours.waitingFiling(actor.townshipId as number);
      return { title: '评选结果备案', township: true, campaigns: waiting.map((c) => campaignPage(c)) };
    }
    // The county's admin reads a village's campaigns through the API (it has no village of its own).
    if (!actor.villageId) return { title: '评选活动', canRun: false, campaigns: [] };
    const campaigns = await this.honours.ofVillage(actor, actor.villageId);
    return {
      title: '评选活动',
      canRun: can(actor, Permission.Honour.Run),
      campaigns: campaigns.map((c) => campaignPage(c)),
    };
  }

  @Get('new')
  @Allow(Permission.Honour.Run)
  @Render('honours/new')
  newForm() {
    return { ...this.newPage(), values: { title: '', year: '' } };
  }

  @Post()
  @Allow(Permission.Honour.Run)
  @FormPage('honours/new', { context: (c: HonoursController) => c.newPage() })
  async create(@CurrentActor() actor: Actor, @Body() body: Record<string, unknown> = {}) {
    const dto = await campaignOf(body, actor.villageId as number);
    const rows = [...Array(STAR_ROWS).keys()].filter((i) => String(body[`star${i}Name`] ?? '').trim() !== '');
    const campaign = await onStarRows(rows, () => this.honours.create(actor, dto));
    return { redirect: `/honours/${campaign.id}`, message: `已发起“${campaign.title}”，可以提名了` };
  }

  @Get(':id')
  @Allow(Permission.Honour.Read)
  @InScope('campaign', 'params.id')
  @Render('honours/show')
  async show(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return { ...(await this.showPage(actor, id)), values: {} };
  }

  @Post(':id/nominations')
  @Allow(Permission.Honour.Run)
  @InScope('campaign', 'params.id')
  @FormPage('honours/show', { context: showContext })
  async nominate(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @FormBody(NominateDto) dto: NominateDto,
  ) {
    const n = await this.honours.nominate(actor, id, dto);
    return {
      redirect: `/honours/${id}`,
      message: `已提名 ${n.householdCode} ${n.headName}家：${n.starName}`,
    };
  }

  @Post(':id/votes')
  @Allow(Permission.Council.Vote)
  @InScope('campaign', 'params.id')
  @FormPage('honours/show', { context: showContext, buttonsOnly: true })
  async vote(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @FormBody(HonourVoteDto) dto: HonourVoteDto,
  ) {
    const r = await this.honours.vote(actor, id, dto);
    const decided =
      r.result === 'APPROVED' ? '，评议会通过' : r.result === 'REJECTED' ? '，评议会未通过' : '';
    return {
      redirect: `/honours/${id}`,
      message: `已投票（赞成 ${r.yes}，反对 ${r.no}，弃权 ${r.abstain}）${decided}`,
    };
  }

  @Post(':id/publish')
  @Allow(Permission.Honour.Run)
  @InScope('campaign', 'params.id')
  @FormPage('honours/show', { context: showContext })
  async publish(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @FormBody(PublishCampaignDto) dto: PublishCampaignDto,
  ) {
    const c = await this.honours.publish(actor, id, dto.days);
    const awarded = c.nominations.filter((n) => n.status === 'AWARDED').length;
    return {
      redirect: `/honours/${id}`,
      message: `评选结果已公示：评上 ${awarded} 个，公示到 ${c.windowEndsOn}`,
    };
  }

  @Post(':id/objections')
  @Allow(Permission.Honour.Run)
  @InScope('campaign', 'params.id')
  @FormPage('honours/show', { context: showContext })
  async object(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @FormBody(HonourObjectionDto) dto: HonourObjectionDto,
  ) {
    await this.honours.object(actor, id, dto);
    return { redirect: `/honours/${id}`, message: '已代村民登记异议，请尽快答复' };
  }

  @Post(':id/objections/:objectionId/resolve')
  @Allow(Permission.Honour.Run)
  @InScope('campaign', 'params.id')
  @FormPage('honours/show', { context: showContext })
  async resolve(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Param('objectionId', ParseIntPipe) objectionId: number,
    @FormBody(ResolveHonourObjectionDto) dto: ResolveHonourObjectionDto,
  ) {
    const view = await this.honours.get(actor, id);
    if (!view.objections.some((o) => o.id === objectionId)) throw DomainError.notFound('异议');
    await this.honours.resolve(actor, objectionId, dto);
    return {
      redirect: `/honours/${id}`,
      message: dto.decision === 'UPHOLD' ? '异议成立，这项荣誉不授予' : '已驳回异议',
    };
  }

  @Post(':id/file')
  @Allow(Permission.Honour.File)
  @InScope('campaign', 'params.id')
  @FormPage('honours/show', { context: showContext })
  async file(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @FormBody(FileCampaignDto) dto: FileCampaignDto,
  ) {
    const c = await this.honours.file(actor, id, dto.comment);
    return { redirect: '/honours', message: `已备案${c.villageName}的“${c.title}”` };
  }

  newPage() {
    return {
      title: '发起评选活动',
      categories: CATEGORY_OPTIONS,
      rows: [...Array(STAR_ROWS).keys()].map((i) => ({
        legend: `第 ${i + 1} 颗星`,
        name: `star${i}Name`,
        category: `star${i}Category`,
        minPoints: `star${i}MinPoints`,
        council: `star${i}Council`,
      })),
    };
  }

  async showPage(actor: Actor, id: number) {
    const campaign = campaignPage(await this.honours.get(actor, id), actor, this.honours.today());
    const running = can(actor, Permission.Honour.Run);
    const open = campaign.status === 'OPEN';
    const [households, ballots] = await Promise.all([
      running && open
        ? this.households.list({ villageId: campaign.villageId, page: 1, pageSize: 5000 })
        : { items: [] },
      can(actor, Permission.Council.Vote) ? this.honours.ballotsFor(actor) : [],
    ]);
    const mine = new Set(ballots.map((b) => b.id));
    return {
      title: campaign.title,
      campaign,
      canNominate: running && open,
      canPublish: running && open && campaign.nominations.length > 0,
      canObject: running && campaign.inWindow && campaign.nominations.some((n) => n.status === 'AWARDED'),
      canResolve: running && campaign.status === 'PUBLISHED',
      canFile: can(actor, Permission.Honour.File) && campaign.status === 'PUBLISHED',
      householdOptions: households.items
        .filter((h) => h.status === 'ACTIVE')
        .map((h) => ({ value: h.id, label: `${h.code} ${h.headName}` })),
      ballots: campaign.nominations.filter((n) => mine.has(n.id)),
      starOptions: campaign.stars.map((s) => ({ value: s.id, label: `${s.name}（${s.criteria}）` })),
      awardedOptions: campaign.nominations
        .filter((n) => n.status === 'AWARDED')
        .map((n) => ({ value: n.id, label: `${n.householdCode} ${n.headName} · ${n.starName}` })),
    };
  }
}

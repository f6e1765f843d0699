import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { can, Permission } from '../access/permissions.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor } from '../auth/decorators.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { submitForm } from '../common/forms.js';
import { parseForm } from '../common/validation.js';
import { KIND_LABELS } from '../passbook/passbook.service.js';
import {
  CommitmentDto,
  FulfilmentDto,
  PartyBaseDto,
  PartyLinkDto,
  PartyObjectionDto,
  PartyPublicationDto,
  PartyRecordDto,
  PartyRejectDto,
  PartyResolveDto,
  PartyRuleDto,
  PartySettingsDto,
  RegisterPartyMemberDto,
} from './dto/party.dto.js';
import { PARTY_CATEGORIES, PARTY_CATEGORY_LABELS } from './party-rule.entity.js';
import { PartyService } from './party.service.js';

const STATUS_LABELS: Record<string, string> = {
  PENDING: '待审核',
  APPROVED: '待公示',
  PUBLICIZING: '党内公示中',
  POSTED: '已入账',
  REJECTED: '已退回',
};

/**
 * 党员量化积分 pages: `/party` is the branch's page (members, rules, records to approve, 党内公示, rankings); a member's
 * page `/party/members/:id` shows the book, the year's commitments and the linked households. A member's own login
 * starts at `/party/me`.
 */
@ApiExcludeController()
@Controller('party')
export class PartyController {
  constructor(
    private readonly party: PartyService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Allow(Permission.Party.Read)
  async branch(@CurrentActor() actor: Actor, @Res() res: Response, @Query('period') period?: string) {
    res.render('party/branch', await this.branchContext(actor, period));
  }

  @Get('me')
  @Allow(Permission.Party.ReadOwn)
  async me(@CurrentActor() actor: Actor, @Res() res: Response) {
    const member = await this.party.memberOfUser(actor.id);
    if (!member) throw DomainError.notFound('党员');
    res.redirect(303, `/party/members/${member.id}`);
  }

  @Post('members')
  @Allow(Permission.Party.Manage)
  async register(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    await this.branchForm(res, actor, body, {}, async () => {
      const dto = await parseForm(RegisterPartyMemberDto, { memberId: body.memberId, pin: body.pin });
      const member = await this.party.register(actor, dto);
      return { redirect: '/party', message: `已登记党员 ${member.name}，登录名 ${member.username}` };
    });
  }

  @Post('rules')
  @Allow(Permission.Party.Manage)
  async createRule(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    await this.branchForm(res, actor, body, {}, async () => {
      const dto = await parseForm(PartyRuleDto, { ...body, villageId: this.villageOf(actor) });
      const rule = await this.party.createRule(actor, dto);
      return { redirect: '/party#rules', message: `已新增细则“${rule.title}”` };
    });
  }

  @Post('settings')
  @Allow(Permission.Party.Manage)
  async settings(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    await this.branchForm(res, actor, body, {}, async () => {
      const dto = await parseForm(PartySettingsDto, body);
      await this.party.setSettings(actor, this.villageOf(actor), dto);
      return { redirect: '/party#settings', message: '已保存基础分和星级门槛' };
    });
  }

  @Post('records')
  @Allow(Permission.Party.Record)
  async record(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    await this.branchForm(res, actor, body, {}, async () => {
      const dto = await parseForm(PartyRecordDto, body);
      await this.party.record(actor, dto);
      return { redirect: '/party#queue', message: '已登记，待另一位支部成员审核' };
    });
  }

  @Post('records/:id/approve')
  @Allow(Permission.Party.Record)
  @InScope('partyRecord', 'params.id')
  async approve(@CurrentActor() actor: Actor, @Res() res: Response, @Param('id', ParseIntPipe) id: number) {
    await this.branchForm(res, actor, {}, {}, async () => {
      await this.party.review(actor, id, { approve: true });
      return { redirect: '/party#queue', message: '已审核通过，待党内公示' };
    });
  }

  @Post('records/:id/reject')
  @Allow(Permission.Party.Record)
  @InScope('partyRecord', 'params.id')
  async reject(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const field = `reason${id}`;
    await this.branchForm(res, actor, body, { reason: field }, async () => {
      const dto = await parseForm(PartyRejectDto, { reason: body[field] });
      await this.party.review(actor, id, { approve: false, reason: dto.reason });
      return { redirect: '/party#queue', message: '已退回' };
    });
  }

  @Post('publications')
  @Allow(Permission.Party.Record)
  async publish(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    await this.branchForm(res, actor, body, {}, async () => {
      const dto = await parseForm(PartyPublicationDto, { villageId: this.villageOf(actor), days: body.days });
      const publication = await this.party.openPublication(actor, dto);
      return {
        redirect: '/party#publicity',
        message: `已公示 ${publication.recordIds.length} 条记录，到 ${publication.endsOn}`,
      };
    });
  }

  @Post('publications/:id/close')
  @Allow(Permission.Party.Record)
  @InScope('partyPublication', 'params.id')
  async close(@CurrentActor() actor: Actor, @Res() res: Response, @Param('id', ParseIntPipe) id: number) {
    await this.branchForm(res, actor, {}, {}, async () => {
      const closed = await this.party.closePublication(actor, id);
      return {
        redirect: '/party',
        message: `公示结束，${closed.postedRecordIds.length} 条记录已记入党员的积分账户`,
      };
    });
  }

  @Post('records/:id/objections')
  @Allow(Permission.Party.Object)
  @InScope('partyRecord', 'params.id')
  async object(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const field = `objection${id}`;
    await this.branchForm(res, actor, body, { reason: field }, async () => {
      const dto = await parseForm(PartyObjectionDto, { reason: body[field] });
      await this.party.object(actor, id, dto.reason);
      return { redirect: '/party#publicity', message: '异议已提交，支部答复前这条记录不会入账' };
    });
  }

  @Post('objections/:id/resolve')
  @Allow(Permission.Party.Record)
  @InScope('partyObjection', 'params.id')
  async resolve(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const field = `answer${id}`;
    await this.branchForm(res, actor, body, { reason: field, decision: field }, async () => {
      const dto = await parseForm(PartyResolveDto, { decision: body.decision, reason: body[field] });
      await this.party.resolve(actor, id, dto);
      return {
        redirect: '/party#publicity',
        message: dto.decision === 'UPHOLD' ? '异议成立，记录已撤回' : '已答复：异议不成立',
      };
    });
  }

  @Post('base')
  @Allow(Permission.Party.Record)
  async base(@CurrentActor() actor: Actor, @Res() res: Response, @Body() body: Record<string, string> = {}) {
    await this.branchForm(res, actor, body, {}, async () => {
      const dto = await parseForm(PartyBaseDto, { villageId: this.villageOf(actor), month: body.month });
      const done = await this.party.postMonthlyBase(actor, dto.villageId, dto.month);
      return {
        redirect: '/party',
        message: done.repeated
          ? `${dto.month} 的基础分已经记过，没有重复记`
          : `已为 ${done.partyMemberIds.length} 位党员记 ${dto.month} 基础分 ${done.points} 分`,
      };
    });
  }

  @Get('members/:id')
  @Allow(Permission.Party.Read)
  @InScope('partyMember', 'params.id')
  async member(@CurrentActor() actor: Actor, @Res() res: Response, @Param('id', ParseIntPipe) id: number) {
    res.render('party/member', await this.memberContext(actor, id));
  }

  @Post('members/:id/commitments')
  @Allow(Permission.Party.Manage)
  @InScope('partyMember', 'params.id')
  async commit(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    await submitForm(
      res,
      { view: 'party/member', context: () => this.memberContext(actor, id), values: body },
      async () => {
        const dto = await parseForm(CommitmentDto, { year: body.year, promise: body.promise });
        await this.party.addCommitment(actor, id, dto);
        return { redirect: `/party/members/${id}#commitments`, message: '已记下承诺' };
      },
    );
  }

  @Post('commitments/:id/fulfilment')
  @Allow(Permission.Party.Manage)
  @InScope('partyCommitment', 'params.id')
  async fulfil(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const field = `fulfilment${id}`;
    const commitment = await this.party.commitmentInScope(actor, id);
    await submitForm(
      res,
      {
        view: 'party/member',
        context: () => this.memberContext(actor, commitment.partyMemberId),
        values: body,
        fieldNames: { fulfilment: field },
      },
      async () => {
        const dto = await parseForm(FulfilmentDto, { fulfilment: body[field] });
        await this.party.fulfil(actor, id, dto.fulfilment);
        return {
          redirect: `/party/members/${commitment.partyMemberId}#commitments`,
          message: '已记录践诺情况',
        };
      },
    );
  }

  @Post('members/:id/links')
  @Allow(Permission.Party.Manage)
  @InScope('partyMember', 'params.id')
  async link(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    await submitForm(
      res,
      { view: 'party/member', context: () => this.memberContext(actor, id), values: body },
      async () => {
        const dto = await parseForm(PartyLinkDto, { householdCode: body.householdCode });
        await this.party.link(actor, id, dto);
        return { redirect: `/party/members/${id}#links`, message: `已添加联系户 ${dto.householdCode}` };
      },
    );
  }

  private villageOf(actor: Actor): number {
    if (!actor.villageId) throw DomainError.forbidden('党员积分按村党支部管理：请用本村的账号');
    return actor.villageId;
  }

  private branchForm(
    res: Response,
    actor: Actor,
    values: Record<string, string>,
    fieldNames: Record<string, string>,
    action: () => Promise<{ redirect: string; message: string }>,
  ) {
    return submitForm(
      res,
      { view: 'party/branch', context: () => this.branchContext(actor), values, fieldNames },
      action,
    );
  }

  private async branchContext(actor: Actor, chosenPeriod?: string) {
    const villageId = this.villageOf(actor);
    const today = this.clock.today();
    const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(chosenPeriod ?? '')
      ? (chosenPeriod as string)
      : today.slice(0, 7);
    const year = month.slice(0, 4);
    const canManage = can(actor, Permission.Party.Manage);
    const canRecord = can(actor, Permission.Party.Record);
    const [members, rules, records, publications, monthRanking, yearRanking, settings, unregistered] =
      await Promise.all([
        this.party.membersOf(villageId, Number(year)),
        this.party.rules(villageId),
        this.party.records(villageId, ['PENDING', 'APPROVED', 'PUBLICIZING']),
        this.party.publications(villageId),
        this.party.ranking(villageId, month),
        this.party.ranking(villageId, year),
        this.party.settingsOf(villageId),
        canManage ? this.party.unregistered(villageId) : Promise.resolve([]),
      ]);
    const openPublications = publications.filter((p) => p.status === 'OPEN');
    const row = (r: (typeof records)[number]) => ({
      ...r,
      statusLabel: STATUS_LABELS[r.status],
      mine: r.recordedBy === actor.id,
      openObjections: r.objections.filter((o) => o.status === 'OPEN'),
    });
    return {
      title: '党员量化积分',
      month,
      year,
      members: members.map((m) => ({ ...m, fiveStar: m.stars === 5, starText: '★'.repeat(m.stars) })),
      rules: rules.map((r) => ({ ...r, categoryLabel: PARTY_CATEGORY_LABELS[r.category] })),
      pending: records.filter((r) => r.status === 'PENDING').map(row),
      approved: records.filter((r) => r.status === 'APPROVED').map(row),
      publicizing: records.filter((r) => r.status === 'PUBLICIZING').map(row),
      openPublications: openPublications.map((p) => ({ ...p, ended: p.endsOn < today })),
      monthRanking,
      yearRanking: yearRanking.map((r) => ({ ...r, starText: '★'.repeat(r.stars) })),
      partySettings: settings,
      canManage,
      canRecord,
      canObject: can(actor, Permission.Party.Object),
      memberOptions: members.map((m) => ({ value: String(m.id), label: `${m.name}（${m.household}）` })),
      ruleOptions: rules.map((r) => ({
        value: String(r.id),
        label: `${PARTY_CATEGORY_LABELS[r.category]}：${r.title}（${r.minPoints === r.maxPoints ? r.points : `${r.minPoints}～${r.maxPoints}`} 分）`,
      })),
      categoryOptions: PARTY_CATEGORIES.map((c) => ({ value: c, label: PARTY_CATEGORY_LABELS[c] })),
      unregisteredOptions: unregistered.map((m) => ({
        value: String(m.id),
        label: `${m.name}（${m.householdCode} ${m.headName}家）`,
      })),
      today,
    };
  }

  private async memberContext(actor: Actor, id: number) {
    const { member } = await this.party.memberInScope(actor, id);
    const own = actor.kind === 'user' && actor.id === member.userId;
    const mayReadBook = own || can(actor, Permission.Party.Record);
    const [book, details] = await Promise.all([
      mayReadBook ? this.party.passbook(actor, id) : Promise.resolve(null),
      this.party.memberDetails(member),
    ]);
    return {
      title: `党员 ${member.name}`,
      member,
      own,
      household: details.household,
      book: book && {
        ...book.member,
        entries: book.entries.map((e) => ({ ...e, kindLabel: KIND_LABELS[e.kind] ?? e.kind })),
      },
      commitments: details.commitments,
      links: details.links,
      canManage: can(actor, Permission.Party.Manage),
      canReadBranch: can(actor, Permission.Party.Read),
      thisYear: this.clock.today().slice(0, 4),
    };
  }
}

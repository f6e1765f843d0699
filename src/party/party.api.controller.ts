import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor } from '../auth/decorators.js';
import { markRepeated } from '../common/idempotency.js';
import {
  CommitmentDto,
  FulfilmentDto,
  PartyBaseDto,
  PartyLinkDto,
  PartyObjectionDto,
  PartyPeriodQuery,
  PartyPublicationDto,
  PartyRecordDto,
  PartyRejectDto,
  PartyResolveDto,
  PartyRuleDto,
  PartySettingsDto,
  RegisterPartyMemberDto,
} from './dto/party.dto.js';
import { PartyService } from './party.service.js';

/** 党员量化积分: members' books on the ledger, the branch's rules and records, 党内公示, rankings, 承诺践诺, 联系农户. */
@ApiTags('party 党员量化积分')
@ApiBearerAuth()
@Controller('api/v1')
export class PartyApiController {
  constructor(private readonly party: PartyService) {}

  @Post('party-members')
  @Allow(Permission.Party.Manage)
  @ApiOperation({
    summary:
      '登记党员：标为党员的家庭成员得到自己的党员积分账户和登录名（户号-dy序号，如 ty-0001-dy1），密码为 PIN',
    description:
      '答复 {id, householdId, available, earned}；同一成员再登记 409 DUPLICATE；没有标为党员 400。',
  })
  register(@CurrentActor() actor: Actor, @Body() dto: RegisterPartyMemberDto) {
    return this.party.register(actor, dto);
  }

  @Get('party-members')
  @Allow(Permission.Party.Read)
  @InScope('village', 'query.villageId')
  @ApiOperation({ summary: '本支部的党员：可用与累计积分、今年的积分和星级' })
  async members(@Query() q: PartyPeriodQuery) {
    const items = await this.party.membersOf(q.villageId);
    return { items, total: items.length };
  }

  @Get('party-members/:id/passbook')
  @Allow(Permission.Party.ReadOwn, Permission.Party.Record)
  @InScope('partyMember', 'params.id')
  @ApiOperation({ summary: '党员积分存折：党员本人，或本村党支部', description: '与农户的存折同样的明细。' })
  passbook(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.party.passbook(actor, id);
  }

  @Post('party-members/:id/commitments')
  @Allow(Permission.Party.Manage)
  @InScope('partyMember', 'params.id')
  @ApiOperation({ summary: '承诺：党员当年的承诺' })
  commit(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: CommitmentDto) {
    return this.party.addCommitment(actor, id, dto);
  }

  @Post('party-commitments/:id/fulfilment')
  @HttpCode(200)
  @Allow(Permission.Party.Manage)
  @InScope('partyCommitment', 'params.id')
  @ApiOperation({ summary: '践诺：支部记录承诺的落实情况' })
  fulfil(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: FulfilmentDto) {
    return this.party.fulfil(actor, id, dto.fulfilment);
  }

  @Post('party-members/:id/links')
  @Allow(Permission.Party.Manage)
  @InScope('partyMember', 'params.id')
  @ApiOperation({ summary: '党员联系农户：按户号添加一户联系户' })
  link(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: PartyLinkDto) {
    return this.party.link(actor, id, dto);
  }

  @Get('party-rules')
  @Allow(Permission.Party.Read)
  @InScope('village', 'query.villageId')
  @ApiOperation({ summary: '本支部的党员积分细则（组织生活、履行义务、服务群众、发挥作用）' })
  async rules(@Query() q: PartyPeriodQuery) {
    const items = await this.party.rules(q.villageId);
    return { items, total: items.length };
  }

  @Post('party-rules')
  @Allow(Permission.Party.Manage)
  @InScope('village', 'body.villageId')
  @ApiOperation({ summary: '新增一条党员积分细则' })
  createRule(@CurrentActor() actor: Actor, @Body() dto: PartyRuleDto) {
    return this.party.createRule(actor, dto);
  }

  @Put('villages/:id/party-settings')
  @Allow(Permission.Party.Manage)
  @InScope('village', 'params.id')
  @ApiOperation({ summary: '每月基础分（可不设）和一至五星的年度积分门槛' })
  setSettings(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: PartySettingsDto,
  ) {
    return this.party.setSettings(actor, id, dto);
  }

  @Post('party-records')
  @Allow(Permission.Party.Record)
  @ApiOperation({
    summary: '登记党员积分（待审核）',
    description: '须由另一位支部成员审核；不能为本户党员登记。分值不填按细则分值。',
  })
  record(@CurrentActor() actor: Actor, @Body() dto: PartyRecordDto) {
    return this.party.record(actor, dto);
  }

  @Get('party-records')
  @Allow(Permission.Party.Read)
  @InScope('village', 'query.villageId')
  @ApiOperation({ summary: '本支部待审核、待公示和公示中的党员积分记录' })
  async records(@Query() q: PartyPeriodQuery) {
    const items = await this.party.records(q.villageId, ['PENDING', 'APPROVED', 'PUBLICIZING']);
    return { items, total: items.length };
  }

  @Post('party-records/:id/approve')
  @HttpCode(200)
  @Allow(Permission.Party.Record)
  @InScope('partyRecord', 'params.id')
  @ApiOperation({
    summary: '审核通过（须是登记人以外的支部成员）',
    description: '登记人自己审核 409 SAME_PERSON。',
  })
  async approve(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { record, repeated } = await this.party.review(actor, id, { approve: true });
    markRepeated(res, repeated);
    return record;
  }

  @Post('party-records/:id/reject')
  @HttpCode(200)
  @Allow(Permission.Party.Record)
  @InScope('partyRecord', 'params.id')
  @ApiOperation({ summary: '退回一条待审核的记录（填写理由）' })
  async reject(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: PartyRejectDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { record, repeated } = await this.party.review(actor, id, { approve: false, reason: dto.reason });
    markRepeated(res, repeated);
    return record;
  }

  @Post('party-records/:id/objections')
  @Allow(Permission.Party.Object)
  @InScope('partyRecord', 'params.id')
  @ApiOperation({
    summary: '党内公示期间，党员对一条记录提出异议',
    description: '公示期外 409 INVALID_STATE。',
  })
  object(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: PartyObjectionDto,
  ) {
    return this.party.object(actor, id, dto.reason);
  }

  @Post('party-objections/:id/resolve')
  @HttpCode(200)
  @Allow(Permission.Party.Record)
  @InScope('partyObjection', 'params.id')
  @ApiOperation({ summary: '答复异议：成立则撤回记录（不入账），不成立则照常入账' })
  resolve(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: PartyResolveDto) {
    return this.party.resolve(actor, id, dto);
  }

  @Post('party-publications')
  @Allow(Permission.Party.Record)
  @InScope('village', 'body.villageId')
  @ApiOperation({ summary: '党内公示：本支部审核通过的记录公示 days 天' })
  publish(@CurrentActor() actor: Actor, @Body() dto: PartyPublicationDto) {
    return this.party.openPublication(actor, dto);
  }

  @Post('party-publications/:id/close')
  @HttpCode(200)
  @Allow(Permission.Party.Record)
  @InScope('partyPublication', 'params.id')
  @ApiOperation({
    summary: '公示结束后入账：每条记录记入党员本人的积分账户',
    description: '公示未结束 409 PUBLICATION_OPEN；有未答复的异议 409 INVALID_STATE；再结束一次 409。',
  })
  close(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.party.closePublication(actor, id);
  }

  @Post('party-base')
  @Allow(Permission.Party.Record)
  @InScope('village', 'body.villageId')
  @ApiOperation({ summary: '每月基础分：为本支部每位党员记当月的基础分（已记过的不再记）' })
  async base(
    @CurrentActor() actor: Actor,
    @Body() dto: PartyBaseDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.party.postMonthlyBase(actor, dto.villageId, dto.month);
    markRepeated(res, result.repeated);
    return result;
  }

  @Get('party-rankings')
  @Allow(Permission.Party.Read)
  @InScope('village', 'query.villageId')
  @ApiOperation({ summary: '党员积分排名：月（YYYY-MM）或年（YYYY），附今年的星级（五星党员）' })
  async ranking(@Query() q: PartyPeriodQuery) {
    const rows = await this.party.ranking(q.villageId, q.period);
    return { period: q.period ?? null, rows };
  }
}

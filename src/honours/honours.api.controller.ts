import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor } from '../auth/decorators.js';
import {
  CreateCampaignDto,
  FileCampaignDto,
  HonourObjectionDto,
  HonourVoteDto,
  NominateDto,
  PublishCampaignDto,
  ResolveHonourObjectionDto,
} from './dto/honour.dto.js';
import { HonoursService } from './honours.service.js';

/** 评选活动: a campaign's life, open (nominations, the council's votes) → published (公示, objections) → filed. */
@ApiTags('honours 评选活动')
@ApiBearerAuth()
@Controller('api/v1')
export class HonoursApiController {
  constructor(private readonly honours: HonoursService) {}

  @Post('honour-campaigns')
  @Allow(Permission.Honour.Run)
  @ApiOperation({
    summary: '村两委发起一年的评选活动，设若干颗星及各自的评选条件',
    description:
      '每颗星：category 与 minPoints（本年该类细则已入账积分至少多少）一起填，和/或 needsCouncil（评议会表决）。',
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateCampaignDto) {
    return this.honours.create(actor, dto);
  }

  @Get('honour-campaigns/:id')
  @Allow(Permission.Honour.Read, Permission.Honour.TakePart)
  @InScope('campaign', 'params.id')
  @ApiOperation({ summary: '评选活动：星、提名、评议会票数、结果与异议' })
  get(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.honours.get(actor, id);
  }

  @Get('villages/:id/honour-campaigns')
  @Allow(Permission.Honour.Read, Permission.Honour.TakePart)
  @InScope('village', 'params.id')
  @ApiOperation({ summary: '本村的评选活动，新的在前' })
  async list(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const items = await this.honours.ofVillage(actor, id);
    return { items, total: items.length };
  }

  @Post('honour-campaigns/:id/nominations')
  @Allow(Permission.Honour.Run, Permission.Honour.TakePart)
  @InScope('campaign', 'params.id')
  @ApiOperation({
    summary: '提名：村两委提名一户，或农户自荐（householdId 为本户）',
    description:
      '同一户同一颗星只提名一次（409 DUPLICATE）；列入本年黑榜的农户不能参评（409 INVALID_STATE）。',
  })
  nominate(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: NominateDto) {
    return this.honours.nominate(actor, id, dto);
  }

  @Post('honour-campaigns/:id/votes')
  @Allow(Permission.Council.Vote)
  @InScope('campaign', 'params.id')
  @ApiOperation({
    summary: '评议会成员对需要表决的提名投票，每人一次',
    description: '第二次投票：409 DUPLICATE；被提名户的家人不能投票。达到法定人数后按多数决定（result）。',
  })
  vote(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: HonourVoteDto) {
    return this.honours.vote(actor, id, dto);
  }

  @Post('honour-campaigns/:id/publish')
  @Allow(Permission.Honour.Run)
  @InScope('campaign', 'params.id')
  @HttpCode(200)
  @ApiOperation({
    summary: '公示评选结果：按每颗星的条件决定评上与否，公示期内可提异议',
    description: '评议会还没有表决出结果的提名：409 INVALID_STATE。',
  })
  publish(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: PublishCampaignDto,
  ) {
    return this.honours.publish(actor, id, dto.days);
  }

  @Post('honour-campaigns/:id/objections')
  @Allow(Permission.Honour.Run, Permission.Honour.TakePart)
  @InScope('campaign', 'params.id')
  @ApiOperation({ summary: '公示期内对一个评上的结果提出异议（村民，或村两委代为登记）' })
  object(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: HonourObjectionDto,
  ) {
    return this.honours.object(actor, id, dto);
  }

  @Post('honour-objections/:id/resolve')
  @Allow(Permission.Honour.Run)
  @InScope('honourObjection', 'params.id')
  @HttpCode(200)
  @ApiOperation({ summary: '村两委答复评选异议：UPHOLD 异议成立（不授予），DISMISS 驳回' })
  resolve(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: ResolveHonourObjectionDto,
  ) {
    return this.honours.resolve(actor, id, dto);
  }

  @Post('honour-campaigns/:id/file')
  @Allow(Permission.Honour.File)
  @InScope('campaign', 'params.id')
  @HttpCode(200)
  @ApiOperation({
    summary: '乡镇备案评选结果（公示期满、异议都已答复）；备案后荣誉在公示栏、存折和门牌上显示',
  })
  file(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: FileCampaignDto) {
    return this.honours.file(actor, id, dto.comment);
  }
}

import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { MarkNoticesReadDto } from './dto/notices.dto.js';
import { VillagerService } from './villager.service.js';

/** The household's own loop for mini-programs (issue 10): the same service as the `/villager` page. */
@ApiTags('me 我家')
@ApiBearerAuth()
@Controller('api/v1/me')
export class MeApiController {
  constructor(private readonly villager: VillagerService) {}

  @Get()
  @Allow(Permission.Notice.ReadOwn)
  @ApiOperation({
    summary: '我家：余额、本月得分与排名（本月没有得分时 monthRank 为 null）、星级、未读通知数',
  })
  async me(@CurrentActor() actor: Actor) {
    const me = await this.villager.me(actor);
    return {
      household: me.household,
      monthPoints: me.monthPoints,
      monthRank: me.monthRank,
      stars: me.stars,
      unreadNotices: me.unreadNotices,
    };
  }

  @Get('records')
  @Allow(Permission.Notice.ReadOwn)
  @ApiOperation({ summary: '关于我家的每一条积分记录（自己申报的和村里记录的），最新的在前' })
  async records(@CurrentActor() actor: Actor) {
    return { items: await this.villager.records(actor) };
  }

  @Get('objections')
  @Allow(Permission.Notice.ReadOwn)
  @ApiOperation({ summary: '我家提出的异议，及处理结果和理由' })
  async objections(@CurrentActor() actor: Actor) {
    const items = await this.villager.objections(actor);
    return {
      items: items.map(({ id, recordId, reason, status, decision, decisionReason }) => ({
        id,
        recordId,
        reason,
        status,
        ...(decision ? { decision, decisionReason } : {}),
      })),
    };
  }

  @Get('notices')
  @Allow(Permission.Notice.ReadOwn)
  @ApiOperation({ summary: '我家的通知，最新的在前，及未读数' })
  async notices(@CurrentActor() actor: Actor) {
    const { items, unread } = await this.villager.noticeList(actor);
    return {
      items: items.map(({ id, kind, text, createdAt, readAt }) => ({ id, kind, text, createdAt, readAt })),
      unread,
    };
  }

  @Post('notices/read')
  @HttpCode(200)
  @Allow(Permission.Notice.ReadOwn)
  @ApiOperation({ summary: '标记通知已读，回答剩余未读数' })
  async read(@CurrentActor() actor: Actor, @Body() dto: MarkNoticesReadDto) {
    return { unread: await this.villager.markRead(actor, dto.ids) };
  }
}

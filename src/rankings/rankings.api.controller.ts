import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor, Public } from '../auth/decorators.js';
import { todayInChina } from '../common/dates.js';
import {
  CloseListEntryDto,
  ConfirmListEntryDto,
  PeriodQueryDto,
  PublishListsDto,
  RankingSettingsDto,
  ReturnSnapshotDto,
  SubmitSnapshotDto,
  YearQueryDto,
} from './dto/rankings.dto.js';
import { ListsService } from './lists.service.js';
import { periodOrRefuse, RankingsService, snapshotView } from './rankings.service.js';
import { StarsService } from './stars.service.js';

@ApiTags('rankings 排名、红黑榜、星级')
@ApiBearerAuth()
@Controller('api/v1')
export class RankingsApiController {
  constructor(
    private readonly rankings: RankingsService,
    private readonly lists: ListsService,
    private readonly stars: StarsService,
  ) {}

  /** The live ranking: every household of the village (or a group), competition ranks, change since last period. */
  @Get('villages/:id/ranking')
  @Public()
  async ranking(@Param('id', ParseIntPipe) id: number, @Query() query: PeriodQueryDto) {
    const ranking = await this.rankings.ranking(id, periodOrRefuse(query.period), query.groupId);
    return {
      period: ranking.period.key,
      label: ranking.period.label,
      villageId: id,
      groupId: ranking.groupId,
      rows: ranking.rows,
    };
  }

  @Post('villages/:id/ranking-snapshots')
  @Allow(Permission.Ranking.Submit)
  @InScope('village', 'params.id')
  async submit(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: SubmitSnapshotDto,
  ) {
    return snapshotView(await this.rankings.submit(actor, id, periodOrRefuse(dto.period)));
  }

  @Get('villages/:id/ranking-snapshots')
  @Allow(Permission.Ranking.ReadSnapshots)
  @InScope('village', 'params.id')
  async snapshots(@Param('id', ParseIntPipe) id: number) {
    return { items: (await this.rankings.snapshots(id)).map(snapshotView) };
  }

  @Post('ranking-snapshots/:id/approve')
  @HttpCode(200)
  @Allow(Permission.Ranking.Review)
  @InScope('snapshot', 'params.id')
  async approve(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return snapshotView(await this.rankings.review(actor, id, 'APPROVED'));
  }

  @Post('ranking-snapshots/:id/return')
  @HttpCode(200)
  @Allow(Permission.Ranking.Review)
  @InScope('snapshot', 'params.id')
  async return(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: ReturnSnapshotDto,
  ) {
    return snapshotView(await this.rankings.review(actor, id, 'RETURNED', dto.comment));
  }

  /** 红黑榜 as published (the black list named or by group only, as the village chose). */
  @Get('villages/:id/lists')
  @Public()
  async published(@Param('id', ParseIntPipe) id: number, @Query() query: PeriodQueryDto) {
    const period = periodOrRefuse(query.period);
    return { period: period.key, ...(await this.lists.published(id, period)) };
  }

  @Get('villages/:id/list-candidates')
  @Allow(Permission.List.Read)
  @InScope('village', 'params.id')
  async candidates(@Param('id', ParseIntPipe) id: number, @Query() query: PeriodQueryDto) {
    const period = periodOrRefuse(query.period);
    return { period: period.key, ...(await this.lists.candidates(id, period)) };
  }

  @Post('villages/:id/list-entries')
  @Allow(Permission.List.Confirm)
  @InScope('village', 'params.id')
  async confirm(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: ConfirmListEntryDto,
  ) {
    return this.lists.confirm(actor, id, { ...dto, period: periodOrRefuse(dto.period) });
  }

  @Post('villages/:id/lists/publish')
  @HttpCode(200)
  @Allow(Permission.List.Confirm)
  @InScope('village', 'params.id')
  async publish(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: PublishListsDto,
  ) {
    return { published: await this.lists.publish(actor, id, periodOrRefuse(dto.period)) };
  }

  @Post('list-entries/:id/lift')
  @HttpCode(200)
  @Allow(Permission.List.Lift)
  @InScope('listEntry', 'params.id')
  async lift(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: CloseListEntryDto,
  ) {
    return this.lists.lift(actor, id, dto.note);
  }

  @Post('list-entries/:id/withdraw')
  @HttpCode(200)
  @Allow(Permission.List.Withdraw)
  @InScope('listEntry', 'params.id')
  async withdraw(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: CloseListEntryDto,
  ) {
    return this.lists.withdraw(actor, id, dto.note);
  }

  @Get('villages/:id/stars')
  @Public()
  async starsOfYear(@Param('id', ParseIntPipe) id: number, @Query() query: YearQueryDto) {
    return this.stars.stars(id, query.year ?? Number(todayInChina().slice(0, 4)));
  }

  @Put('villages/:id/ranking-settings')
  @Allow(Permission.Ranking.Configure)
  @InScope('village', 'params.id')
  async settings(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: RankingSettingsDto,
  ) {
    const v = await this.stars.updateSettings(actor, id, dto);
    return {
      villageId: v.villageId,
      starThresholds: v.starThresholds,
      blackListMode: v.blackListMode,
      redListSize: v.redListSize,
    };
  }
}

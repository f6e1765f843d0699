import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { answerCreated } from '../common/idempotency.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { PageQuery } from '../common/pagination.js';
import {
  ApproveDto,
  BatchScoreRecordDto,
  CorrectDto,
  CreateScoreRecordDto,
  DeclarationDto,
  RecordListQuery,
  RejectDto,
  ReviewManyDto,
} from './dto/score-record.dto.js';
import { recordView, ScoringService } from './scoring.service.js';

@ApiTags('scoring 登记与审核')
@ApiBearerAuth()
@Controller('api/v1')
export class ScoringApiController {
  constructor(private readonly scoring: ScoringService) {}

  /** 201 with a new record; 200 with the same record when the idempotency key was used before. */
  @Post('score-records')
  @Allow(Permission.ScoreRecord.Record)
  @InScope('household', 'body.householdId')
  async record(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateScoreRecordDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { record, created } = await this.scoring.record(actor, dto);
    answerCreated(res, created);
    return recordView(record);
  }

  @Post('score-records/batch')
  @Allow(Permission.ScoreRecord.Record)
  async batch(@CurrentActor() actor: Actor, @Body() dto: BatchScoreRecordDto) {
    return { items: (await this.scoring.batch(actor, dto)).map(recordView) };
  }

  @Get('score-records')
  @Allow(Permission.ScoreRecord.Read)
  @InScope('village', 'query.villageId')
  async list(@Query() page: PageQuery, @Query() filter: RecordListQuery) {
    const { items, total } = await this.scoring.list({ ...filter, page: page.page, pageSize: page.pageSize });
    return { items: items.map(recordView), total };
  }

  @Get('score-records/:id')
  @Allow(Permission.ScoreRecord.Read)
  async get(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return recordView(await this.scoring.get(actor, id));
  }

  @Post('score-records/:id/approve')
  @HttpCode(200)
  @Allow(Permission.ScoreRecord.Approve)
  @InScope('record', 'params.id')
  async approve(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: ApproveDto,
  ) {
    return recordView(await this.scoring.approve(actor, id, dto.points));
  }

  @Post('score-records/:id/reject')
  @HttpCode(200)
  @Allow(Permission.ScoreRecord.Approve)
  @InScope('record', 'params.id')
  async reject(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: RejectDto) {
    return recordView(await this.scoring.reject(actor, id, dto.reason));
  }

  @Post('score-records/review')
  @HttpCode(200)
  @Allow(Permission.ScoreRecord.Approve)
  async reviewMany(@CurrentActor() actor: Actor, @Body() dto: ReviewManyDto) {
    return { items: (await this.scoring.reviewMany(actor, dto)).map(recordView) };
  }

  @Post('score-records/:id/correct')
  @HttpCode(200)
  @Allow(Permission.ScoreRecord.Correct)
  @InScope('record', 'params.id')
  async correct(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: CorrectDto,
  ) {
    return recordView(await this.scoring.correct(actor, id, dto.points, dto.reason));
  }

  /** 申报: a villager declares the household's own good deed. */
  @Post('declarations')
  @Allow(Permission.ScoreRecord.Declare)
  async declare(@CurrentActor() actor: Actor, @Body() dto: DeclarationDto) {
    return recordView(await this.scoring.declare(actor, dto));
  }
}

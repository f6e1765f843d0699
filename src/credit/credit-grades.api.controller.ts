import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor } from '../auth/decorators.js';
import { answerCreated, markRepeated } from '../common/idempotency.js';
import {
  AnswerGradeObjectionDto,
  CreditGradeRulesDto,
  CreditYearDto,
  FileGradesDto,
  GradeObjectionDto,
  PublicizeGradesDto,
  ReturnGradesDto,
} from './dto/credit-grade.dto.js';
import { CreditGradesService, yearOrRefuse } from './credit-grades.service.js';

/**
 * 信用户评定: the village's rules (thresholds) → the year's grades computed → 公示 with objections → submitted → filed
 * (final) or returned by the township. A step sent again answers as the first did, with the replay header.
 */
@ApiTags('credit 信用户评定')
@ApiBearerAuth()
@Controller('api/v1/villages/:id')
export class CreditGradesApiController {
  constructor(private readonly credit: CreditGradesService) {}

  @Get('credit-grade-rules')
  @Allow(Permission.CreditGrade.Read)
  @InScope('village', 'params.id')
  @ApiOperation({ summary: '本村的信用等级标准（voted 为 false 时是建议的标准，还未表决设定）' })
  rules(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.credit.rules(actor, id);
  }

  @Put('credit-grade-rules')
  @Allow(Permission.CreditGrade.Configure)
  @InScope('village', 'params.id')
  @ApiOperation({
    summary: '村两委按村民代表会议的表决设定信用等级标准',
    description:
      '等级从高到低，每级有本年累计获得积分和星级的门槛，门槛逐级不升，最低一级门槛为 0；blackListGrade：本年上过黑榜的农户最高评到哪一级（默认最低一级）。',
  })
  async setRules(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: CreditGradeRulesDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { result, repeated } = await this.credit.setRules(actor, id, dto);
    markRepeated(res, repeated);
    return result;
  }

  @Get('credit-grades')
  @Allow(Permission.CreditGrade.Read)
  @InScope('village', 'params.id')
  @ApiQuery({ name: 'year', example: 2026, description: '哪一年（四位数）' })
  @ApiOperation({
    summary: '本村某年的信用等级：每户的等级（rows[].householdId, rows[].grade）、状态、信用村评定',
    description: '还没有评定时 status 为 null、rows 为空；year 缺少或写得不对：400。',
  })
  async grades(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Query('year') year?: string,
  ) {
    return this.credit.grades(actor, id, yearOrRefuse(year));
  }

  @Post('credit-grades/compute')
  @Allow(Permission.CreditGrade.Configure)
  @InScope('village', 'params.id')
  @HttpCode(200)
  @ApiOperation({
    summary: '评定（或重新评定）本年每户的信用等级',
    description: '按本村的标准、本年累计获得积分、星级和黑榜；公示中、已报备案或已备案时 409 INVALID_STATE。',
  })
  async compute(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: CreditYearDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { result, repeated } = await this.credit.compute(actor, id, dto.year);
    markRepeated(res, repeated);
    return result;
  }

  @Post('credit-grades/publicize')
  @Allow(Permission.CreditGrade.Configure)
  @InScope('village', 'params.id')
  @HttpCode(200)
  @ApiOperation({ summary: '公示本年的信用等级，公示期内农户可提出异议' })
  async publicize(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: PublicizeGradesDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { result, repeated } = await this.credit.publicize(actor, id, dto.year, dto.days);
    markRepeated(res, repeated);
    return result;
  }

  @Post('credit-grades/objections')
  @Allow(Permission.CreditGrade.Object, Permission.CreditGrade.Configure)
  @InScope('village', 'params.id')
  @ApiOperation({
    summary: '公示期内对一户的信用等级提出异议（农户为本户，或村两委代为登记）',
    description: '这户已有一条等待答复的异议时，答复那一条（200，重复提交）。',
  })
  async object(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: GradeObjectionDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { result, repeated } = await this.credit.object(actor, id, dto);
    answerCreated(res, !repeated);
    return result;
  }

  @Post('credit-grades/objections/:objectionId/answer')
  @Allow(Permission.CreditGrade.Configure)
  @InScope('village', 'params.id')
  @HttpCode(200)
  @ApiOperation({
    summary:
      '村两委答复信用等级异议：UPHOLD 异议成立（调整到 grade，或按现有积分重新评定这一户），DISMISS 驳回',
  })
  async answer(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Param('objectionId', ParseIntPipe) objectionId: number,
    @Body() dto: AnswerGradeObjectionDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { result, repeated } = await this.credit.answer(actor, id, objectionId, dto);
    markRepeated(res, repeated);
    return result;
  }

  @Post('credit-grades/submit')
  @Allow(Permission.CreditGrade.Configure)
  @InScope('village', 'params.id')
  @HttpCode(200)
  @ApiOperation({ summary: '公示期满、异议都已答复后，报乡镇备案' })
  async submit(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: CreditYearDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { result, repeated } = await this.credit.submit(actor, id, dto.year);
    markRepeated(res, repeated);
    return result;
  }

  @Post('credit-grades/file')
  @Allow(Permission.CreditGrade.File)
  @InScope('village', 'params.id')
  @HttpCode(200)
  @ApiOperation({ summary: '乡镇备案村里报来的信用等级；备案后不能再重新评定' })
  async file(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: FileGradesDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { result, repeated } = await this.credit.decide(actor, id, dto.year, 'file', dto.comment);
    markRepeated(res, repeated);
    return result;
  }

  @Post('credit-grades/return')
  @Allow(Permission.CreditGrade.File)
  @InScope('village', 'params.id')
  @HttpCode(200)
  @ApiOperation({ summary: '乡镇退回村里报来的信用等级，写明理由；村里可重新评定或再公示' })
  async giveBack(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: ReturnGradesDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { result, repeated } = await this.credit.decide(actor, id, dto.year, 'return', dto.comment);
    markRepeated(res, repeated);
    return result;
  }
}

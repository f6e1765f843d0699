import { Body, Controller, Delete, Get, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor } from '../auth/decorators.js';
import { Clock } from '../common/clock.js';
import { markRepeated } from '../common/idempotency.js';
import { currentPeriod } from '../common/periods.js';
import { periodOrRefuse } from '../rankings/rankings.service.js';
import { BankLookupsService } from './bank-lookups.service.js';
import { ConsentCodesService } from './consent-codes.service.js';
import { LoanOutcomeDto } from './dto/bank.dto.js';

/**
 * 银行授权查询 (issue 22, point 3): a household's consent codes, the loan officer's look-up and outcome with one, and
 * the township's counts of outcomes.
 */
@ApiTags('bank 银行授权查询')
@ApiBearerAuth()
@Controller('api/v1')
export class BankApiController {
  constructor(
    private readonly consents: ConsentCodesService,
    private readonly lookups: BankLookupsService,
    private readonly clock: Clock,
  ) {}

  @Post('me/consents')
  @Allow(Permission.Consent.ManageOwn)
  @ApiOperation({
    summary: '农户生成一个授权码（6 位数字，30 天内有效）：凭它银行信贷员可以查看本户的信用等级和积分',
    description: '授权码只在这次回答里出现一次。每户最多同时有 5 个有效的授权码，超过 409 CAP_REACHED。',
  })
  async create(@CurrentActor() actor: Actor) {
    const { code, expiresOn } = await this.consents.create(actor, actor.id);
    return { code, expiresOn };
  }

  @Delete('me/consents/:code')
  @Allow(Permission.Consent.ManageOwn)
  @ApiOperation({ summary: '农户撤销自己的一个授权码：之后凭它查询一律 403' })
  async revoke(@CurrentActor() actor: Actor, @Param('code') code: string) {
    const consent = await this.consents.revoke(actor, actor.id, { code });
    return { lastDigits: consent.lastDigits, expiresOn: consent.expiresOn, status: consent.status };
  }

  @Post('households/:id/consents')
  @Allow(Permission.Consent.ManageOnBehalf)
  @InScope('household', 'params.id')
  @ApiOperation({ summary: '村两委应农户要求为其生成授权码（农户本人不会用手机时）' })
  async createOnBehalf(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const { code, expiresOn } = await this.consents.create(actor, id);
    return { code, expiresOn };
  }

  @Delete('households/:id/consents/:code')
  @Allow(Permission.Consent.ManageOnBehalf)
  @InScope('household', 'params.id')
  @ApiOperation({ summary: '村两委应农户要求撤销它的一个授权码' })
  async revokeOnBehalf(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Param('code') code: string,
  ) {
    const consent = await this.consents.revoke(actor, id, { code });
    return { lastDigits: consent.lastDigits, expiresOn: consent.expiresOn, status: consent.status };
  }

  @Get('bank/households')
  @Allow(Permission.Bank.Lookup)
  @ApiQuery({ name: 'consentCode', required: true, example: '402718' })
  @ApiOperation({
    summary: '银行信贷员凭农户的授权码查看这户：户主、村、信用等级、累计和本年积分、星级、最新的有效积分证明',
    description:
      '没有授权码、授权码不对、已过期、已撤销，或农户不在本乡镇：403，什么都不记。每次查到都记入操作日志，农户能看到。' +
      '同一信贷员 10 分钟内输错 5 次后暂停查询（429 RATE_LIMITED）。',
  })
  lookup(@CurrentActor() actor: Actor, @Query('consentCode') consentCode?: string) {
    return this.lookups.lookup(actor, consentCode);
  }

  @Post('bank/outcomes')
  @Allow(Permission.Bank.RecordOutcome)
  @ApiOperation({
    summary: '银行信贷员凭授权码记录贷款结果：已放贷或未放贷，金额档',
    description:
      '每个授权码只记一次：同样的结果再提交一次回答 200 并带 Idempotent-Replayed，不再记；不同的结果 409 DUPLICATE。',
  })
  async outcome(
    @CurrentActor() actor: Actor,
    @Body() dto: LoanOutcomeDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { outcome, repeated } = await this.lookups.recordOutcome(actor, dto);
    res.status(repeated ? 200 : 201);
    markRepeated(res, repeated);
    return outcome;
  }

  @Get('townships/:id/loan-outcomes')
  @Allow(Permission.Bank.ReadOutcomes)
  @InScope('township', 'params.id')
  @ApiQuery({ name: 'period', required: false, example: '2026', description: '月、季度或年；不填为今年' })
  @ApiOperation({
    summary: '乡镇看各村的积分贷结果：每村按放贷与否和金额档的笔数，不列农户',
  })
  outcomes(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Query('period') period?: string,
  ) {
    const p = period ? periodOrRefuse(period) : currentPeriod('year', this.clock.today());
    return this.lookups.outcomesOf(actor, id, p);
  }
}

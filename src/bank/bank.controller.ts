import { Body, Controller, Get, Param, ParseIntPipe, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor } from '../auth/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { renderRefusal, submitForm } from '../common/forms.js';
import { parseForm } from '../common/validation.js';
import { HouseholdsService } from '../households/households.service.js';
import { BankLookupsService } from './bank-lookups.service.js';
import { BAND_OPTIONS, bankHousehold, consentLines, OUTCOME_OPTIONS } from './bank.presenter.js';
import { ConsentCodesService } from './consent-codes.service.js';
import { LoanOutcomeDto } from './dto/bank.dto.js';

/**
 * `/bank`: the loan officer types the household's code, sees the household, records the outcome. And the committee's
 * page of a household's codes (`/households/:id/consents`), for a household without a phone.
 */
@ApiExcludeController()
@Controller()
export class BankController {
  constructor(
    private readonly lookups: BankLookupsService,
    private readonly consents: ConsentCodesService,
    private readonly households: HouseholdsService,
  ) {}

  @Get('bank')
  @Allow(Permission.Bank.Lookup)
  page(@Res() res: Response) {
    res.render('bank/index', this.bankContext());
  }

  /** A POST, so that the code stays out of addresses, history and logs; the household is shown in the answer. */
  @Post('bank/lookup')
  @Allow(Permission.Bank.Lookup)
  async lookup(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    try {
      const view = await this.lookups.lookup(actor, body.consentCode);
      res.status(200).render('bank/index', {
        ...this.bankContext(),
        found: bankHousehold(view),
        values: { consentCode: String(body.consentCode ?? '').trim() },
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      await renderRefusal(
        res,
        { view: 'bank/index', context: () => this.bankContext(), values: body },
        error,
      );
    }
  }

  @Post('bank/outcomes')
  @Allow(Permission.Bank.RecordOutcome)
  async outcome(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    const form = {
      view: 'bank/index',
      context: () => this.bankContext(),
      values: body,
      fieldNames: { consentCode: 'outcomeCode' },
    };
    await submitForm(res, form, async () => {
      const dto = await parseForm(LoanOutcomeDto, {
        consentCode: body.outcomeCode,
        outcome: body.outcome,
        band: body.band,
      });
      const { outcome, repeated } = await this.lookups.recordOutcome(actor, dto);
      const said = `${outcome.outcome === 'GRANTED' ? '已放贷' : '未放贷'}（${outcome.band}）`;
      return {
        redirect: '/bank',
        message: repeated ? `这个授权码的贷款结果早已记下：${said}` : `已记录贷款结果：${said}`,
      };
    });
  }

  @Get('households/:id/consents')
  @Allow(Permission.Consent.ManageOnBehalf)
  @InScope('household', 'params.id')
  async consentsPage(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
  ) {
    res.render('bank/consents', await this.consentsContext(actor, id));
  }

  @Post('households/:id/consents')
  @Allow(Permission.Consent.ManageOnBehalf)
  @InScope('household', 'params.id')
  async create(@CurrentActor() actor: Actor, @Res() res: Response, @Param('id', ParseIntPipe) id: number) {
    const form = { view: 'bank/consents', context: () => this.consentsContext(actor, id), values: {} };
    await submitForm(res, form, async () => {
      const { code, expiresOn } = await this.consents.create(actor, id);
      return {
        redirect: `/households/${id}/consents`,
        message: `授权码 ${code}，到 ${expiresOn} 前有效。请抄给户主，只告诉要申请贷款的银行信贷员；这个号码只显示这一次。`,
      };
    });
  }

  @Post('households/:id/consents/:consentId/revoke')
  @Allow(Permission.Consent.ManageOnBehalf)
  @InScope('household', 'params.id')
  async revoke(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Param('consentId', ParseIntPipe) consentId: number,
  ) {
    const form = { view: 'bank/consents', context: () => this.consentsContext(actor, id), values: {} };
    await submitForm(res, form, async () => {
      const consent = await this.consents.revoke(actor, id, { id: consentId });
      return {
        redirect: `/households/${id}/consents`,
        message: `尾号 ${consent.lastDigits} 的授权码已撤销，银行不能再凭它查询`,
      };
    });
  }

  private bankContext() {
    return { title: '积分贷查询', outcomeOptions: OUTCOME_OPTIONS, bandOptions: BAND_OPTIONS };
  }

  private async consentsContext(actor: Actor, id: number) {
    const household = await this.households.get(actor, id);
    return {
      title: `${household.headName}家的银行查询授权`,
      household,
      consents: consentLines(await this.consents.ofHousehold(id)),
    };
  }
}

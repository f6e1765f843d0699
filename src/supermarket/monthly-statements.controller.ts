import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { can, Permission } from '../access/permissions.js';
import { assertInScope } from '../access/scope-policy.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor } from '../auth/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { submitForm } from '../common/forms.js';
import { parsePeriod, type Period } from '../common/periods.js';
import type { Village } from '../villages/village.entity.js';
import { VillagesService } from '../villages/villages.service.js';
import { MonthlyStatementsService, statementPage } from './monthly-statements.service.js';

/** How many ended months the page's picker offers. */
const PICKER_MONTHS = 24;

/**
 * 超市月度账目 pages: the village's staff and its supervision committee read a month's statement; the committee signs
 * it off (签字确认), which publishes it on the board (`/public/villages/:id?section=books`).
 */
@ApiExcludeController()
@Controller('supermarket/statements')
export class MonthlyStatementsController {
  constructor(
    private readonly statements: MonthlyStatementsService,
    private readonly villages: VillagesService,
  ) {}

  @Get()
  @Allow(Permission.Supermarket.ReadStatement)
  async page(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Query('month') month?: string,
    @Query('villageId') villageParam?: string,
  ) {
    const village = await this.villageFor(actor, villageParam);
    let period: Period;
    let refusal: DomainError | null = null;
    try {
      period = this.statements.endedMonth(month);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // A month not ended (or mistyped): say so above last month's statement.
      refusal = error;
      period = this.statements.lastMonth();
    }
    const context = await this.context(actor, village, period);
    res.status(refusal ? refusal.status : 200).render('supermarket/statements', {
      ...context,
      ...(refusal && {
        errors: { month: refusal.details.month ?? refusal.message },
        formError: `${refusal.details.month ?? refusal.message}。下面是${period.label}的账目`,
      }),
    });
  }

  @Post(':id/sign')
  @Allow(Permission.Supermarket.SignStatement)
  @InScope('statement', 'params.id')
  async sign(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const village = await this.villageFor(actor, undefined);
    await submitForm(
      res,
      {
        view: 'supermarket/statements',
        context: async () => {
          const month = parsePeriod(body.month ?? '');
          return this.context(actor, village, month?.kind === 'month' ? month : this.statements.lastMonth());
        },
        values: body,
      },
      async () => {
        const signed = await this.statements.sign(actor, id);
        return {
          redirect: `/supermarket/statements?month=${signed.month}`,
          message: `已签字确认${signed.label}超市账目，账目已在公示栏公开`,
        };
      },
    );
  }

  private async context(actor: Actor, village: Village, period: Period) {
    const statement = await this.statements.statement(actor, village.id, period);
    return {
      title: `${village.name} · ${period.label}超市账目`,
      village,
      period,
      namesVillage: actor.villageId === null,
      months: this.monthChoices(period),
      s: statementPage(statement),
      canSign: statement.status === 'PREPARED' && can(actor, Permission.Supermarket.SignStatement),
    };
  }

  /** The last ended months, newest first, and the chosen one wherever it lies. */
  private monthChoices(chosen: Period) {
    const months: Period[] = [];
    for (
      let p = this.statements.lastMonth();
      months.length < PICKER_MONTHS;
      p = parsePeriod(p.previous) as Period
    )
      months.push(p);
    if (!months.some((p) => p.key === chosen.key)) months.push(chosen);
    return months.map((p) => ({ key: p.key, label: p.label, selected: p.key === chosen.key }));
  }

  /** The page's village: the actor's own, or (township, admin) the one asked for and in scope. */
  private async villageFor(actor: Actor, villageParam: string | undefined): Promise<Village> {
    const id = actor.villageId ?? (/^\d{1,9}$/.test(villageParam ?? '') ? Number(villageParam) : null);
    if (!id) throw DomainError.validation({ villageId: '请先选择村' }, '请从乡镇首页的待办选择一个村');
    const village = await this.villages.kept(id);
    if (!village) throw DomainError.notFound('村');
    assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
    return village;
  }
}

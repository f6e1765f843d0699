import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { submitForm } from '../common/forms.js';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor } from '../auth/decorators.js';
import { StatementSlipsService } from './statement-slips.service.js';

/** Slips printed on one A4 sheet (2 × 2, cut along the dashed lines). */
export const SLIPS_PER_SHEET = 4;

/** The slips in sheets of four: each sheet is one printed page, whatever the length of a slip. */
export function sheetsOf<T>(slips: T[]): T[][] {
  const sheets: T[][] = [];
  for (let i = 0; i < slips.length; i += SLIPS_PER_SHEET) sheets.push(slips.slice(i, i + SLIPS_PER_SHEET));
  return sheets;
}

/** 积分对账单: a village's (or a group's) monthly slips, four to an A4 sheet, for households without a phone. */
@ApiExcludeController()
@Controller('villages')
export class StatementSlipsController {
  constructor(private readonly slips: StatementSlipsService) {}

  @Get(':id/slips')
  @Allow(Permission.Passbook.PrintSlips)
  @InScope('village', 'params.id')
  @Render('ledger/slips')
  async slipsPage(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Query('month') month?: unknown,
    @Query('groupId') groupId?: unknown,
  ) {
    const view = await this.slips.slips(actor, id, { month, groupId });
    return this.context(view);
  }

  /** 已发到户: the notices on the printed slips reached their households (the outbox's PRINT deliveries). */
  @Post(':id/slips/handed-out')
  @Allow(Permission.Passbook.PrintSlips)
  @InScope('village', 'params.id')
  async handedOut(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string>,
  ) {
    const query = { month: body.month, groupId: body.groupId || undefined };
    const form = {
      view: 'ledger/slips',
      context: async () => this.context(await this.slips.slips(actor, id, query)),
      values: body,
    };
    await submitForm(res, form, async () => {
      const done = await this.slips.handedOut(actor, id, query);
      const back = `/villages/${id}/slips?month=${encodeURIComponent(String(body.month ?? ''))}${body.groupId ? `&groupId=${encodeURIComponent(body.groupId)}` : ''}`;
      return {
        redirect: back,
        message: done.notices
          ? `已记下：${done.households} 户的对账单已发到户，其中 ${done.notices} 条通知送达`
          : `已记下：${done.households} 户的对账单已发到户（没有新的通知要送达）`,
      };
    });
  }

  private context(view: Awaited<ReturnType<StatementSlipsService['slips']>>) {
    return {
      title: `${view.village.name}${view.group ? view.group.name : ''} ${view.period.label}积分对账单`,
      ...view,
      sheets: sheetsOf(view.slips),
    };
  }
}

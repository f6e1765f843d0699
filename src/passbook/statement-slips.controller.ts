import { Controller, Get, Param, ParseIntPipe, Query, Render } from '@nestjs/common';
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
    return {
      title: `${view.village.name}${view.group ? view.group.name : ''} ${view.period.label}积分对账单`,
      ...view,
      sheets: sheetsOf(view.slips),
    };
  }
}

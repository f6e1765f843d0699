import { Controller, Get, Param, ParseIntPipe, Query, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { todayInChina } from '../common/dates.js';
import { parseForm } from '../common/validation.js';
import { signedPoints } from '../rules/rule-points.js';
import { PassbookQuery } from './dto/passbook.dto.js';
import { ENTRY_KINDS } from './ledger-entry.entity.js';
import { KIND_LABELS, PassbookService } from './passbook.service.js';

/** Shapes passbook entries for a page: signed amounts and a date as people read it. */
export function passbookLines(entries: Awaited<ReturnType<PassbookService['passbook']>>['entries']) {
  return entries.map((e) => ({
    ...e,
    amountLabel: signedPoints(e.amount),
    day: todayInChina(new Date(e.createdAt)),
    deduction: e.amount < 0,
  }));
}

/** 积分存折 and 核对账本 pages for staff. */
@ApiExcludeController()
@Controller()
export class PassbookController {
  constructor(private readonly passbooks: PassbookService) {}

  @Get('households/:id/passbook')
  @Roles('ADMIN', 'TOWNSHIP', 'VILLAGE_ADMIN', 'SCORER', 'CLERK')
  @InScope('household', 'params.id')
  @Render('ledger/passbook')
  async passbook(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Query() query: Record<string, string>,
  ) {
    const filter = await parseForm(PassbookQuery, { from: query.from, to: query.to, kind: query.kind });
    const book = await this.passbooks.passbook(actor, id, filter);
    return {
      title: `${book.household.headName}家的积分存折`,
      ...book,
      lines: passbookLines(book.entries),
      values: filter,
      kindOptions: ENTRY_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] })),
      back: { href: `/households/${id}`, label: '返回农户' },
    };
  }

  @Get('ledger/verify')
  @Roles('ADMIN', 'TOWNSHIP', 'VILLAGE_ADMIN')
  @Render('ledger/verify')
  async verify(@CurrentActor() actor: Actor, @Query('villageId') villageId?: string) {
    const id = villageId && /^\d{1,9}$/.test(villageId) ? Number(villageId) : undefined;
    return { title: '核对账本', report: await this.passbooks.verify(actor, id) };
  }
}

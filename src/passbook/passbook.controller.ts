import { Controller, Get, Param, ParseIntPipe, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { todayInChina } from '../common/dates.js';
import { parseForm } from '../common/validation.js';
import { sendSheet } from '../households/spreadsheet.js';
import { HonoursService } from '../honours/honours.service.js';
import { StarsService, type StarRow } from '../rankings/stars.service.js';
import { signedPoints } from '../rules/rule-points.js';
import { PassbookQuery } from './dto/passbook.dto.js';
import { ENTRY_KINDS } from '../ledger/ledger-entry.entity.js';
import { KIND_LABELS, PassbookService } from './passbook.service.js';

/** Entries on one passbook page, as many as an old phone shows readably; older ones are a link away. */
export const PASSBOOK_PAGE = 20;

/** The links to newer and older pages of a passbook, keeping the filters. */
export function passbookPager(
  path: string,
  filter: PassbookQuery,
  book: { page: number; hasOlder: boolean },
) {
  const link = (page: number) => {
    const query = new URLSearchParams();
    for (const key of ['from', 'to', 'kind'] as const) if (filter[key]) query.set(key, String(filter[key]));
    if (page > 1) query.set('page', String(page));
    const text = query.toString();
    return text ? `${path}?${text}` : path;
  };
  return {
    page: book.page,
    size: PASSBOOK_PAGE,
    newer: book.page > 1 ? link(book.page - 1) : null,
    older: book.hasOlder ? link(book.page + 1) : null,
  };
}

/** Shapes passbook entries for a page: signed amounts and a date as people read it. */
export function passbookLines(entries: Awaited<ReturnType<PassbookService['passbook']>>['entries']) {
  return entries.map((e) => ({
    day: todayInChina(new Date(e.createdAt)),
    description: e.description,
    kindLabel: e.kindLabel,
    amount: e.amount,
    amountLabel: signedPoints(e.amount),
    deduction: e.amount < 0,
    balanceAfter: e.balanceAfter,
    earnedAfter: e.earnedAfter,
  }));
}

/** The household's stars of this year, as the passbook and the villager page show them. */
export async function starsLine(stars: StarsService, householdId: number) {
  const year = Number(todayInChina().slice(0, 4));
  const row: StarRow | null = await stars.starsOf(householdId, year);
  return {
    year,
    stars: row?.stars ?? 0,
    starText: '★'.repeat(row?.stars ?? 0),
    blackListed: row?.blackListed ?? false,
  };
}

const KIND_OPTIONS = ENTRY_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }));

/**
 * What the passbook page (views/ledger/passbook.hbs) shows of a household's passbook, for staff and for the household
 * itself: its lines, the pager at `path`, the filter form and this year's stars.
 */
export async function passbookView(
  { stars, honours }: { stars: StarsService; honours: HonoursService },
  book: Awaited<ReturnType<PassbookService['passbook']>>,
  filter: PassbookQuery,
  page: { title: string; path: string; back: { href: string; label: string } },
) {
  return {
    title: page.title,
    ...book,
    lines: passbookLines(book.entries),
    pager: passbookPager(page.path, filter, book),
    values: filter,
    kindOptions: KIND_OPTIONS,
    back: page.back,
    starsLine: await starsLine(stars, book.household.id),
    // 评选活动's named stars (filed campaigns): given, and withdrawn with the reason.
    honours: (await honours.honours({ householdIds: [book.household.id] })).map((h) => ({
      ...h,
      label: `${h.year}年 ${h.starName}`,
      withdrawn: h.status === 'WITHDRAWN',
    })),
  };
}

/** 积分存折 and 核对账本 pages for staff. */
@ApiExcludeController()
@Controller()
export class PassbookController {
  constructor(
    private readonly passbooks: PassbookService,
    private readonly stars: StarsService,
    private readonly honours: HonoursService,
  ) {}

  @Get('households/:id/passbook')
  @Allow(Permission.Passbook.Read)
  @InScope('household', 'params.id')
  @Render('ledger/passbook')
  async passbook(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Query() query: Record<string, string>,
  ) {
    const filter = await parseForm(PassbookQuery, {
      from: query.from,
      to: query.to,
      kind: query.kind,
      page: query.page,
    });
    const book = await this.passbooks.passbook(actor, id, filter, PASSBOOK_PAGE);
    return {
      ...(await passbookView({ stars: this.stars, honours: this.honours }, book, filter, {
        title: `${book.household.headName}家的积分存折`,
        path: `/households/${id}/passbook`,
        back: { href: `/households/${id}`, label: '返回农户' },
      })),
      exportBase: `/households/${id}/passbook`,
    };
  }

  /** The passbook as a spreadsheet (the same filters as the page), for the committee's files or a bank. */
  @Get(['households/:id/passbook.csv', 'households/:id/passbook.xlsx'])
  @Allow(Permission.Passbook.Read)
  @InScope('household', 'params.id')
  async exportPassbook(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Query() query: Record<string, string>,
  ) {
    const filter = await parseForm(PassbookQuery, { from: query.from, to: query.to, kind: query.kind });
    const book = await this.passbooks.passbook(actor, id, filter);
    const rows: (string | number)[][] = [
      ['日期', '摘要', '类型', '积分', '可用余额', '累计积分'],
      ...passbookLines(book.entries).map((e) => [
        e.day,
        e.description,
        e.kindLabel,
        e.amount,
        e.balanceAfter,
        e.earnedAfter,
      ]),
    ];
    await sendSheet(req, res, `passbook-${book.household.code}`, '存折', rows);
  }

  @Get('ledger/verify')
  @Allow(Permission.Ledger.Verify)
  @Render('ledger/verify')
  async verify(@CurrentActor() actor: Actor, @Query('villageId') villageId?: string) {
    const id = villageId && /^\d{1,9}$/.test(villageId) ? Number(villageId) : undefined;
    return { title: '核对账本', report: await this.passbooks.verify(actor, id) };
  }
}

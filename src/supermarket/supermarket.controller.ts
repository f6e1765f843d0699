import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { addDays, isRealDate, periodBounds, todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { renderRefusal, submitForm } from '../common/forms.js';
import { REPLAY_HEADER } from '../common/idempotency.js';
import { PageQuery } from '../common/pagination.js';
import { parseForm } from '../common/validation.js';
import { HouseholdsService } from '../households/households.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { sendSheet } from '../households/spreadsheet.js';
import { AnswerOpinionDto, RaiseOpinionDto } from '../supervision/dto/supervision.dto.js';
import { SupervisionService } from '../supervision/supervision.service.js';
import { UsersService } from '../users/users.service.js';
import { VillagesService } from '../villages/villages.service.js';
import {
  CancelRedemptionFormDto,
  CreateGoodsDto,
  RedeemDto,
  ResetSettingsDto,
  StockInDto,
  StockTakeDto,
  UpdateGoodsDto,
} from './dto/supermarket.dto.js';
import { GoodsService } from './goods.service.js';
import { PointsResetService } from './points-reset.service.js';
import type { RedemptionStatus } from './redemption.entity.js';
import { RedemptionsService } from './redemptions.service.js';
import { SupermarketReportsService } from './reports.service.js';
import {
  basketOf,
  counterPage,
  counterRefusal,
  donorRows,
  goodsFormPage,
  goodsFormValues,
  goodsHistoryAddress,
  goodsHistoryPage,
  goodsPage,
  receiptPage,
  redemptionRows,
  redemptionsPage,
  REPORT_SHEETS,
  reportsPage,
  reportsRefusedPage,
  reviewPage,
  settingsPage,
  stockInPage,
  stockRows,
  stockTakePage,
} from './supermarket.presenter.js';

const SEARCH_LIMIT = 20;

/**
 * 积分超市 pages: the counter (find a household, a basket, check, confirm, receipt, cancel), goods and stock for the
 * clerk, reports with exports, and the committee's yearly-reset setting. Every action calls the services the API uses.
 */
@ApiExcludeController()
@Controller('supermarket')
export class SupermarketController {
  constructor(
    private readonly goods: GoodsService,
    private readonly redemptions: RedemptionsService,
    private readonly reports: SupermarketReportsService,
    private readonly resets: PointsResetService,
    private readonly households: HouseholdsService,
    private readonly villages: VillagesService,
    private readonly users: UsersService,
    private readonly ledger: LedgerService,
    private readonly supervision: SupervisionService,
  ) {}

  // ------------------------------------------------------------------ the counter

  @Get('counter')
  @Allow(Permission.Redemption.Create)
  @Render('supermarket/counter')
  async counter(
    @CurrentActor() actor: Actor,
    @Query('q') q?: string,
    @Query('householdId') householdId?: string,
  ) {
    return this.counterContext(actor, q, householdId, {});
  }

  /** Step two: the basket priced and checked (points, stock, limits) without writing anything. */
  @Post('counter/review')
  @Allow(Permission.Redemption.Create)
  async review(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    const items = basketOf(body);
    try {
      const dto = await parseForm(RedeemDto, {
        householdId: body.householdId,
        items,
        idempotencyKey: body.idempotencyKey,
      });
      const preview = await this.redemptions.preview(actor, dto.householdId, dto.items);
      res.status(200).render('supermarket/counter-review', reviewPage(preview, dto));
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      await renderRefusal(
        res,
        {
          view: 'supermarket/counter',
          context: () => this.counterContext(actor, body.q, body.householdId, body),
        },
        counterRefusal(error, body),
      );
    }
  }

  /** Step three: one transaction writes everything, or nothing; the same key again gives the same receipt. */
  @Post('counter/confirm')
  @Allow(Permission.Redemption.Create)
  async confirm(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    await submitForm(
      res,
      {
        view: 'supermarket/counter',
        context: () => this.counterContext(actor, body.q, body.householdId, body),
        values: body,
      },
      async () => {
        const dto = await parseForm(RedeemDto, {
          householdId: body.householdId,
          items: basketOf(body),
          idempotencyKey: body.idempotencyKey,
        }).catch((error: unknown) => Promise.reject(counterRefusal(error, body)));
        const { redemption, created } = await this.redemptions
          .redeem(actor, dto)
          .catch((error: unknown) => Promise.reject(counterRefusal(error, body)));
        if (!created) res.setHeader(REPLAY_HEADER, 'true');
        return {
          redirect: `/supermarket/redemptions/${redemption.id}`,
          message: created
            ? `兑换成功，兑换单号 ${redemption.receiptNo}`
            : `这张兑换单刚才已经办好了（${redemption.receiptNo}），重复提交没有再扣积分`,
        };
      },
    );
  }

  @Get('redemptions')
  @Allow(Permission.Supermarket.Operate)
  @Render('supermarket/redemptions')
  async list(
    @CurrentActor() actor: Actor,
    @Query() page: PageQuery,
    @Query('status') status?: string,
    @Query('householdId') householdId?: string,
  ) {
    const wanted = status === 'DONE' || status === 'CANCELLED' ? (status as RedemptionStatus) : undefined;
    const found = await this.redemptions.list({
      villageId: this.villageOf(actor),
      status: wanted,
      householdId: /^\d{1,9}$/.test(householdId ?? '') ? Number(householdId) : undefined,
      page: page.page,
      pageSize: page.pageSize,
    });
    const names = await this.households.labels(found.items.map((i) => i.redemption.householdId));
    return redemptionsPage(found, names, wanted, page);
  }

  /** 兑换单: A4, or `?format=thermal` for a 58 mm receipt printer. */
  @Get('redemptions/:id')
  @Allow(Permission.Supermarket.Operate)
  @InScope('redemption', 'params.id')
  async receipt(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Query('format') format?: string,
  ) {
    const context = await this.receiptContext(actor, id);
    if (format === 'thermal') return res.render('supermarket/receipt-thermal', { ...context, layout: false });
    res.render('supermarket/receipt', context);
  }

  @Post('redemptions/:id/cancel')
  @Allow(Permission.Redemption.Cancel)
  @InScope('redemption', 'params.id')
  async cancel(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    await submitForm(
      res,
      { view: 'supermarket/receipt', context: () => this.receiptContext(actor, id), values: body },
      async () => {
        const dto = await parseForm(CancelRedemptionFormDto, { reason: body.reason });
        const { redemption } = await this.redemptions.cancel(actor, id, dto.reason);
        return {
          redirect: `/supermarket/redemptions/${id}`,
          message: `已撤销兑换单 ${redemption.receiptNo}，积分已退回，商品已回库`,
        };
      },
    );
  }

  // ------------------------------------------------------------------ goods and stock

  @Get('goods')
  @Allow(Permission.Supermarket.Operate)
  @Render('supermarket/goods')
  async goodsList(@CurrentActor() actor: Actor) {
    return goodsPage(actor, await this.goods.list(this.villageOf(actor)));
  }

  @Get('goods/new')
  @Allow(Permission.Goods.Edit)
  @Render('supermarket/goods-form')
  newGoods() {
    return { ...goodsFormPage(), values: goodsFormValues() };
  }

  @Post('goods/new')
  @Allow(Permission.Goods.Edit)
  async createGoods(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    await submitForm(
      res,
      {
        view: 'supermarket/goods-form',
        context: () => goodsFormPage(),
        values: body,
      },
      async () => {
        const dto = await parseForm(CreateGoodsDto, {
          ...goodsFields(body),
          villageId: actor.villageId,
          stock: body.stock,
        });
        const goods = await this.goods.create(actor, dto);
        return {
          redirect: '/supermarket/goods',
          message: `已新增商品：${goods.name}，库存 ${goods.stock}${goods.unit}`,
        };
      },
    );
  }

  @Get('goods/:id/edit')
  @Allow(Permission.Goods.Edit)
  @InScope('goods', 'params.id')
  @Render('supermarket/goods-form')
  async editGoods(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const goods = await this.goods.get(actor, id);
    return { ...goodsFormPage(goods), values: goodsFormValues(goods) };
  }

  @Post('goods/:id/edit')
  @Allow(Permission.Goods.Edit)
  @InScope('goods', 'params.id')
  async updateGoods(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const goods = await this.goods.get(actor, id);
    await submitForm(
      res,
      {
        view: 'supermarket/goods-form',
        context: () => goodsFormPage(goods),
        values: { ...body, active: body.active === 'on' },
      },
      async () => {
        const dto = await parseForm(UpdateGoodsDto, { ...goodsFields(body), active: body.active === 'on' });
        dto.monthlyLimit = dto.monthlyLimit ?? null;
        const saved = await this.goods.update(actor, id, dto);
        return {
          redirect: '/supermarket/goods',
          message: `已保存：${saved.name}${saved.active ? '' : '（已下架）'}`,
        };
      },
    );
  }

  @Get('goods/:id/stock-in')
  @Allow(Permission.Goods.StockIn)
  @InScope('goods', 'params.id')
  @Render('supermarket/stock-in')
  async stockInForm(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return { ...stockInPage(await this.goods.get(actor, id)), values: { source: 'PURCHASE' } };
  }

  @Post('goods/:id/stock-in')
  @Allow(Permission.Goods.StockIn)
  @InScope('goods', 'params.id')
  async stockIn(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const goods = await this.goods.get(actor, id);
    await submitForm(
      res,
      { view: 'supermarket/stock-in', context: () => stockInPage(goods), values: body },
      async () => {
        const dto = await parseForm(StockInDto, {
          quantity: body.quantity,
          source: body.source,
          donor: body.source === 'DONATION' ? body.donor : undefined,
          note: body.note,
        });
        const saved = await this.goods.stockIn(actor, id, dto);
        return {
          redirect: '/supermarket/goods',
          message: `${saved.name}入库 ${dto.quantity}${saved.unit}${dto.donor ? `（${dto.donor}捐赠）` : ''}，现有 ${saved.stock}${saved.unit}`,
        };
      },
    );
  }

  @Get('goods/:id/stock-take')
  @Allow(Permission.Goods.StockTake)
  @InScope('goods', 'params.id')
  @Render('supermarket/stock-take')
  async stockTakeForm(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return { ...stockTakePage(await this.goods.get(actor, id)), values: {} };
  }

  @Post('goods/:id/stock-take')
  @Allow(Permission.Goods.StockTake)
  @InScope('goods', 'params.id')
  async stockTake(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const goods = await this.goods.get(actor, id);
    await submitForm(
      res,
      { view: 'supermarket/stock-take', context: () => stockTakePage(goods), values: body },
      async () => {
        const dto = await parseForm(StockTakeDto, { counted: body.counted, reason: body.reason });
        const saved = await this.goods.stockTake(actor, id, dto);
        return {
          redirect: '/supermarket/goods',
          message: `${saved.name}盘点后库存为 ${saved.stock}${saved.unit}`,
        };
      },
    );
  }

  @Get('goods/:id')
  @Allow(Permission.Supermarket.Operate)
  @InScope('goods', 'params.id')
  @Render('supermarket/goods-history')
  async history(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Query() page: PageQuery,
  ) {
    return this.goodsContext(actor, id, page.page, page.pageSize);
  }

  // ------------------------------------------------------------------ 监督意见 on a redemption or a stock movement

  /** The supervision committee's opinion on a redemption, from its 兑换单 page. */
  @Post('redemptions/:id/supervision-opinions')
  @Allow(Permission.Supervision.Raise)
  @InScope('redemption', 'params.id')
  async raiseOnRedemption(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const form = {
      view: 'supermarket/receipt',
      context: () => this.receiptContext(actor, id),
      values: body,
      fieldNames: { text: 'opinionText' },
    };
    await submitForm(res, form, async () => {
      const dto = await parseForm(RaiseOpinionDto, { text: body.opinionText });
      await this.supervision.raiseOnSupermarket(actor, 'REDEMPTION', id, dto.text);
      return { redirect: `/supermarket/redemptions/${id}`, message: '监督意见已提出，等待村两委答复' };
    });
  }

  /** The supervision committee's opinion on a stock movement, from its row on the goods' page. */
  @Post('stock-movements/:id/supervision-opinions')
  @Allow(Permission.Supervision.Raise)
  @InScope('movement', 'params.id')
  async raiseOnMovement(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const goodsId = await this.goods.goodsOfMovement(id);
    const onPage = pageOf(body.page);
    const form = {
      view: 'supermarket/goods-history',
      context: () => this.goodsContext(actor, goodsId, onPage),
      values: body,
      fieldNames: { text: `opinion${id}` },
    };
    await submitForm(res, form, async () => {
      const dto = await parseForm(RaiseOpinionDto, { text: body[`opinion${id}`] });
      await this.supervision.raiseOnSupermarket(actor, 'STOCK_MOVEMENT', id, dto.text);
      return { redirect: goodsHistoryAddress(goodsId, onPage), message: '监督意见已提出，等待村两委答复' };
    });
  }

  /** The committee (村两委) answers an opinion on a redemption or a stock movement, on that thing's page. */
  @Post('supervision-opinions/:id/answer')
  @Allow(Permission.Supervision.Answer)
  @InScope('opinion', 'params.id')
  async answerOpinion(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const opinion = await this.supervision.get(id);
    if (opinion.targetType === 'SCORE_RECORD') throw DomainError.notFound('监督意见');
    const onRedemption = opinion.targetType === 'REDEMPTION';
    const goodsId = onRedemption ? 0 : await this.goods.goodsOfMovement(opinion.targetId);
    const onPage = pageOf(body.page);
    const back = onRedemption
      ? `/supermarket/redemptions/${opinion.targetId}`
      : goodsHistoryAddress(goodsId, onPage);
    const form = {
      view: onRedemption ? 'supermarket/receipt' : 'supermarket/goods-history',
      context: () =>
        onRedemption
          ? this.receiptContext(actor, opinion.targetId)
          : this.goodsContext(actor, goodsId, onPage),
      values: body,
      fieldNames: { text: `answer${id}` },
    };
    await submitForm(res, form, async () => {
      const dto = await parseForm(AnswerOpinionDto, { text: body[`answer${id}`] });
      await this.supervision.answer(actor, id, dto.text);
      return { redirect: back, message: '已答复监督意见' };
    });
  }

  // ------------------------------------------------------------------ reports

  @Get('reports')
  @Allow(Permission.Supermarket.Operate)
  async showReports(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Query() query: Record<string, string>,
  ) {
    const villageId = this.villageOf(actor);
    const month = periodBounds(todayInChina(), 'month');
    const values = { from: query.from || month.start, to: query.to || addDays(month.next, -1) };
    const errors: Record<string, string> = {};
    for (const key of ['from', 'to'] as const)
      if (!isRealDate(values[key])) errors[key] = '日期应为 YYYY-MM-DD，例如 2026-11-01';
    if (!errors.from && !errors.to && values.from > values.to) errors.to = '结束日期不能早于开始日期';
    if (Object.keys(errors).length > 0)
      return res.status(400).render('supermarket/reports', reportsRefusedPage(values, errors));
    const [stock, donors, redemptions, bookHead] = await Promise.all([
      this.reports.stock(villageId, values.from, values.to),
      this.reports.donors(villageId, values.from, values.to),
      this.reports.redemptions(villageId, values.from, values.to),
      this.ledger.bookHead(villageId),
    ]);
    res.render('supermarket/reports', reportsPage(values, { stock, donors, redemptions, bookHead }));
  }

  @Get([
    'reports/stock.csv',
    'reports/stock.xlsx',
    'reports/donors.csv',
    'reports/donors.xlsx',
    'reports/redemptions.csv',
    'reports/redemptions.xlsx',
  ])
  @Allow(Permission.Supermarket.Operate)
  async exportReport(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Query() query: Record<string, string>,
  ) {
    const villageId = this.villageOf(actor);
    const [, report] = /reports\/(\w+)\.(csv|xlsx)$/.exec(req.path) as RegExpExecArray;
    const name = report as keyof typeof REPORT_SHEETS; // the routes above allow only these three
    const from = query.from ?? '';
    const to = query.to ?? '';
    if (!isRealDate(from) || !isRealDate(to) || from > to)
      throw DomainError.validation({ from: '请给出开始和结束日期（YYYY-MM-DD），开始不晚于结束' });
    const rows =
      name === 'stock'
        ? stockRows(await this.reports.stock(villageId, from, to))
        : name === 'donors'
          ? donorRows(await this.reports.donors(villageId, from, to))
          : redemptionRows(await this.reports.redemptions(villageId, from, to), { from, to });
    await sendSheet(req, res, `${name}-${from}-${to}`, REPORT_SHEETS[name], rows);
  }

  // ------------------------------------------------------------------ the yearly reset

  @Get('settings')
  @Allow(Permission.Passbook.ConfigureReset)
  @Render('supermarket/settings')
  async settings(@CurrentActor() actor: Actor) {
    return settingsPage(await this.resets.settingsOf(this.villageOf(actor)));
  }

  @Post('settings')
  @Allow(Permission.Passbook.ConfigureReset)
  async saveSettings(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    const villageId = this.villageOf(actor);
    await submitForm(
      res,
      {
        view: 'supermarket/settings',
        context: () => settingsPage(),
        values: { ...body, resetEnabled: body.resetEnabled === 'on' },
      },
      async () => {
        const dto = await parseForm(ResetSettingsDto, {
          resetEnabled: body.resetEnabled === 'on',
          resetOn: body.resetOn,
          resetKeep: body.resetKeep,
        });
        const saved = await this.resets.updateSettings(actor, villageId, dto);
        return {
          redirect: '/supermarket/settings',
          message: saved.resetEnabled
            ? `已开启年度清零：每年 ${saved.resetOn}，每户保留 ${saved.resetKeep} 分`
            : '年度清零已关闭',
        };
      },
    );
  }

  // ------------------------------------------------------------------ helpers

  private villageOf(actor: Actor): number {
    if (!actor.villageId) throw DomainError.forbidden('请从村的页面进入积分超市');
    return actor.villageId;
  }

  /**
   * The counter page: a search (by code, name, or the URL a door-plate QR code holds), the chosen household's
   * balances, and the shelf with a quantity per goods.
   */
  private async counterContext(
    actor: Actor,
    q: unknown,
    householdParam: unknown,
    typed: Record<string, string>,
  ) {
    const villageId = this.villageOf(actor);
    const search = codeFromScan(typeof q === 'string' ? q : '');
    const found = search
      ? await this.households.list({ villageId, q: search, page: 1, pageSize: SEARCH_LIMIT })
      : { items: [], total: 0 };
    const wanted =
      typeof householdParam === 'string' && /^\d{1,9}$/.test(householdParam) ? Number(householdParam) : null;
    const chosenId = wanted ?? (found.items.length === 1 ? found.items[0].id : null);
    const chosen = chosenId ? await this.households.get(actor, chosenId).catch(() => null) : null;
    const shelf = chosen ? await this.goods.catalogue(villageId) : [];
    const idempotencyKey = typed.idempotencyKey || randomUUID();
    return counterPage({ search, found, household: chosen, shelf, typed, idempotencyKey });
  }

  /** A goods' stock movements, newest first, each with the supervision committee's opinions on it. */
  private async goodsContext(actor: Actor, id: number, page: number, pageSize = 50) {
    const goods = await this.goods.get(actor, id);
    const movements = await this.goods.movements(id, page, pageSize);
    const ids = movements.items.map((m) => m.id);
    const opinions = await this.supervision.onTargets('STOCK_MOVEMENT', ids);
    return goodsHistoryPage(actor, goods, movements, opinions, { page, pageSize });
  }

  private async receiptContext(actor: Actor, id: number) {
    const found = await this.redemptions.get(actor, id);
    const [household, village, clerk, opinions] = await Promise.all([
      this.households.get(actor, found.redemption.householdId),
      this.villages.kept(found.redemption.villageId),
      this.users.displayName(found.redemption.createdBy),
      this.supervision.onTargets('REDEMPTION', [id]),
    ]);
    return receiptPage(actor, found, { household, village, clerk, opinions });
  }
}

/** The page of a list a form was sent from (a hidden field): 1 unless it is a sensible page number. */
function pageOf(value: unknown): number {
  return typeof value === 'string' && /^[1-9]\d{0,5}$/.test(value) ? Number(value) : 1;
}

/** What a door-plate QR code types into the search box is a URL with `code=`: the household code inside it. */
export function codeFromScan(text: string): string {
  const typed = text.trim().slice(0, 200);
  const match = /[?&]code=([^&#\s]+)/.exec(typed);
  return (match ? decodeURIComponent(match[1]) : typed).slice(0, 40);
}

function goodsFields(body: Record<string, string>) {
  return {
    name: body.name,
    unit: body.unit,
    pricePoints: body.pricePoints,
    lowStockThreshold: body.lowStockThreshold,
    monthlyLimit: body.monthlyLimit,
  };
}

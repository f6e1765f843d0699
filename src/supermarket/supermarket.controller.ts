import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { can, Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { addDays, chinaTimeSeconds, isRealDate, periodBounds, todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { renderRefusal, submitForm } from '../common/forms.js';
import { REPLAY_HEADER } from '../common/idempotency.js';
import { pager, PageQuery } from '../common/pagination.js';
import { parseForm } from '../common/validation.js';
import { HouseholdsService } from '../households/households.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { sendSheet } from '../households/spreadsheet.js';
import { AnswerOpinionDto, RaiseOpinionDto } from '../supervision/dto/supervision.dto.js';
import { opinionRow } from '../supervision/supervision.presenter.js';
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
import { goodsView, GoodsService } from './goods.service.js';
import { PointsResetService } from './points-reset.service.js';
import type { RedemptionStatus } from './redemption.entity.js';
import { redemptionView, RedemptionsService } from './redemptions.service.js';
import { SupermarketReportsService } from './reports.service.js';
import { MOVEMENT_LABELS } from './stock-movement.entity.js';

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
      res.status(200).render('supermarket/counter-review', {
        title: '核对兑换单',
        household: preview.household,
        lines: preview.lines.map((l) => ({
          ...l,
          name: l.goods.name,
          unit: l.goods.unit,
          price: l.goods.pricePoints,
        })),
        totalPoints: preview.totalPoints,
        balanceAfter: preview.balanceAfter,
        idempotencyKey: dto.idempotencyKey,
        basket: dto.items,
      });
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
    const villageId = this.villageOf(actor);
    const filter = {
      villageId,
      status: status === 'DONE' || status === 'CANCELLED' ? (status as RedemptionStatus) : undefined,
      householdId: /^\d{1,9}$/.test(householdId ?? '') ? Number(householdId) : undefined,
    };
    const { items, total } = await this.redemptions.list({
      ...filter,
      page: page.page,
      pageSize: page.pageSize,
    });
    const names = await this.households.labels(items.map((i) => i.redemption.householdId));
    return {
      title: '兑换记录',
      rows: items.map((i) => ({ ...redemptionView(i), household: names.get(i.redemption.householdId) })),
      status: filter.status,
      pager: pager(page.page, page.pageSize, total, filter.status ? { status: filter.status } : {}),
    };
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
    const goods = await this.goods.list(this.villageOf(actor));
    return {
      title: '商品与库存',
      goods: goods.map((g) => goodsView(g)),
      canEdit: can(actor, Permission.Goods.Edit),
    };
  }

  @Get('goods/new')
  @Allow(Permission.Goods.Edit)
  @Render('supermarket/goods-form')
  newGoods() {
    return {
      title: '新增商品',
      action: '/supermarket/goods/new',
      isNew: true,
      values: { lowStockThreshold: 5 },
    };
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
        context: () => ({ title: '新增商品', action: '/supermarket/goods/new', isNew: true }),
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
    return {
      title: `修改商品：${goods.name}`,
      action: `/supermarket/goods/${id}/edit`,
      goods,
      values: { ...goods, monthlyLimit: goods.monthlyLimit ?? '', active: goods.active },
    };
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
        context: () => ({ title: `修改商品：${goods.name}`, action: `/supermarket/goods/${id}/edit`, goods }),
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
    return { title: '入库', goods: await this.goods.get(actor, id), values: { source: 'PURCHASE' } };
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
      { view: 'supermarket/stock-in', context: () => ({ title: '入库', goods }), values: body },
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
    return { title: '盘点', goods: await this.goods.get(actor, id), values: {} };
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
      { view: 'supermarket/stock-take', context: () => ({ title: '盘点', goods }), values: body },
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
      return {
        redirect: `/supermarket/goods/${goodsId}${onPage > 1 ? `?page=${onPage}` : ''}`,
        message: '监督意见已提出，等待村两委答复',
      };
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
      : `/supermarket/goods/${goodsId}${onPage > 1 ? `?page=${onPage}` : ''}`;
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
  async reportsPage(
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
    if (Object.keys(errors).length > 0) {
      return res
        .status(400)
        .render('supermarket/reports', { title: '超市报表', values, errors, formError: '日期有误' });
    }
    const [stock, donors, redemptions, bookHead] = await Promise.all([
      this.reports.stock(villageId, values.from, values.to),
      this.reports.donors(villageId, values.from, values.to),
      this.reports.redemptions(villageId, values.from, values.to),
      this.ledger.bookHead(villageId),
    ]);
    res.render('supermarket/reports', {
      title: '超市报表',
      values,
      bookHead,
      stock,
      donors,
      redemptions,
      totalPoints: redemptions.byDay.reduce((s, d) => s + d.points, 0),
      query: `from=${values.from}&to=${values.to}`,
    });
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
    const [, name] = /reports\/(\w+)\.(csv|xlsx)$/.exec(req.path) as RegExpExecArray;
    const from = query.from ?? '';
    const to = query.to ?? '';
    if (!isRealDate(from) || !isRealDate(to) || from > to)
      throw DomainError.validation({ from: '请给出开始和结束日期（YYYY-MM-DD），开始不晚于结束' });
    let rows: (string | number)[][];
    if (name === 'stock') {
      rows = [
        ['商品', '单位', '期初', '入库', '兑换出库', '撤销退回', '盘点调整', '期末'],
        ...(await this.reports.stock(villageId, from, to)).map((r) => [
          r.name,
          r.unit,
          r.opening,
          r.stockIn,
          r.out,
          r.returned,
          r.adjusted,
          r.closing,
        ]),
      ];
    } else if (name === 'donors') {
      rows = [
        ['捐赠单位', '商品', '单位', '数量', '折合积分', '首次', '最近'],
        ...(await this.reports.donors(villageId, from, to)).map((r) => [
          r.donor,
          r.goods,
          r.unit,
          r.quantity,
          r.points,
          r.first,
          r.last,
        ]),
      ];
    } else {
      const r = await this.reports.redemptions(villageId, from, to);
      rows = [
        [`兑换报表 ${from} 至 ${to}（不含已撤销）`],
        [],
        ['按日', '笔数', '积分'],
        ...r.byDay.map((d) => [d.day, d.count, d.points]),
        [],
        ['按商品', '单位', '数量', '积分'],
        ...r.byGoods.map((g) => [g.name, g.unit, g.quantity, g.points]),
        [],
        ['按农户（户号）', '户主', '笔数', '积分'],
        ...r.byHousehold.map((h) => [h.code, h.headName, h.count, h.points]),
      ];
    }
    const sheet = name === 'stock' ? '库存' : name === 'donors' ? '捐赠' : '兑换';
    await sendSheet(req, res, `${name}-${from}-${to}`, sheet, rows);
  }

  // ------------------------------------------------------------------ the yearly reset

  @Get('settings')
  @Allow(Permission.Passbook.ConfigureReset)
  @Render('supermarket/settings')
  async settings(@CurrentActor() actor: Actor) {
    const villageId = this.villageOf(actor);
    const reset = await this.resets.settingsOf(villageId);
    return {
      title: '积分清零设置',
      values: { resetEnabled: reset.resetEnabled, resetOn: reset.resetOn, resetKeep: reset.resetKeep },
    };
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
        context: () => ({ title: '积分清零设置' }),
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
    return {
      title: '积分兑换',
      q: search,
      searched: search !== '',
      matches: chosen ? [] : found.items,
      more: found.total > found.items.length,
      household: chosen,
      shelf: shelf.map((g) => ({ ...goodsView(g), quantity: typed[`qty${g.id}`] ?? '' })),
      idempotencyKey: typed.idempotencyKey || randomUUID(),
    };
  }

  /** A goods' stock movements, newest first, each with the supervision committee's opinions on it. */
  private async goodsContext(actor: Actor, id: number, page: number, pageSize = 50) {
    const goods = await this.goods.get(actor, id);
    const { items, total } = await this.goods.movements(id, page, pageSize);
    const opinions = await this.supervision.onTargets(
      'STOCK_MOVEMENT',
      items.map((m) => m.id),
    );
    const canRaise = can(actor, Permission.Supervision.Raise);
    return {
      title: `${goods.name} · 库存变动`,
      goods,
      movements: items.map((m) => {
        const own = opinions.filter((o) => o.targetId === m.id).map(opinionRow);
        return {
          ...m,
          kindLabel: MOVEMENT_LABELS[m.kind],
          day: m.occurredOn,
          opinions: own,
          // One opinion at a time on a thing: a second waits for the answer to the first.
          canRaise: canRaise && !own.some((o) => o.open),
        };
      }),
      page,
      canAnswer: can(actor, Permission.Supervision.Answer),
      // The column only where there is something in it: the supervision committee's own page, or opinions raised.
      showOpinions: canRaise || opinions.length > 0,
      pager: pager(page, pageSize, total),
    };
  }

  private async receiptContext(actor: Actor, id: number) {
    const found = await this.redemptions.get(actor, id);
    const view = redemptionView(found);
    const [household, village, clerk, opinions] = await Promise.all([
      this.households.get(actor, view.householdId),
      this.villages.kept(view.villageId),
      this.users.displayName(found.redemption.createdBy),
      this.supervision.onTargets('REDEMPTION', [id]),
    ]);
    const rows = opinions.map(opinionRow);
    return {
      title: `兑换单 ${view.receiptNo}`,
      r: view,
      household,
      village,
      clerk,
      time: chinaTimeSeconds(view.createdAt),
      cancelled: view.status === 'CANCELLED',
      canCancel: view.status === 'DONE' && can(actor, Permission.Redemption.Cancel),
      opinions: rows,
      canAnswer: can(actor, Permission.Supervision.Answer),
      canRaise: can(actor, Permission.Supervision.Raise) && !rows.some((o) => o.open),
    };
  }
}

/** The basket of the counter form: a quantity field per goods (`qty<id>`), empty or 0 meaning none of it. */
function basketOf(body: Record<string, unknown>): { goodsId: number; quantity: unknown }[] {
  return Object.entries(body)
    .filter(
      ([key, value]) => /^qty\d{1,9}$/.test(key) && value !== '' && value !== '0' && value !== undefined,
    )
    .map(([key, value]) => ({
      goodsId: Number(key.slice(3)),
      quantity: Array.isArray(value) ? value[0] : value,
    }));
}

/**
 * A refusal at the counter put on the box it is about: a line's own check (数量至少 1) and a goods out of stock or
 * past its monthly limit on that goods' quantity; what the whole basket fails (nothing chosen, too few points) on the
 * basket, with a 0 typed marked as the reason nothing was chosen. Anything else is left as it was.
 */
export function counterRefusal<E>(error: E, body: Record<string, unknown>): E | DomainError {
  if (!(error instanceof DomainError)) return error;
  const basket = basketOf(body);
  const fields: Record<string, string> = {};
  for (const [key, message] of Object.entries(error.details)) {
    if (typeof message !== 'string') continue;
    const line = /^items\.(\d+)\./.exec(key);
    const goodsId = line ? basket[Number(line[1])]?.goodsId : undefined;
    if (line && goodsId) fields[`qty${goodsId}`] ??= message;
    else if (line) fields.items ??= message;
    else fields[key] = message;
  }
  if (typeof error.details.goodsId === 'number') fields[`qty${error.details.goodsId}`] = error.message;
  if (error.code === 'INSUFFICIENT_POINTS') fields.items = error.message;
  if (basket.length === 0)
    for (const [key, value] of Object.entries(body))
      if (/^qty\d{1,9}$/.test(key) && value === '0') fields[key] = '数量至少 1；不换的商品留空';
  return new DomainError(error.code, error.message, fields);
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

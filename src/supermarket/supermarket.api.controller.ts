import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { answerCreated } from '../common/idempotency.js';
import { KeepAnswer } from '../common/kept-answers.js';
import { derivedOnce } from '../database/read-cache.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor, Public } from '../auth/decorators.js';
import { PageQuery } from '../common/pagination.js';
import { RedemptionListQuery, VillageQuery } from './dto/list.dto.js';
import {
  CancelRedemptionDto,
  CreateGoodsDto,
  RedeemDto,
  ResetSettingsDto,
  StockInDto,
  StockTakeDto,
  UpdateGoodsDto,
} from './dto/supermarket.dto.js';
import type { Goods } from './goods.entity.js';
import { catalogueScope, goodsView, GoodsService } from './goods.service.js';
import { PointsResetService } from './points-reset.service.js';
import { redemptionView, RedemptionsService } from './redemptions.service.js';

/** The catalogue's answer, made once per kept catalogue (GoodsService keeps it until a write in the village). */
const catalogueView = derivedOnce((goods: readonly Goods[]) => ({ items: goods.map(goodsView) }));

@ApiTags('supermarket 积分超市')
@ApiBearerAuth()
@Controller('api/v1')
export class SupermarketApiController {
  constructor(
    private readonly goods: GoodsService,
    private readonly redemptions: RedemptionsService,
    private readonly resets: PointsResetService,
  ) {}

  /** The catalogue: goods on the shelf, for anyone (the public board shows it too). */
  @Get('goods')
  @Public()
  // The same for everyone, changed only by a write in the village (the catalogue GoodsService keeps): decision 006.
  @KeepAnswer((query) => catalogueScope(Number(query.villageId)))
  async catalogue(@Query() query: VillageQuery) {
    return catalogueView(await this.goods.catalogue(query.villageId));
  }

  @Post('goods')
  @Allow(Permission.Goods.Edit)
  @InScope('village', 'body.villageId')
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateGoodsDto) {
    return goodsView(await this.goods.create(actor, dto));
  }

  @Get('goods/:id')
  @Allow(Permission.Goods.Read)
  @InScope('goods', 'params.id')
  async get(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return goodsView(await this.goods.get(actor, id));
  }

  @Put('goods/:id')
  @Allow(Permission.Goods.Edit)
  @InScope('goods', 'params.id')
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: UpdateGoodsDto,
  ) {
    return goodsView(await this.goods.update(actor, id, dto));
  }

  @Post('goods/:id/stock-in')
  @HttpCode(200)
  @Allow(Permission.Goods.StockIn)
  @InScope('goods', 'params.id')
  async stockIn(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: StockInDto,
  ) {
    return goodsView(await this.goods.stockIn(actor, id, dto));
  }

  /** 盘点: the counted quantity and why it differs. */
  @Post('goods/:id/stock-take')
  @HttpCode(200)
  @Allow(Permission.Goods.StockTake)
  @InScope('goods', 'params.id')
  async stockTake(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: StockTakeDto,
  ) {
    return goodsView(await this.goods.stockTake(actor, id, dto));
  }

  @Get('goods/:id/movements')
  @Allow(Permission.Goods.Read)
  @InScope('goods', 'params.id')
  async movements(@Param('id', ParseIntPipe) id: number, @Query() page: PageQuery) {
    return this.goods.movements(id, page.page, page.pageSize);
  }

  /** 201 with a new receipt; 200 with the same receipt when the idempotency key was used before. */
  @Post('redemptions')
  @Allow(Permission.Redemption.Create)
  @InScope('household', 'body.householdId')
  async redeem(
    @CurrentActor() actor: Actor,
    @Body() dto: RedeemDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { created, ...redemption } = await this.redemptions.redeem(actor, dto);
    answerCreated(res, created);
    return redemptionView(redemption);
  }

  @Get('redemptions')
  @Allow(Permission.Redemption.Read)
  @InScope('village', 'query.villageId')
  async list(@Query() page: PageQuery, @Query() filter: RedemptionListQuery) {
    const { items, total } = await this.redemptions.list({
      ...filter,
      page: page.page,
      pageSize: page.pageSize,
    });
    return { items: items.map(redemptionView), total };
  }

  @Get('redemptions/:id')
  @Allow(Permission.Redemption.Read, Permission.Redemption.ReadOwn)
  async getRedemption(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return redemptionView(await this.redemptions.get(actor, id));
  }

  @Post('redemptions/:id/cancel')
  @HttpCode(200)
  @Allow(Permission.Redemption.Cancel)
  @InScope('redemption', 'params.id')
  async cancel(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: CancelRedemptionDto,
  ) {
    return redemptionView(await this.redemptions.cancel(actor, id, dto.reason));
  }

  /** 清零 settings of a village (the committee's decision). */
  @Put('villages/:id/reset-settings')
  @Allow(Permission.Passbook.ConfigureReset)
  @InScope('village', 'params.id')
  async resetSettings(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: ResetSettingsDto,
  ) {
    const v = await this.resets.updateSettings(actor, id, dto);
    return {
      villageId: v.villageId,
      resetEnabled: v.resetEnabled,
      resetOn: v.resetOn,
      resetKeep: v.resetKeep,
    };
  }
}

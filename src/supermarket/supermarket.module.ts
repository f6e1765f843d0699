import { Module } from '@nestjs/common';
import { GoodsService } from './goods.service.js';
import { PointsResetService, RESET_INTERVAL_MS } from './points-reset.service.js';
import { RedemptionsService } from './redemptions.service.js';
import { SupermarketApiController } from './supermarket.api.controller.js';

/** 积分超市: goods and stock, the counter's redemptions and receipts, reports, and the yearly reset. */
@Module({
  controllers: [SupermarketApiController],
  providers: [
    GoodsService,
    RedemptionsService,
    PointsResetService,
    { provide: RESET_INTERVAL_MS, useValue: 10 * 60_000 },
  ],
  exports: [GoodsService, RedemptionsService, PointsResetService],
})
export class SupermarketModule {}

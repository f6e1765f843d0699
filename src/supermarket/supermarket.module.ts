import { Module } from '@nestjs/common';
import { HouseholdsModule } from '../households/households.module.js';
import { SupervisionModule } from '../supervision/supervision.module.js';
import { UsersModule } from '../users/users.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { GoodsService } from './goods.service.js';
import { MonthlyStatementsApiController } from './monthly-statements.api.controller.js';
import { MonthlyStatementsController } from './monthly-statements.controller.js';
import { MonthlyStatementsService } from './monthly-statements.service.js';
import { PointsResetService } from './points-reset.service.js';
import { RedemptionsService } from './redemptions.service.js';
import { SupermarketReportsService } from './reports.service.js';
import { SupermarketSettingsModule } from './supermarket-settings.module.js';
import { SupermarketApiController } from './supermarket.api.controller.js';
import { SupermarketController } from './supermarket.controller.js';

/** 积分超市: goods and stock, the counter's redemptions and receipts, reports, the monthly statements (超市月度账目公开), and the yearly reset. */
@Module({
  imports: [HouseholdsModule, VillagesModule, UsersModule, SupermarketSettingsModule, SupervisionModule],
  controllers: [
    SupermarketApiController,
    MonthlyStatementsApiController,
    SupermarketController,
    MonthlyStatementsController,
  ],
  providers: [
    GoodsService,
    RedemptionsService,
    PointsResetService,
    SupermarketReportsService,
    MonthlyStatementsService,
  ],
  exports: [
    GoodsService,
    RedemptionsService,
    PointsResetService,
    MonthlyStatementsService,
    SupermarketReportsService,
    SupermarketSettingsModule,
  ],
})
export class SupermarketModule {}

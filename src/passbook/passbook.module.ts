import { Module } from '@nestjs/common';
import { HonoursModule } from '../honours/honours.module.js';
import { HouseholdsModule } from '../households/households.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { RankingsModule } from '../rankings/rankings.module.js';
import { SupermarketModule } from '../supermarket/supermarket.module.js';
import { LedgerApiController } from './ledger.api.controller.js';
import { PassbookController } from './passbook.controller.js';
import { PassbookService } from './passbook.service.js';
import { StatementSlipsController } from './statement-slips.controller.js';
import { StatementSlipsService } from './statement-slips.service.js';

/**
 * 积分存折 and 核对账本, pages and API: what a household and staff read of the ledger, with the stars and the 清零
 * notice beside it. Above the ledger and rankings, so that the ledger itself knows no feature.
 */
@Module({
  imports: [HonoursModule, RankingsModule, SupermarketModule, HouseholdsModule, VillagesModule],
  controllers: [LedgerApiController, PassbookController, StatementSlipsController],
  providers: [PassbookService, StatementSlipsService],
  exports: [PassbookService],
})
export class PassbookModule {}

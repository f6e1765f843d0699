import { Module } from '@nestjs/common';
import { CreditModule } from '../credit/credit.module.js';
import { BankModule } from '../bank/bank.module.js';
import { GridsModule } from '../grids/grids.module.js';
import { HouseholdsModule } from '../households/households.module.js';
import { PublicationRecordsModule } from '../publications/publication-records.module.js';
import { RankingsModule } from '../rankings/rankings.module.js';
import { ScoringModule } from '../scoring/scoring.module.js';
import { SupermarketModule } from '../supermarket/supermarket.module.js';
import { TownshipsModule } from '../townships/townships.module.js';
import { UsersModule } from '../users/users.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { VolunteeringModule } from '../volunteering/volunteering.module.js';
import { TownshipController } from './township.controller.js';
import { TownshipService } from './township.service.js';

/**
 * 乡镇总览: villages side by side, charts, fairness signals, from what each feature's service answers (the ledger and
 * the audit log are global).
 */
@Module({
  imports: [
    CreditModule,
    BankModule,
    GridsModule,
    HouseholdsModule,
    PublicationRecordsModule,
    RankingsModule,
    ScoringModule,
    SupermarketModule,
    UsersModule,
    TownshipsModule,
    VillagesModule,
    VolunteeringModule,
  ],
  controllers: [TownshipController],
  providers: [TownshipService],
  exports: [TownshipService],
})
export class TownshipModule {}

import { Module } from '@nestjs/common';
import { CreditModule } from '../credit/credit.module.js';
import { BankModule } from '../bank/bank.module.js';
import { HonoursModule } from '../honours/honours.module.js';
import { HouseholdsModule } from '../households/households.module.js';
import { PassbookModule } from '../passbook/passbook.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { PublicationsModule } from '../publications/publications.module.js';
import { RankingsModule } from '../rankings/rankings.module.js';
import { RulesModule } from '../rules/rules.module.js';
import { ScoringModule } from '../scoring/scoring.module.js';
import { MeApiController } from './me.api.controller.js';
import { VillagerController } from './villager.controller.js';
import { VillagerService } from './villager.service.js';

@Module({
  imports: [
    CreditModule,
    BankModule,
    HonoursModule,
    PassbookModule,
    PublicationsModule,
    RulesModule,
    ScoringModule,
    RankingsModule,
    HouseholdsModule,
    VillagesModule,
  ],
  controllers: [VillagerController, MeApiController],
  providers: [VillagerService],
})
export class VillagerModule {}

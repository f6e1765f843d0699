import { Module } from '@nestjs/common';
import { HouseholdsModule } from '../households/households.module.js';
import { PassbookModule } from '../passbook/passbook.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { PublicationsModule } from '../publications/publications.module.js';
import { RankingsModule } from '../rankings/rankings.module.js';
import { RulesModule } from '../rules/rules.module.js';
import { ScoringModule } from '../scoring/scoring.module.js';
import { VillagerController } from './villager.controller.js';

@Module({
  imports: [
    PassbookModule,
    PublicationsModule,
    RulesModule,
    ScoringModule,
    RankingsModule,
    HouseholdsModule,
    VillagesModule,
  ],
  controllers: [VillagerController],
})
export class VillagerModule {}

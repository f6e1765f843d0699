import { Module } from '@nestjs/common';
import { PassbookModule } from '../passbook/passbook.module.js';
import { PublicationsModule } from '../publications/publications.module.js';
import { RankingsModule } from '../rankings/rankings.module.js';
import { RulesModule } from '../rules/rules.module.js';
import { ScoringModule } from '../scoring/scoring.module.js';
import { VillagerController } from './villager.controller.js';

@Module({
  imports: [PassbookModule, PublicationsModule, RulesModule, ScoringModule, RankingsModule],
  controllers: [VillagerController],
})
export class VillagerModule {}

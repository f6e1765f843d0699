import { Module } from '@nestjs/common';
import { HouseholdsModule } from '../households/households.module.js';
import { RulesModule } from '../rules/rules.module.js';
import { ScoringModule } from '../scoring/scoring.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { ListsService } from './lists.service.js';
import { RankingSettingsModule } from './ranking-settings.module.js';
import { RankingsApiController } from './rankings.api.controller.js';
import { RankingsController } from './rankings.controller.js';
import { RankingsService } from './rankings.service.js';
import { StarsService } from './stars.service.js';

/** 排名, 红黑榜 and 星级文明户: what villages publish and townships review. */
@Module({
  imports: [HouseholdsModule, VillagesModule, RulesModule, ScoringModule, RankingSettingsModule],
  controllers: [RankingsApiController, RankingsController],
  providers: [RankingsService, ListsService, StarsService],
  exports: [RankingsService, ListsService, StarsService, RankingSettingsModule],
})
export class RankingsModule {}

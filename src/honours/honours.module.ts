import { Module } from '@nestjs/common';
import { HouseholdsModule } from '../households/households.module.js';
import { RankingsModule } from '../rankings/rankings.module.js';
import { ScoringModule } from '../scoring/scoring.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { HonoursApiController } from './honours.api.controller.js';
import { HonoursController } from './honours.controller.js';
import { HonoursService } from './honours.service.js';

/** 评选活动 (星级文明户, 文明家庭, 道德模范): campaigns, nominations, the council's votes, 公示 and filing. */
@Module({
  imports: [HouseholdsModule, RankingsModule, ScoringModule, VillagesModule],
  controllers: [HonoursApiController, HonoursController],
  providers: [HonoursService],
  exports: [HonoursService],
})
export class HonoursModule {}

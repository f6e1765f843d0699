import { Module } from '@nestjs/common';
import { HonoursModule } from '../honours/honours.module.js';
import { HouseholdsModule } from '../households/households.module.js';
import { RankingsModule } from '../rankings/rankings.module.js';
import { RulesModule } from '../rules/rules.module.js';
import { ScoringModule } from '../scoring/scoring.module.js';
import { SupermarketModule } from '../supermarket/supermarket.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { PublicBoardController } from './public-board.controller.js';
import { PublicationsApiController } from './publications.api.controller.js';
import { PublicationsController } from './publications.controller.js';
import { PublicationsScheduler } from './publications.scheduler.js';
import { PublicationsService } from './publications.service.js';
import { SupervisionApiController } from '../supervision/supervision.api.controller.js';
import { SupervisionService } from '../supervision/supervision.service.js';

@Module({
  imports: [
    HonoursModule,
    HouseholdsModule,
    ScoringModule,
    VillagesModule,
    SupermarketModule,
    RankingsModule,
    RulesModule,
  ],
  controllers: [
    PublicationsApiController,
    PublicationsController,
    PublicBoardController,
    SupervisionApiController,
  ],
  providers: [PublicationsService, PublicationsScheduler, SupervisionService],
  exports: [PublicationsService, PublicationsScheduler, SupervisionService],
})
export class PublicationsModule {}

import { Module } from '@nestjs/common';
import { PartyModule } from '../party/party.module.js';
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
import { SupervisionModule } from '../supervision/supervision.module.js';
import { PublicationRecordsModule } from './publication-records.module.js';

@Module({
  imports: [
    HonoursModule,
    PartyModule,
    HouseholdsModule,
    ScoringModule,
    VillagesModule,
    SupermarketModule,
    RankingsModule,
    RulesModule,
    PublicationRecordsModule,
    SupervisionModule,
  ],
  controllers: [PublicationsApiController, PublicationsController, PublicBoardController],
  providers: [PublicationsScheduler],
  exports: [PublicationRecordsModule, PublicationsScheduler, SupervisionModule],
})
export class PublicationsModule {}

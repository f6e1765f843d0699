import { Module } from '@nestjs/common';
import { CreditModule } from '../credit/credit.module.js';
import { PartyModule } from '../party/party.module.js';
import { HonoursModule } from '../honours/honours.module.js';
import { PublicationsModule } from '../publications/publications.module.js';
import { RankingsModule } from '../rankings/rankings.module.js';
import { RulesModule } from '../rules/rules.module.js';
import { ScoringModule } from '../scoring/scoring.module.js';
import { SupermarketModule } from '../supermarket/supermarket.module.js';
import { TownshipModule } from '../township/township.module.js';
import { HomeController } from './home.controller.js';
import { StartPageService } from './start-page.service.js';

@Module({
  imports: [
    HonoursModule,
    ScoringModule,
    PublicationsModule,
    RankingsModule,
    SupermarketModule,
    TownshipModule,
    RulesModule,
    PartyModule,
    CreditModule,
  ],
  controllers: [HomeController],
  providers: [StartPageService],
})
export class HomeModule {}

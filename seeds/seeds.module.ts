import { Module } from '@nestjs/common';
import { HonoursModule } from '../src/honours/honours.module.js';
import { HouseholdsModule } from '../src/households/households.module.js';
import { PartyModule } from '../src/party/party.module.js';
import { PublicationsModule } from '../src/publications/publications.module.js';
import { ScoringModule } from '../src/scoring/scoring.module.js';
import { SupermarketModule } from '../src/supermarket/supermarket.module.js';
import { UsersModule } from '../src/users/users.module.js';
import { DemoHistory } from './demo-history.js';
import { DemoParty } from './demo-party.js';
import { SeedsService } from './seeds.service.js';

@Module({
  imports: [
    HonoursModule,
    SupermarketModule,
    ScoringModule,
    PublicationsModule,
    UsersModule,
    HouseholdsModule,
    PartyModule,
  ],
  providers: [SeedsService, DemoHistory, DemoParty],
  exports: [DemoHistory],
})
export class SeedsModule {}

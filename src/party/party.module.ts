import { Module } from '@nestjs/common';
import { HouseholdsModule } from '../households/households.module.js';
import { UsersModule } from '../users/users.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { PartyApiController } from './party.api.controller.js';
import { PartyController } from './party.controller.js';
import { PartyService } from './party.service.js';

/** 党员量化积分 (issue 22.1): party members' books on the one ledger, and what the branch does with them. */
@Module({
  imports: [HouseholdsModule, UsersModule, VillagesModule],
  controllers: [PartyApiController, PartyController],
  providers: [PartyService],
  exports: [PartyService],
})
export class PartyModule {}

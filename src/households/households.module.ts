import { Module } from '@nestjs/common';
import { TownshipsModule } from '../townships/townships.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { DoorPlateBadges } from './door-plate-badges.js';
import { DoorPlateController } from './door-plate.controller.js';
import { HouseholdMembersService } from './household-members.service.js';
import { HouseholdProxiesService } from './household-proxies.service.js';
import { HouseholdSheetsController } from './household-sheets.controller.js';
import { HouseholdSheetsService } from './household-sheets.service.js';
import { HouseholdsApiController } from './households.api.controller.js';
import { HouseholdsController } from './households.controller.js';
import { HouseholdsService } from './households.service.js';

@Module({
  imports: [VillagesModule, TownshipsModule],
  // The fixed paths first: `/households/import` or `/households/door-plates` must not be read as `/households/:id`.
  controllers: [
    HouseholdSheetsController,
    DoorPlateController,
    HouseholdsApiController,
    HouseholdsController,
  ],
  providers: [
    DoorPlateBadges,
    HouseholdsService,
    HouseholdSheetsService,
    HouseholdMembersService,
    HouseholdProxiesService,
  ],
  exports: [DoorPlateBadges, HouseholdsService, HouseholdProxiesService, HouseholdMembersService],
})
export class HouseholdsModule {}

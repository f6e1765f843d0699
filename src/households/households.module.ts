import { Module } from '@nestjs/common';
import { VillagesModule } from '../villages/villages.module.js';
import { HouseholdMembersService } from './household-members.service.js';
import { HouseholdSheetsController } from './household-sheets.controller.js';
import { HouseholdSheetsService } from './household-sheets.service.js';
import { HouseholdsApiController } from './households.api.controller.js';
import { HouseholdsController } from './households.controller.js';
import { HouseholdsService } from './households.service.js';

@Module({
  imports: [VillagesModule],
  // The spreadsheet routes first: `/households/import` must not be read as `/households/:id`.
  controllers: [HouseholdSheetsController, HouseholdsApiController, HouseholdsController],
  providers: [HouseholdsService, HouseholdSheetsService, HouseholdMembersService],
  exports: [HouseholdsService],
})
export class HouseholdsModule {}

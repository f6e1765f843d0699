import { Module } from '@nestjs/common';
import { GridsModule } from '../grids/grids.module.js';
import { HouseholdsModule } from '../households/households.module.js';
import { RulesModule } from '../rules/rules.module.js';
import { ScoringModule } from '../scoring/scoring.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { InspectionsController } from './inspections.controller.js';
import { InspectionsApiController } from './inspections.api.controller.js';
import { InspectionsService } from './inspections.service.js';

/** 入户检查 (issue 21): rounds of visits against a rule category's checklist, submitted as PENDING records. */
@Module({
  imports: [GridsModule, HouseholdsModule, RulesModule, ScoringModule, VillagesModule],
  controllers: [InspectionsApiController, InspectionsController],
  providers: [InspectionsService],
  exports: [InspectionsService],
})
export class InspectionsModule {}

import { Module } from '@nestjs/common';
import { HouseholdsModule } from '../households/households.module.js';
import { NoticesModule } from '../notices/notices.module.js';
import { RulesModule } from '../rules/rules.module.js';
import { ScoringModule } from '../scoring/scoring.module.js';
import { UsersModule } from '../users/users.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { GridAffairsController } from './grid-affairs.controller.js';
import { GridAffairsService } from './grid-affairs.service.js';
import { GridsApiController } from './grids.api.controller.js';
import { GridsService } from './grids.service.js';

/** 网格 and 网格事务 (issue 21): grids of households with their 网格员, and matters reported, screened, dispatched, handled. */
@Module({
  imports: [HouseholdsModule, NoticesModule, RulesModule, ScoringModule, UsersModule, VillagesModule],
  controllers: [GridsApiController, GridAffairsController],
  providers: [GridsService, GridAffairsService],
  exports: [GridsService, GridAffairsService],
})
export class GridsModule {}

import { Module } from '@nestjs/common';
import { HouseholdsModule } from '../households/households.module.js';
import { RankingsModule } from '../rankings/rankings.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { CreditGradesApiController } from './credit-grades.api.controller.js';
import { CreditGradesController } from './credit-grades.controller.js';
import { CreditGradesService } from './credit-grades.service.js';

/** 信用户评定 and 信用村: grade rules, a year's grades, their 公示 and objections, the township's filing. */
@Module({
  imports: [HouseholdsModule, RankingsModule, VillagesModule],
  controllers: [CreditGradesApiController, CreditGradesController],
  providers: [CreditGradesService],
  exports: [CreditGradesService],
})
export class CreditModule {}

import { Module } from '@nestjs/common';
import { HouseholdsModule } from '../households/households.module.js';
import { RulesModule } from '../rules/rules.module.js';
import { ScoringModule } from '../scoring/scoring.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { VolunteeringApiController } from './volunteering.api.controller.js';
import { VolunteeringController } from './volunteering.controller.js';
import { VolunteeringService } from './volunteering.service.js';

/** 志愿服务活动 (issue 21.3): activities, sign-ups and attendance; closing one records points through scoring. */
@Module({
  imports: [HouseholdsModule, RulesModule, ScoringModule, VillagesModule],
  controllers: [VolunteeringApiController, VolunteeringController],
  providers: [VolunteeringService],
  exports: [VolunteeringService],
})
export class VolunteeringModule {}

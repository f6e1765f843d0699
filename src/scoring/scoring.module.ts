import { Module } from '@nestjs/common';
import { HouseholdsModule } from '../households/households.module.js';
import { RulesModule } from '../rules/rules.module.js';
import { UsersModule } from '../users/users.module.js';
import { ScoringSettingsModule } from './scoring-settings.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { EvidenceStore } from './evidence.store.js';
import { ScoringController } from './scoring.controller.js';
import { ScoringApiController } from './scoring.api.controller.js';
import { ScoringService } from './scoring.service.js';
import { CouncilApiController } from './council.api.controller.js';
import { CouncilController } from './council.controller.js';
import { CouncilService } from './council.service.js';

@Module({
  imports: [RulesModule, HouseholdsModule, VillagesModule, UsersModule, ScoringSettingsModule],
  controllers: [ScoringApiController, ScoringController, CouncilApiController, CouncilController],
  providers: [ScoringService, CouncilService, EvidenceStore],
  exports: [ScoringService, CouncilService, EvidenceStore, ScoringSettingsModule],
})
export class ScoringModule {}

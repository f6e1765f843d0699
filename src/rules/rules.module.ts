import { Module } from '@nestjs/common';
import { TownshipsModule } from '../townships/townships.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { RulesApiController } from './rules.api.controller.js';
import { RulesController } from './rules.controller.js';
import { RuleRevisionsApiController } from './rule-revisions.api.controller.js';
import { RuleRevisionsController } from './rule-revisions.controller.js';
import { RuleRevisionsService } from './rule-revisions.service.js';
import { RulesService } from './rules.service.js';

@Module({
  imports: [VillagesModule, TownshipsModule],
  controllers: [RulesApiController, RulesController, RuleRevisionsApiController, RuleRevisionsController],
  providers: [RulesService, RuleRevisionsService],
  exports: [RulesService, RuleRevisionsService],
})
export class RulesModule {}

import { Module } from '@nestjs/common';
import { TownshipsModule } from '../townships/townships.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { RulesApiController } from './rules.api.controller.js';
import { RulesController } from './rules.controller.js';
import { RulesService } from './rules.service.js';

@Module({
  imports: [VillagesModule, TownshipsModule],
  controllers: [RulesApiController, RulesController],
  providers: [RulesService],
  exports: [RulesService],
})
export class RulesModule {}

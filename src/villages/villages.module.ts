import { Module } from '@nestjs/common';
import { RankingSettingsModule } from '../rankings/ranking-settings.module.js';
import { ScoringSettingsModule } from '../scoring/scoring-settings.module.js';
import { SupermarketSettingsModule } from '../supermarket/supermarket-settings.module.js';
import { TownshipsModule } from '../townships/townships.module.js';
import { VillagesApiController } from './villages.api.controller.js';
import { VillagesController } from './villages.controller.js';
import { VillagesPresenter } from './villages.presenter.js';
import { VillagesService } from './villages.service.js';

@Module({
  imports: [TownshipsModule, ScoringSettingsModule, SupermarketSettingsModule, RankingSettingsModule],
  controllers: [VillagesApiController, VillagesController],
  providers: [VillagesService, VillagesPresenter],
  exports: [VillagesService],
})
export class VillagesModule {}

import { Module } from '@nestjs/common';
import { TownshipsModule } from '../townships/townships.module.js';
import { VillagesApiController } from './villages.api.controller.js';
import { VillagesController } from './villages.controller.js';
import { VillagesPresenter } from './villages.presenter.js';
import { VillagesService } from './villages.service.js';

@Module({
  imports: [TownshipsModule],
  controllers: [VillagesApiController, VillagesController],
  providers: [VillagesService, VillagesPresenter],
  exports: [VillagesService],
})
export class VillagesModule {}

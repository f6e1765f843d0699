import { Module } from '@nestjs/common';
import { VillagesModule } from '../villages/villages.module.js';
import { HouseholdsApiController } from './households.api.controller.js';
import { HouseholdsController } from './households.controller.js';
import { HouseholdsService } from './households.service.js';

@Module({
  imports: [VillagesModule],
  controllers: [HouseholdsApiController, HouseholdsController],
  providers: [HouseholdsService],
  exports: [HouseholdsService],
})
export class HouseholdsModule {}

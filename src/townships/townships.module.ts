import { Module } from '@nestjs/common';
import { TownshipsApiController } from './townships.api.controller.js';
import { TownshipsController } from './townships.controller.js';
import { TownshipsService } from './townships.service.js';

@Module({
  controllers: [TownshipsApiController, TownshipsController],
  providers: [TownshipsService],
  exports: [TownshipsService],
})
export class TownshipsModule {}

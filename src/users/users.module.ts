import { Module } from '@nestjs/common';
import { HouseholdsModule } from '../households/households.module.js';
import { TownshipsModule } from '../townships/townships.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { UsersApiController } from './users.api.controller.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [TownshipsModule, VillagesModule, HouseholdsModule],
  controllers: [UsersApiController, UsersController],
  providers: [UsersService],
  exports: [UsersService],
})
export class UsersModule {}

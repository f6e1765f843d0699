import { Module } from '@nestjs/common';
import { VillagerController } from './villager.controller.js';

@Module({ controllers: [VillagerController] })
export class VillagerModule {}

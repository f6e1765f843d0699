import { Module } from '@nestjs/common';
import { TownshipController } from './township.controller.js';
import { TownshipService } from './township.service.js';

/** 乡镇总览: villages side by side, charts, fairness signals. */
@Module({ controllers: [TownshipController], providers: [TownshipService], exports: [TownshipService] })
export class TownshipModule {}

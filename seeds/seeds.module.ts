import { Module } from '@nestjs/common';
import { SeedsService } from './seeds.service.js';

@Module({ providers: [SeedsService] })
export class SeedsModule {}

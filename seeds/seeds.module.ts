import { Module } from '@nestjs/common';
import { SupermarketModule } from '../src/supermarket/supermarket.module.js';
import { SeedsService } from './seeds.service.js';

@Module({ imports: [SupermarketModule], providers: [SeedsService] })
export class SeedsModule {}

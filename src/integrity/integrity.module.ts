import { Module } from '@nestjs/common';
import { SupermarketModule } from '../supermarket/supermarket.module.js';
import { IntegrityService } from './integrity.service.js';

@Module({ imports: [SupermarketModule], providers: [IntegrityService], exports: [IntegrityService] })
export class IntegrityModule {}

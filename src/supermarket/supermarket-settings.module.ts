import { Module } from '@nestjs/common';
import { SupermarketSettingsService } from './supermarket-settings.service.js';

/** The supermarket's village settings, apart from the rest of it: the village list (below it) asks them too. */
@Module({ providers: [SupermarketSettingsService], exports: [SupermarketSettingsService] })
export class SupermarketSettingsModule {}

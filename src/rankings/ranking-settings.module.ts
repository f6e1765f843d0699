import { Module } from '@nestjs/common';
import { RankingSettingsService } from './ranking-settings.service.js';

/** Rankings' village settings, apart from the rest of rankings: the village list (below it) asks them too. */
@Module({ providers: [RankingSettingsService], exports: [RankingSettingsService] })
export class RankingSettingsModule {}

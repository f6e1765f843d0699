import { Module } from '@nestjs/common';
import { ScoringSettingsService } from './scoring-settings.service.js';

/** Scoring's village settings, apart from the rest of scoring: the village pages (below scoring) ask them too. */
@Module({ providers: [ScoringSettingsService], exports: [ScoringSettingsService] })
export class ScoringSettingsModule {}

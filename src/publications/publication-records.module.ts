import { Module } from '@nestjs/common';
import { HouseholdsModule } from '../households/households.module.js';
import { RulesModule } from '../rules/rules.module.js';
import { ScoringModule } from '../scoring/scoring.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { PublicationsService } from './publications.service.js';

/**
 * 公示's service alone, without its pages: the supervision committee's opinions hold and release records through it,
 * and the supermarket's pages (which the public board reads, so they sit below PublicationsModule) show opinions.
 */
@Module({
  imports: [ScoringModule, RulesModule, HouseholdsModule, VillagesModule],
  providers: [PublicationsService],
  exports: [PublicationsService],
})
export class PublicationRecordsModule {}

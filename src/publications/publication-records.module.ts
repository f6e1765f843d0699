import { Module } from '@nestjs/common';
import { ScoringModule } from '../scoring/scoring.module.js';
import { PublicationsService } from './publications.service.js';

/**
 * 公示's service alone, without its pages: the supervision committee's opinions hold and release records through it,
 * and the supermarket's pages (which the public board reads, so they sit below PublicationsModule) show opinions.
 */
@Module({
  imports: [ScoringModule],
  providers: [PublicationsService],
  exports: [PublicationsService],
})
export class PublicationRecordsModule {}

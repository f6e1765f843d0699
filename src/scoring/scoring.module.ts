import { Module } from '@nestjs/common';
import { EvidenceStore } from './evidence.store.js';
import { ScoringApiController } from './scoring.api.controller.js';
import { ScoringService } from './scoring.service.js';

@Module({
  controllers: [ScoringApiController],
  providers: [ScoringService, EvidenceStore],
  exports: [ScoringService, EvidenceStore],
})
export class ScoringModule {}

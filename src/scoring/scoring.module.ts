import { Module } from '@nestjs/common';
import { ScoringApiController } from './scoring.api.controller.js';
import { ScoringService } from './scoring.service.js';

@Module({ controllers: [ScoringApiController], providers: [ScoringService], exports: [ScoringService] })
export class ScoringModule {}

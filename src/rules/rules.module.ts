import { Module } from '@nestjs/common';
import { RulesApiController } from './rules.api.controller.js';
import { RulesService } from './rules.service.js';

@Module({ controllers: [RulesApiController], providers: [RulesService], exports: [RulesService] })
export class RulesModule {}

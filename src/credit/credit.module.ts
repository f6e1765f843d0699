import { Module } from '@nestjs/common';
import { CreditGradesService } from './credit-grades.service.js';

@Module({
  providers: [CreditGradesService],
  exports: [CreditGradesService],
})
export class CreditModule {}

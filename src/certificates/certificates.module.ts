import { Module } from '@nestjs/common';
import { CreditModule } from '../credit/credit.module.js';
import { HouseholdsModule } from '../households/households.module.js';
import { RankingsModule } from '../rankings/rankings.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { CertificatesController } from './certificates.controller.js';
import { CertificatesService } from './certificates.service.js';

/** 积分证明 for 积分贷. */
@Module({
  imports: [RankingsModule, HouseholdsModule, VillagesModule, CreditModule],
  controllers: [CertificatesController],
  providers: [CertificatesService],
  exports: [CertificatesService],
})
export class CertificatesModule {}

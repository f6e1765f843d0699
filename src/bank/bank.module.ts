import { Module } from '@nestjs/common';
import { CertificatesModule } from '../certificates/certificates.module.js';
import { CreditModule } from '../credit/credit.module.js';
import { HouseholdsModule } from '../households/households.module.js';
import { RankingsModule } from '../rankings/rankings.module.js';
import { VillagesModule } from '../villages/villages.module.js';
import { BankApiController } from './bank.api.controller.js';
import { BankController } from './bank.controller.js';
import { BankLookupsService } from './bank-lookups.service.js';
import { ConsentCodesService } from './consent-codes.service.js';

/**
 * 银行授权查询 (issue 22, point 3): consent codes, the loan officer's look-ups and outcomes. Above certificates,
 * credit grades, rankings (stars), households and villages; the villager page and the township's dashboard use it.
 */
@Module({
  imports: [CertificatesModule, CreditModule, HouseholdsModule, RankingsModule, VillagesModule],
  controllers: [BankController, BankApiController],
  providers: [ConsentCodesService, BankLookupsService],
  exports: [ConsentCodesService, BankLookupsService],
})
export class BankModule {}

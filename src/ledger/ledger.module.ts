import { Global, Module } from '@nestjs/common';
import { RankingsModule } from '../rankings/rankings.module.js';
import { LedgerApiController } from './ledger.api.controller.js';
import { PassbookController } from './passbook.controller.js';
import { LedgerService } from './ledger.service.js';
import { PassbookService } from './passbook.service.js';

/** Global: scoring, the supermarket and imports all move points through the one LedgerService. */
@Global()
@Module({
  imports: [RankingsModule],
  controllers: [LedgerApiController, PassbookController],
  providers: [LedgerService, PassbookService],
  exports: [LedgerService, PassbookService],
})
export class LedgerModule {}

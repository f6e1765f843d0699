import { Global, Module } from '@nestjs/common';
import { LedgerService } from './ledger.service.js';

/** Global: scoring, the supermarket and imports all move points through the one LedgerService. */
@Global()
@Module({
  providers: [LedgerService],
  exports: [LedgerService],
})
export class LedgerModule {}

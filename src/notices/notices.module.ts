import { Global, Module } from '@nestjs/common';
import { NOTICE_SENDERS } from './notice-senders.js';
import { NoticesScheduler } from './notices.scheduler.js';
import { NoticesService } from './notices.service.js';

/**
 * Notices to households: global, like the audit log, since every feature whose events reach a household writes them.
 * `NOTICE_SENDERS` is empty: an operator with an SMS or WeChat provider replaces it (README, 通知).
 */
@Global()
@Module({
  providers: [NoticesService, NoticesScheduler, { provide: NOTICE_SENDERS, useValue: [] }],
  exports: [NoticesService],
})
export class NoticesModule {}

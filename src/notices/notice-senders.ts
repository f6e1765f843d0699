import { Logger } from '@nestjs/common';
import type { NoticeChannel } from './notice-delivery.entity.js';

/** What a sender gets: the notice id doubles as the idempotency key for a provider that accepts one. */
export interface OutgoingNotice {
  id: number;
  householdId: number;
  kind: string;
  text: string;
}

/**
 * A way out to the household besides the app (SMS, WeChat). An operator who has a provider implements `send` (throw
 * to have it tried again later) and lists the sender in `NOTICE_SENDERS`. None is called by default.
 */
export interface NoticeSender {
  readonly channel: Exclude<NoticeChannel, 'IN_APP' | 'PRINT'>;
  send(notice: OutgoingNotice): Promise<void>;
}

/** Nest token for the list of senders in use (empty unless an operator provides some). */
export const NOTICE_SENDERS = Symbol('NOTICE_SENDERS');

/** The shape of an SMS sender: it only writes to the log. For trying the outbox out; never wired in by default. */
export class LoggingSmsSender implements NoticeSender {
  readonly channel = 'SMS' as const;
  private readonly logger = new Logger('LoggingSmsSender');

  async send(notice: OutgoingNotice): Promise<void> {
    this.logger.log(`短信（未发送，仅记录）→ 农户 ${notice.householdId}：${notice.text}`);
  }
}

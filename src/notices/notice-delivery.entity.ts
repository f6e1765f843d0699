import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * IN_APP: the app itself (the notice list). PRINT: the monthly statement slip (积分对账单) a group leader hands out,
 * delivered when the committee marks the printed slips handed out. Other channels are senders an operator adds
 * (notice-senders.ts).
 */
export type NoticeChannel = 'IN_APP' | 'PRINT' | 'SMS' | 'WECHAT';
export type DeliveryStatus = 'PENDING' | 'SENDING' | 'SENT' | 'FAILED';

/**
 * The outbox: one row per notice and channel. IN_APP is delivered when the notice is written; a row for a channel
 * with a sender waits PENDING until the scheduler hands it over, and a failed hand-over is tried again later on the
 * same row (never a second notice).
 */
@Entity('notice_delivery')
@Index(['noticeId', 'channel'], { unique: true })
@Index(['status', 'nextTryAt'])
export class NoticeDelivery {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  noticeId: number;

  @Column({ type: 'varchar', length: 10 })
  channel: NoticeChannel;

  @Column({ type: 'varchar', length: 10 })
  status: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** PENDING: not before then. SENDING: the claim lapses then (a server that died while sending). */
  @Column({ type: Date, nullable: true })
  nextTryAt: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  lastError: string | null;

  @Column({ type: Date, nullable: true })
  sentAt: Date | null;
}

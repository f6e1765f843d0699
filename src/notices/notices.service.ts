import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { Clock } from '../common/clock.js';
import { NoticeDelivery } from './notice-delivery.entity.js';
import { NOTICE_SENDERS, type NoticeSender } from './notice-senders.js';
import { Notice, type NoticeKind } from './notice.entity.js';

export interface NewNotice {
  villageId: number;
  householdId: number;
  kind: NoticeKind;
  text: string;
  /** The event: the same key twice gives one notice. */
  eventKey: string;
}

/** How many notices the household's list shows (newest first); older ones stay in the table. */
export const NOTICE_LIST_SIZE = 50;
/** A delivery failing this many times stays FAILED (the operator sees it in the log). */
export const MAX_ATTEMPTS = 6;
/** How long a server may hold a delivery it is sending before another may take it over. */
const CLAIM_MS = 5 * 60_000;

/**
 * Notices to households (issue 10). Features write them with `add`, inside the transaction of the event, so a notice
 * exists exactly when its event happened; the app shows them at once (IN_APP) and the outbox hands them to any other
 * channel an operator added, with retries.
 */
@Injectable()
export class NoticesService {
  private readonly logger = new Logger(NoticesService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Optional() @Inject(NOTICE_SENDERS) private readonly senders: NoticeSender[] = [],
  ) {}

  /** Writes the notices not written before (by event key) and their deliveries, in the caller's transaction. */
  async add(manager: EntityManager, notices: NewNotice[]): Promise<void> {
    if (notices.length === 0) return;
    const now = this.clock.now();
    for (let start = 0; start < notices.length; start += 200) {
      const chunk = notices.slice(start, start + 200);
      await manager
        .createQueryBuilder()
        .insert()
        .into(Notice)
        .values(chunk.map((n) => ({ ...n, text: n.text.slice(0, 300), createdAt: now, readAt: null })))
        .orIgnore()
        .execute();
      const noticeIds = await manager.find(Notice, {
        where: { eventKey: In(chunk.map((n) => n.eventKey)) },
        select: { id: true },
      });
      const channels = [
        { channel: 'IN_APP' as const, status: 'SENT' as const, nextTryAt: null, sentAt: now },
        // On paper: waits for the next slip the committee prints and marks handed out.
        { channel: 'PRINT' as const, status: 'PENDING' as const, nextTryAt: null, sentAt: null },
        ...this.senders.map((s) => ({
          channel: s.channel,
          status: 'PENDING' as const,
          nextTryAt: now,
          sentAt: null,
        })),
      ];
      await manager
        .createQueryBuilder()
        .insert()
        .into(NoticeDelivery)
        .values(noticeIds.flatMap(({ id }) => channels.map((c) => ({ noticeId: id, attempts: 0, ...c }))))
        .orIgnore()
        .execute();
    }
  }

  /** True when the notice of this event was written. */
  async exists(eventKey: string): Promise<boolean> {
    return this.dataSource.getRepository(Notice).existsBy({ eventKey });
  }

  async list(householdId: number, limit = NOTICE_LIST_SIZE): Promise<Notice[]> {
    return this.dataSource
      .getRepository(Notice)
      .find({ where: { householdId }, order: { id: 'DESC' }, take: limit });
  }

  async unread(householdId: number): Promise<number> {
    return this.dataSource.getRepository(Notice).countBy({ householdId, readAt: IsNull() });
  }

  /** Marks the household's own unread notices read (others' ids are ignored), in the caller's transaction. */
  async markRead(manager: EntityManager, householdId: number, ids: number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const marked = await manager.find(Notice, {
      where: { householdId, id: In(ids), readAt: IsNull() },
      select: { id: true },
    });
    if (marked.length > 0)
      await manager.update(Notice, { id: In(marked.map((n) => n.id)) }, { readAt: this.clock.now() });
    return marked.map((n) => n.id);
  }

  /**
   * The printed slips were handed out: every PRINT delivery still waiting for these households' unread notices is
   * delivered. Answers how many; a second time, none.
   */
  async markPrinted(manager: EntityManager, householdIds: number[]): Promise<number> {
    let marked = 0;
    for (let start = 0; start < householdIds.length; start += 500) {
      const notices = await manager.find(Notice, {
        where: { householdId: In(householdIds.slice(start, start + 500)), readAt: IsNull() },
        select: { id: true },
      });
      for (let i = 0; i < notices.length; i += 500) {
        const result = await manager.update(
          NoticeDelivery,
          { noticeId: In(notices.slice(i, i + 500).map((n) => n.id)), channel: 'PRINT', status: 'PENDING' },
          { status: 'SENT', sentAt: this.clock.now() },
        );
        marked += result.affected ?? 0;
      }
    }
    return marked;
  }

  /** The unread notices of many households at once (the printed slips). */
  async unreadOf(householdIds: number[]): Promise<Map<number, Notice[]>> {
    const out = new Map<number, Notice[]>();
    for (let start = 0; start < householdIds.length; start += 500) {
      const rows = await this.dataSource.getRepository(Notice).find({
        where: { householdId: In(householdIds.slice(start, start + 500)), readAt: IsNull() },
        order: { id: 'ASC' },
      });
      for (const n of rows) out.set(n.householdId, [...(out.get(n.householdId) ?? []), n]);
    }
    return out;
  }

  /**
   * Hands due deliveries to their senders, each claimed first with a guarded update so two servers never send the same
   * one at once; a failure is tried again later (1, 2, 4 … minutes) on the same row. Answers how many were sent.
   */
  async deliverDue(): Promise<number> {
    if (this.senders.length === 0) return 0;
    const now = this.clock.now();
    const due = await this.dataSource.getRepository(NoticeDelivery).find({
      where: { status: In(['PENDING', 'SENDING']), channel: In(this.senders.map((s) => s.channel)) },
      order: { id: 'ASC' },
      take: 100,
    });
    let sent = 0;
    for (const delivery of due) {
      if (delivery.nextTryAt && delivery.nextTryAt > now) continue;
      const claimed = await this.dataSource.getRepository(NoticeDelivery).update(
        { id: delivery.id, status: delivery.status, attempts: delivery.attempts },
        {
          status: 'SENDING',
          attempts: delivery.attempts + 1,
          nextTryAt: new Date(now.getTime() + CLAIM_MS),
        },
      );
      if (claimed.affected !== 1) continue;
      const sender = this.senders.find((s) => s.channel === delivery.channel) as NoticeSender;
      const notice = await this.dataSource.getRepository(Notice).findOneByOrFail({ id: delivery.noticeId });
      try {
        await sender.send({
          id: notice.id,
          householdId: notice.householdId,
          kind: notice.kind,
          text: notice.text,
        });
        await this.dataSource
          .getRepository(NoticeDelivery)
          .update(
            { id: delivery.id },
            { status: 'SENT', sentAt: this.clock.now(), nextTryAt: null, lastError: null },
          );
        sent++;
      } catch (error) {
        const attempts = delivery.attempts + 1;
        const failed = attempts >= MAX_ATTEMPTS;
        this.logger.warn(
          `通知 ${notice.id} 经 ${delivery.channel} 发送失败（第 ${attempts} 次）：${String(error)}`,
        );
        await this.dataSource.getRepository(NoticeDelivery).update(
          { id: delivery.id },
          {
            status: failed ? 'FAILED' : 'PENDING',
            nextTryAt: failed ? null : new Date(now.getTime() + 60_000 * 2 ** (attempts - 1)),
            lastError: String(error).slice(0, 200),
          },
        );
      }
    }
    return sent;
  }
}

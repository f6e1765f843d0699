import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { CacheScope, ReadCache } from './read-cache.js';

/** The PostgreSQL channel on which every server process announces the villages its committed writes changed. */
export const CHANNEL = 'village_changes';
/** More ids than this in one message (a NOTIFY payload holds under 8,000 bytes): "everything changed" is sent. */
const MAX_IDS = 500;

interface Message {
  from: string;
  villageIds: number[];
  townshipIds: number[];
  everything: boolean;
}

/**
 * Villages and townships changed by committed units of work (Transactions reports them once each transaction has
 * ended). This process's read cache hears of them at once; on PostgreSQL the other server processes hear of them
 * through LISTEN/NOTIFY on a connection of their own, a few milliseconds after the commit. While that connection is
 * down, the read cache keeps nothing (another process's write could go unseen).
 */
@Injectable()
export class VillageChanges implements OnModuleInit, OnApplicationShutdown {
  private readonly id = randomUUID();
  private readonly postgres: boolean;
  private client: pg.Client | null = null;
  private closed = false;
  private outgoing: Message | null = null;
  private sending: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: ReadCache,
  ) {
    this.postgres = dataSource.options.type === 'postgres';
    if (this.postgres) cache.keep(false);
  }

  async onModuleInit(): Promise<void> {
    if (this.postgres) await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    this.flush();
    await this.sending;
    await this.client?.end().catch(() => undefined);
  }

  /** Committed changes (called by Transactions after the transaction has ended; no await on the write's path). */
  published(scopes: readonly CacheScope[]): void {
    for (const scope of scopes) this.cache.written(scope);
    if (!this.postgres) return;
    // Gathered while the event loop turns, then one NOTIFY for all of them.
    if (!this.outgoing) {
      this.outgoing = { from: this.id, villageIds: [], townshipIds: [], everything: false };
      setImmediate(() => this.flush());
    }
    const message = this.outgoing;
    for (const scope of scopes) {
      const villageIds = scope.villageIds ?? [];
      const townshipIds = villageIds.length > 0 ? [] : (scope.townshipIds ?? []);
      message.villageIds.push(...villageIds);
      message.townshipIds.push(...townshipIds);
      message.everything ||= villageIds.length === 0 && townshipIds.length === 0;
    }
  }

  private flush(): void {
    const message = this.outgoing;
    this.outgoing = null;
    if (!message) return;
    if (message.villageIds.length + message.townshipIds.length > MAX_IDS)
      Object.assign(message, { villageIds: [], townshipIds: [], everything: true });
    const payload = JSON.stringify({
      ...message,
      villageIds: [...new Set(message.villageIds)],
      townshipIds: [...new Set(message.townshipIds)],
    });
    // Sent on this process's pooled connections, not the listening one: they are up whenever the write could commit.
    this.sending = this.sending
      .then(() => this.dataSource.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]))
      .catch((error: unknown) => this.warn('发送失败', error));
  }

  private async listen(): Promise<void> {
    const options = this.dataSource.options as { url?: string };
    const client = new pg.Client({ connectionString: options.url });
    client.on('notification', (note) => {
      if (note.channel !== CHANNEL || !note.payload) return;
      const message = JSON.parse(note.payload) as Message;
      if (message.from === this.id) return;
      this.cache.written(message.everything ? {} : message);
    });
    let gone = false;
    const lost = (error?: unknown) => {
      if (gone) return;
      gone = true;
      if (error) this.warn('监听中断', error);
      this.lost(client);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      lost(error);
      return;
    }
    this.client = client;
    this.cache.keep(true);
  }

  /** Nothing is kept while changes could go unheard; listening again starts a second later. */
  private lost(client: pg.Client): void {
    this.client = null;
    this.cache.keep(false);
    client.end().catch(() => undefined);
    if (this.closed) return;
    setTimeout(() => {
      if (!this.closed) void this.listen();
    }, 1000).unref();
  }

  private warn(what: string, error: unknown): void {
    if (this.closed) return;
    new Logger('缓存失效通知').warn(`${what}：${error instanceof Error ? error.message : String(error)}`);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The villages and townships whose writes make a cached read stale. */
export interface CacheScope {
  villageIds?: readonly number[];
  townshipIds?: readonly number[];
}

/** What a village's kept reads depend on: its own writes and its township's. */
export const villageScope = (village: { id: number; townshipId: number }): CacheScope => ({
  villageIds: [village.id],
  townshipIds: [village.townshipId],
});

interface Entry {
  value: unknown;
  stamp: string;
  expires: number;
}

/**
 * What a page works out from a kept read (a ranking's rendered rows, a dashboard's charts), once per kept value: the
 * read cache hands out the same object until a write, and the derived value goes when the cache drops the object.
 */
export function derivedOnce<K extends object, V>(derive: (kept: K) => V): (kept: K) => V {
  const derived = new WeakMap<K, V>();
  return (kept) => {
    let value = derived.get(kept);
    if (value === undefined) derived.set(kept, (value = derive(kept)));
    return value;
  };
}

/** How many reads are kept at most (each a ranking, a board or a dashboard: tens of kilobytes). */
const MAX_ENTRIES = 400;
/**
 * PostgreSQL may have other server processes writing, whose writes this process does not see happen: a kept read
 * is used for at most this long there. On SQLite there is one process, and it sees every write.
 */
const POSTGRES_TTL_MS = 10_000;

/**
 * Reads that many people open and few writes change (a village's ranking, its public board, a township's
 * dashboard), kept in memory and used again until a write in their scope. A write marks its village and township
 * when it is audited (every write by a person is) and when it touches the ledger; the mark is made again when the
 * write's transaction ends, so a read that ran while the write was still uncommitted is never kept past it.
 */
@Injectable()
export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, { stamp: string; promise: Promise<unknown> }>();
  private readonly villages = new Map<number, number>();
  private readonly townships = new Map<number, number>();
  private everything = 0;
  private readonly ttl: number;
  /** Scopes written by transactions still open: marked again when they end. */
  private openWrites = 0;
  private readonly dirty: { villages: Set<number>; townships: Set<number>; everything: boolean } = {
    villages: new Set(),
    townships: new Set(),
    everything: false,
  };

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.ttl = dataSource.options.type === 'postgres' ? POSTGRES_TTL_MS : Number.POSITIVE_INFINITY;
  }

  /** The kept value of `key`, or `load()`'s, kept while nothing in `scope` is written. */
  async get<T>(key: string, scope: CacheScope, load: () => Promise<T>): Promise<T> {
    const stamp = this.stamp(scope);
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp && hit.expires > Date.now()) {
      this.entries.delete(key); // most recently used last
      this.entries.set(key, hit);
      return hit.value as T;
    }
    // Many people opening the same page at once wait for one load.
    const pending = this.loading.get(key);
    if (pending && pending.stamp === stamp) return pending.promise as Promise<T>;
    const promise = load();
    this.loading.set(key, { stamp, promise });
    try {
      const value = await promise;
      // Written while it loaded: the value may be older than the write; it is returned but not kept.
      if (this.stamp(scope) === stamp) {
        this.entries.delete(key);
        this.entries.set(key, { value, stamp, expires: Date.now() + this.ttl });
        if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
      }
      return value;
    } finally {
      if (this.loading.get(key)?.promise === promise) this.loading.delete(key);
    }
  }

  /**
   * A write in these villages; or, naming no village, in these townships (their own rows: every read of one of
   * their villages depends on them); or, naming neither, a write that may touch anything.
   */
  written(scope: CacheScope): void {
    const villageIds = scope.villageIds ?? [];
    const townshipIds = villageIds.length > 0 ? [] : (scope.townshipIds ?? []);
    const everything = villageIds.length === 0 && townshipIds.length === 0;
    this.mark(villageIds, townshipIds, everything);
    if (this.openWrites > 0) {
      villageIds.forEach((id) => this.dirty.villages.add(id));
      townshipIds.forEach((id) => this.dirty.townships.add(id));
      this.dirty.everything ||= everything;
    }
  }

  /** Forgets everything kept: for a database changed behind the app's back (a test's direct SQL). */
  clear(): void {
    this.entries.clear();
    this.everything++;
  }

  /** Transactions tell the cache when one starts and ends (committed or not). */
  transactionStarted(): void {
    this.openWrites++;
  }

  transactionEnded(): void {
    this.openWrites--;
    const { villages, townships, everything } = this.dirty;
    this.mark([...villages], [...townships], everything);
    if (this.openWrites === 0) {
      villages.clear();
      townships.clear();
      this.dirty.everything = false;
    }
  }

  private mark(villageIds: readonly number[], townshipIds: readonly number[], everything: boolean) {
    if (everything) this.everything++;
    for (const id of villageIds) this.villages.set(id, (this.villages.get(id) ?? 0) + 1);
    for (const id of townshipIds) this.townships.set(id, (this.townships.get(id) ?? 0) + 1);
  }

  private stamp(scope: CacheScope): string {
    let stamp = String(this.everything);
    for (const id of scope.villageIds ?? []) stamp += `v${this.villages.get(id) ?? 0}`;
    for (const id of scope.townshipIds ?? []) stamp += `t${this.townships.get(id) ?? 0}`;
    return stamp;
  }
}

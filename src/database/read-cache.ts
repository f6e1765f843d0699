import { Injectable } from '@nestjs/common';

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

/** A village's scope, or its township's when no village is named, or everything when neither is. */
export const scopeOf = (villageId?: number | null, townshipId?: number | null): CacheScope => ({
  villageIds: villageId ? [villageId] : [],
  townshipIds: townshipId ? [townshipId] : [],
});

interface Entry {
  value: unknown;
  stamp: string;
  scope: CacheScope;
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
 * Reads that many people open and few writes change (a village's ranking, its public board, a township's
 * dashboard), kept in memory and used again until a write in their scope. The unit of work that wrote says which
 * villages it changed (`Transactions.changed`); VillageChanges marks them here once its transaction has ended
 * (so a read that ran while the write was still uncommitted is never kept past it), and brings the marks of other
 * server processes on PostgreSQL.
 */
@Injectable()
export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, { stamp: string; promise: Promise<unknown> }>();
  private readonly villages = new Map<number, number>();
  private readonly townships = new Map<number, number>();
  private everything = 0;
  /** Off while another process's writes could go unheard (PostgreSQL, its change feed not listening). */
  private keeping = true;

  /** The kept value of `key`, or `load()`'s, kept while nothing in `scope` is written. */
  async get<T>(key: string, scope: CacheScope, load: () => Promise<T>): Promise<T> {
    const stamp = this.stamp(scope);
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp) {
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
      this.keepAt(key, scope, stamp, value);
      return value;
    } finally {
      if (this.loading.get(key)?.promise === promise) this.loading.delete(key);
    }
  }

  /**
   * Where the scope's writes stand now: take it before reading, and give it to `keepAt` with what was read, so that a
   * value read while a write committed is never kept past it.
   */
  stampOf(scope: CacheScope): string {
    return this.stamp(scope);
  }

  /** Keeps a value read under `stamp` (from `stampOf`), unless a write in its scope came since. */
  keepAt(key: string, scope: CacheScope, stamp: string, value: unknown): void {
    if (!this.keeping || this.stamp(scope) !== stamp) return;
    this.entries.delete(key);
    this.entries.set(key, { value, stamp, scope });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** The kept value of `key` if nothing in its scope was written since, without loading anything. */
  peek(key: string): unknown {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.stamp !== this.stamp(hit.scope)) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key); // most recently used last
    this.entries.set(key, hit);
    return hit.value;
  }

  /**
   * A write in these villages; or, naming no village, in these townships (their own rows: every read of one of
   * their villages depends on them); or, naming neither, a write that may touch anything.
   */
  written(scope: CacheScope): void {
    const villageIds = scope.villageIds ?? [];
    const townshipIds = villageIds.length > 0 ? [] : (scope.townshipIds ?? []);
    if (villageIds.length === 0 && townshipIds.length === 0) this.everything++;
    for (const id of villageIds) this.villages.set(id, (this.villages.get(id) ?? 0) + 1);
    for (const id of townshipIds) this.townships.set(id, (this.townships.get(id) ?? 0) + 1);
  }

  /** Forgets everything kept: for a database changed behind the app's back (a test's direct SQL). */
  clear(): void {
    this.entries.clear();
    this.everything++;
  }

  /** Starts or stops keeping reads; either way what is kept (or loading) now is not used again. */
  keep(on: boolean): void {
    this.keeping = on;
    this.clear();
  }

  private stamp(scope: CacheScope): string {
    let stamp = String(this.everything);
    for (const id of scope.villageIds ?? []) stamp += `v${this.villages.get(id) ?? 0}`;
    for (const id of scope.townshipIds ?? []) stamp += `t${this.townships.get(id) ?? 0}`;
    return stamp;
  }
}

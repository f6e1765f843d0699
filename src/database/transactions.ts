import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { raw } from './raw.js';
import type { CacheScope } from './read-cache.js';
import { VillageChanges } from './village-changes.js';

type Work<T> = (manager: EntityManager) => Promise<T>;

interface Unit {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Units of work that waited while the one before them ran, committed together at most this many at a time. */
const MAX_BATCH = 32;

/**
 * Runs a unit of work in one transaction. On SQLite TypeORM has a single connection, so concurrent transactions
 * would nest as savepoints inside each other (STACK-NOTES): they are queued here, one at a time per process.
 * PostgreSQL gives each transaction its own pooled connection.
 *
 * On SQLite the units that queued up while one ran are then run one after another inside one transaction, each
 * inside its own savepoint (group commit): a unit that fails is rolled back to its savepoint and refused alone, the
 * others commit together and are answered only after that commit. A unit sees the writes of the units before it,
 * exactly as if they had committed one by one. At a counter's rush hour the transaction's BEGIN and COMMIT (and the
 * commit's write to the WAL) were a fifth of a redemption's time.
 */
@Injectable()
export class Transactions {
  private readonly queue: Unit[] = [];
  private draining = false;
  /** What the units of each open transaction said they changed, published when it ends. */
  private readonly changes = new WeakMap<EntityManager, CacheScope[]>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly villageChanges: VillageChanges,
  ) {}

  /**
   * The unit of work running on `manager` changed what is shown of these villages (or, naming no village, of these
   * townships; naming neither, of anything): kept reads of them are read again once its transaction has ended, in
   * this server process and the others. Outside a transaction (the write already committed), at once.
   */
  changed(manager: EntityManager, scope: CacheScope): void {
    const open = this.changes.get(manager);
    if (open) open.push(scope);
    else this.villageChanges.published([scope]);
  }

  /**
   * Reads that must see one consistent moment (the invariant checker, ledger verify) while writes go on: PostgreSQL
   * gives a REPEATABLE READ snapshot without blocking writers; on SQLite the reads take their turn in the queue.
   */
  snapshot<T>(work: Work<T>): Promise<T> {
    if (this.dataSource.options.type === 'postgres')
      return this.dataSource.transaction('REPEATABLE READ', work);
    return this.run(work);
  }

  run<T>(work: Work<T>): Promise<T> {
    if (this.dataSource.options.type === 'postgres') return this.tracked(work);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      // Started after the requests already read from the network have queued their units too.
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.commitTogether(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.draining = false;
    }
  }

  /** One transaction for the batch; each unit in a savepoint, settled once the transaction has ended. */
  private async commitTogether(batch: Unit[]): Promise<void> {
    if (batch.length === 1) {
      const [unit] = batch;
      await this.tracked(unit.work).then(unit.resolve, unit.reject);
      return;
    }
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      await this.tracked(async (manager) => {
        for (const unit of batch) {
          await raw(manager, 'SAVEPOINT unit_of_work', []);
          try {
            outcomes.push({ ok: true, value: await unit.work(manager) });
            await raw(manager, 'RELEASE unit_of_work', []);
          } catch (error) {
            outcomes.push({ ok: false, value: error });
            // Throws when SQLite has already rolled the whole transaction back (a full disk): then nothing of the
            // batch is kept, and every unit is refused below.
            await raw(manager, 'ROLLBACK TO unit_of_work', []);
            await raw(manager, 'RELEASE unit_of_work', []);
          }
        }
      });
    } catch (error) {
      // Nothing was kept: a unit refused on its own keeps its reason, the others get the transaction's.
      batch.forEach((unit, i) => unit.reject(outcomes[i]?.ok === false ? outcomes[i].value : error));
      return;
    }
    batch.forEach((unit, i) => (outcomes[i].ok ? unit.resolve : unit.reject)(outcomes[i].value));
  }

  /**
   * The changes are published when the transaction has ended, committed or not: on SQLite a read made meanwhile on
   * the one connection saw the open transaction's rows, so it must not be kept past the end either way.
   */
  private async tracked<T>(work: Work<T>): Promise<T> {
    const changes: CacheScope[] = [];
    try {
      return await this.dataSource.transaction((manager) => {
        this.changes.set(manager, changes);
        return work(manager);
      });
    } finally {
      if (changes.length > 0) this.villageChanges.published(changes);
    }
  }
}

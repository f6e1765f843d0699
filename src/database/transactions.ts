import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ReadCache } from './read-cache.js';

/**
 * Runs a unit of work in one transaction. On SQLite TypeORM has a single connection, so concurrent transactions
 * would nest as savepoints inside each other (STACK-NOTES): they are queued here, one at a time per process.
 * PostgreSQL gives each transaction its own pooled connection.
 */
@Injectable()
export class Transactions {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: ReadCache,
  ) {}

  /**
   * Reads that must see one consistent moment (the invariant checker, ledger verify) while writes go on: PostgreSQL
   * gives a REPEATABLE READ snapshot without blocking writers; on SQLite the reads take their turn in the queue.
   */
  snapshot<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type === 'postgres')
      return this.dataSource.transaction('REPEATABLE READ', work);
    return this.run(work);
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result =
      this.dataSource.options.type === 'postgres'
        ? this.tracked(work)
        : this.tail.then(() => this.tracked(work));
    if (this.dataSource.options.type !== 'postgres') this.tail = result.catch(() => undefined);
    return result;
  }

  /** The read cache learns when the transaction ends, so that reads made while it was open are not kept. */
  private async tracked<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    this.cache.transactionStarted();
    try {
      return await this.dataSource.transaction(work);
    } finally {
      this.cache.transactionEnded();
    }
  }
}

import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { raw } from './raw.js';
import { ReadCache } from './read-cache.js';
import { Transactions } from './transactions.js';
import { VillageChanges } from './village-changes.js';

describe('transactions on SQLite (units queued together commit together)', () => {
  let dir: string;
  let dataSource: DataSource;
  let transactions: Transactions;
  let cache: ReadCache;
  /** Another connection to the same file: it sees only what has been committed. */
  let outside: Database.Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vp-tx-'));
    const file = join(dir, 'tx.db');
    dataSource = await new DataSource({
      type: 'better-sqlite3',
      database: file,
      enableWAL: true,
    }).initialize();
    await dataSource.query('CREATE TABLE entry (id INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE)');
    cache = new ReadCache();
    transactions = new Transactions(dataSource, new VillageChanges(dataSource, cache));
    outside = new Database(file, { readonly: true });
  });

  afterEach(async () => {
    outside.close();
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (label: string) => (manager: Parameters<Parameters<Transactions['run']>[0]>[0]) =>
    raw(manager, 'INSERT INTO entry (label) VALUES ($1)', [label]);
  const committed = () =>
    (outside.prepare('SELECT label FROM entry ORDER BY id').all() as { label: string }[]).map((r) => r.label);

  it('should refuse only the unit that fails and keep the writes of the others when they queue up together', async () => {
    const results = await Promise.allSettled([
      transactions.run(insert('香皂')),
      transactions.run(async (manager) => {
        await insert('牙膏')(manager);
        throw new Error('库存不足');
      }),
      transactions.run(async (manager) => {
        await insert('毛巾')(manager);
        return raw<{ labels: string }>(manager, 'SELECT group_concat(label) AS labels FROM entry', []);
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('库存不足'));
    // The third unit saw the first one's write and nothing of the refused one.
    expect((results[2] as PromiseFulfilledResult<{ labels: string }[]>).value[0].labels).toBe('香皂,毛巾');
    expect(committed()).toEqual(['香皂', '毛巾']);
  });

  it('should refuse a unit whose statement breaks a constraint without undoing the units before it', async () => {
    const results = await Promise.allSettled([
      transactions.run(insert('食用油')),
      transactions.run(insert('食用油')),
      transactions.run(insert('洗衣粉')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committed()).toEqual(['食用油', '洗衣粉']);
  });

  it('should refuse every unit of the batch and keep nothing when the transaction itself is lost', async () => {
    const results = await Promise.allSettled([
      transactions.run(insert('香皂')),
      // What SQLite does on a full disk: the whole transaction is rolled back under the unit.
      transactions.run(async (manager) => {
        await raw(manager, 'ROLLBACK', []);
        throw new Error('磁盘已满');
      }),
      transactions.run(insert('毛巾')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('磁盘已满'));
    expect(committed()).toEqual([]);
    // The queue goes on with the next units.
    await transactions.run(insert('牙膏'));
    expect(committed()).toEqual(['牙膏']);
  });

  it('should answer each unit only once its write is committed', async () => {
    const labels = ['一', '二', '三'];
    const seenWhenAnswered = await Promise.all(
      labels.map((label) => transactions.run(insert(label)).then(() => committed())),
    );
    labels.forEach((label, i) => expect(seenWhenAnswered[i]).toContain(label));
  });

  it('should commit the units that queued up together in one transaction', async () => {
    const begun = jest.spyOn(dataSource, 'transaction');
    await Promise.all(['一', '二', '三', '四'].map((label) => transactions.run(insert(label))));
    expect(begun).toHaveBeenCalledTimes(1);
    expect(committed()).toEqual(['一', '二', '三', '四']);
  });

  it('should run a unit queued while a batch commits in a later transaction', async () => {
    const first = transactions.run(async (manager) => {
      await insert('a')(manager);
      // Queued from inside a running unit: it cannot join this batch and must not wait for itself.
      void transactions.run(insert('b'));
    });
    await first;
    await transactions.run(async () => undefined);
    expect(committed()).toEqual(['a', 'b']);
  });

  it('should mark what a unit of work changed in the read cache only once its transaction has committed', async () => {
    const { villageIds } = { villageIds: [7] };
    const loads: string[][] = [];
    const read = () =>
      cache.get('board:7', { villageIds }, async () => {
        const labels = committed();
        loads.push(labels);
        return labels;
      });
    await read();
    const seenAtMark: string[][] = [];
    const written = jest.spyOn(cache, 'written').mockImplementation(function (this: ReadCache, scope) {
      seenAtMark.push(committed());
      written.mockRestore();
      cache.written(scope);
    });
    await Promise.all([
      transactions.run(async (manager) => {
        transactions.changed(manager, { villageIds });
        await insert('香皂')(manager);
      }),
      transactions.run(insert('牙膏')), // changes nothing shown: says nothing
    ]);
    expect(seenAtMark).toEqual([['香皂', '牙膏']]);
    expect(await read()).toEqual(['香皂', '牙膏']);
    expect(loads).toHaveLength(2);
  });

  it('should mark what a refused unit said it changed too (a read meanwhile saw its rows on the one connection)', async () => {
    const marked = jest.spyOn(cache, 'written');
    await expect(
      transactions.run(async (manager) => {
        transactions.changed(manager, { villageIds: [7] });
        await insert('香皂')(manager);
        throw new Error('库存不足');
      }),
    ).rejects.toThrow('库存不足');
    expect(marked).toHaveBeenCalledWith({ villageIds: [7] });
    expect(committed()).toEqual([]);
  });

  it('should run every query runner of TypeORM’s SQLite driver on one connection (why units are queued: decision 003)', async () => {
    const [first, second] = [dataSource.createQueryRunner(), dataSource.createQueryRunner()];
    try {
      expect(await first.connect()).toBe(await second.connect());
    } finally {
      await Promise.all([first.release(), second.release()]);
    }
  });
});

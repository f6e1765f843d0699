import { LedgerBooks1765400000000 } from '../../src/database/migrations/1765400000000-LedgerBooks.js';
import { MIGRATIONS } from '../../src/database/migrations/index.js';
import { migrationDatabase } from '../support/migration-database.js';

/**
 * Issue 17.4: the head of each village's chain moves from `village` to the ledger's own `ledger_book`, keeping every
 * village and its head, on SQLite (where dropping the old columns rebuilds the village table) and PostgreSQL; and
 * its `down` puts them back.
 */
describe('the ledger books migration', () => {
  const { open, sql } = migrationDatabase();

  it('should keep every village and copy its book head, and put it back when undone', async () => {
    const upTo = MIGRATIONS.indexOf(LedgerBooks1765400000000);
    const before = await open(MIGRATIONS.slice(0, upTo));
    await before.runMigrations();
    await sql(before, `INSERT INTO township (id, name, code) VALUES (1, '第一镇', 'T1')`);
    await sql(
      before,
      `INSERT INTO village (id, "townshipId", name, code, "householdSeq", "ledgerSeq", "ledgerHead")
       VALUES (1, 1, '东村', 'V1', 7, 12, '${'a'.repeat(64)}')`,
    );
    await sql(before, `INSERT INTO village (id, "townshipId", name, code) VALUES (2, 1, '西村', 'V2')`);
    await sql(
      before,
      `INSERT INTO household (id, "villageId", code, "headName") VALUES (1, 1, 'V1-1', '张三')`,
    );
    await before.destroy();

    const after = await open(MIGRATIONS.slice(0, upTo + 1));
    await after.runMigrations();
    const villages = await sql(after, 'SELECT * FROM village ORDER BY id');
    expect(villages.map((v: Record<string, unknown>) => [v.id, v.name, Number(v.householdSeq)])).toEqual([
      [1, '东村', 7],
      [2, '西村', 0],
    ]);
    expect(Object.keys(villages[0])).not.toContain('ledgerSeq');
    expect(Object.keys(villages[0])).not.toContain('ledgerHead');
    const books = await sql(after, 'SELECT * FROM ledger_book ORDER BY "villageId"');
    expect(books.map((b: Record<string, unknown>) => [b.villageId, Number(b.seq), b.head])).toEqual([
      [1, 12, 'a'.repeat(64)],
      [2, 0, ''],
    ]);
    // The rebuilt village table keeps its constraints: the household's reference, a unique code.
    if (after.options.type !== 'postgres') expect(await sql(after, 'PRAGMA foreign_key_check')).toEqual([]);
    await expect(
      sql(after, `INSERT INTO village ("townshipId", name, code) VALUES (1, '重名', 'V1')`),
    ).rejects.toThrow();

    await after.undoLastMigration();
    const back = await sql(after, `SELECT id, "ledgerSeq", "ledgerHead" FROM village ORDER BY id`);
    expect(back.map((v: Record<string, unknown>) => [v.id, Number(v.ledgerSeq), v.ledgerHead])).toEqual([
      [1, 12, 'a'.repeat(64)],
      [2, 0, ''],
    ]);
    await after.destroy();
  });
});

import { PartyBooks1766500000000 } from '../../src/database/migrations/1766500000000-PartyBooks.js';
import { MIGRATIONS } from '../../src/database/migrations/index.js';
import { migrationDatabase } from '../support/migration-database.js';

/**
 * Issue 22.1: the ledger gains a second kind of account. Every existing entry stays exactly as it was (on SQLite the
 * entries table is rebuilt to let an account's entry have no household), a household book's numbers stay unique per
 * village, and `down` puts the table back.
 */
describe('the party books migration', () => {
  const { open, sql } = migrationDatabase();

  const entry = (id: number, seq: number, amount: number) =>
    `(${id}, 1, ${seq}, 1, ${amount}, 'SCORE', 'score_record', ${id}, NULL, ${amount * seq}, ${amount * seq},
      '好人好事', '2026-11-0${seq}', NULL, '2026-11-0${seq}T01:00:00.000Z', '${String(seq - 1).repeat(64)}',
      '${String(seq).repeat(64)}')`;

  it('should keep every entry, keep a household book unique per village, and let an account’s entry have no household', async () => {
    const upTo = MIGRATIONS.indexOf(PartyBooks1766500000000);
    const before = await open(MIGRATIONS.slice(0, upTo));
    await before.runMigrations();
    await sql(before, `INSERT INTO township (id, name, code) VALUES (1, '第一镇', 'T1')`);
    await sql(before, `INSERT INTO village (id, "townshipId", name, code) VALUES (1, 1, '东村', 'V1')`);
    await sql(
      before,
      `INSERT INTO household (id, "villageId", code, "headName", available, earned) VALUES (1, 1, 'V1-1', '张三', 30, 30)`,
    );
    await sql(
      before,
      `INSERT INTO ledger_entry (id, "villageId", seq, "householdId", amount, kind, "refType", "refId", "correctsEntryId",
        "availableAfter", "earnedAfter", description, "occurredOn", "createdBy", "createdAt", "prevHash", hash)
        VALUES ${entry(1, 1, 10)}, ${entry(2, 2, 10)}`,
    );
    const kept = await sql(before, 'SELECT * FROM ledger_entry ORDER BY id');
    await before.destroy();

    const after = await open(MIGRATIONS.slice(0, upTo + 1));
    await after.runMigrations();
    const entries = await sql(after, 'SELECT * FROM ledger_entry ORDER BY id');
    expect(entries.map((e: Record<string, unknown>) => ({ ...e, accountId: undefined }))).toEqual(
      kept.map((e: Record<string, unknown>) => ({ ...e, accountId: undefined })),
    );
    expect(entries.map((e: Record<string, unknown>) => e.accountId)).toEqual([null, null]);
    if (after.options.type !== 'postgres') expect(await sql(after, 'PRAGMA foreign_key_check')).toEqual([]);
    // A household book's number is still unique in its village (explicit ids: only that index can refuse it)…
    await expect(
      sql(
        after,
        `INSERT INTO ledger_entry (id, "villageId", seq, "householdId", amount, kind, "availableAfter", "earnedAfter",
          description, "occurredOn", "createdAt", "prevHash", hash)
          VALUES (10, 1, 2, 1, 1, 'SCORE', 1, 1, 'x', '2026-11-03', 'x', 'x', 'x')`,
      ),
    ).rejects.toThrow();
    // …while an account's entries number from 1 in the account's own book, with no household.
    await sql(after, `INSERT INTO ledger_account (id, kind, "villageId") VALUES (1, 'PARTY_MEMBER', 1)`);
    await sql(
      after,
      `INSERT INTO ledger_entry (id, "villageId", seq, "householdId", "accountId", amount, kind, "availableAfter",
        "earnedAfter", description, "occurredOn", "createdAt", "prevHash", hash)
        VALUES (11, 1, 1, NULL, 1, 5, 'PARTY_SCORE', 5, 5, '三会一课', '2026-11-03', 'x', 'x', 'x')`,
    );

    await after.undoLastMigration();
    const back = await sql(after, 'SELECT * FROM ledger_entry ORDER BY id');
    expect(back).toEqual(kept);
    await after.destroy();
  });
});

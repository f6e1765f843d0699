import { FeatureSettings1765000000000 } from '../../src/database/migrations/1765000000000-FeatureSettings.js';
import { MIGRATIONS } from '../../src/database/migrations/index.js';
import { migrationDatabase } from '../support/migration-database.js';

/**
 * Issue 17.4: the migration that moves the supermarket's, rankings' and scoring's village settings into their own
 * tables keeps every village and every value, on SQLite (where dropping the old columns rebuilds the village table)
 * and PostgreSQL; and its `down` puts them back.
 */
describe('the feature settings migration', () => {
  const { open, sql } = migrationDatabase();

  it('should keep every village and copy its settings when migrating a database with data', async () => {
    // Up to the migration under test, and with it: later migrations are not this test's business.
    const upTo = MIGRATIONS.indexOf(FeatureSettings1765000000000);
    const before = await open(MIGRATIONS.slice(0, upTo));
    await before.runMigrations();
    await sql(before, `INSERT INTO township (id, name, code) VALUES (1, '第一镇', 'T1')`);
    await sql(
      before,
      `INSERT INTO village (id, "townshipId", name, code, "householdSeq", "declarationsEnabled", "ledgerSeq",
        "ledgerHead", "receiptDay", "receiptSeq", "resetEnabled", "resetOn", "resetKeep", "lastResetOn",
        "starThresholds", "blackListMode", "redListSize")
       VALUES (1, 1, '东村', 'V1', 7, false, 12, 'abc', '20261203', 41, true, '06-30', 25, '2026-06-30',
        '10,20,30,40,50', 'GROUP', 3)`,
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
    expect(
      villages.map((v: Record<string, unknown>) => [v.id, v.name, Number(v.householdSeq), v.ledgerHead]),
    ).toEqual([
      [1, '东村', 7, 'abc'],
      [2, '西村', 0, ''],
    ]);
    expect(Object.keys(villages[0])).not.toContain('receiptSeq');
    const supermarket = await sql(after, 'SELECT * FROM supermarket_settings ORDER BY "villageId"');
    expect(
      supermarket.map((s: Record<string, unknown>) => [
        s.villageId,
        s.receiptDay,
        Number(s.receiptSeq),
        Boolean(s.resetEnabled),
        s.resetOn,
        Number(s.resetKeep),
        s.lastResetOn,
      ]),
    ).toEqual([
      [1, '20261203', 41, true, '06-30', 25, '2026-06-30'],
      [2, '', 0, false, '12-31', 0, null],
    ]);
    const ranking = await sql(after, 'SELECT * FROM ranking_settings ORDER BY "villageId"');
    expect(
      ranking.map((r: Record<string, unknown>) => [
        r.villageId,
        r.starThresholds,
        r.blackListMode,
        r.redListSize,
      ]),
    ).toEqual([
      [1, '10,20,30,40,50', 'GROUP', 3],
      [2, '50,100,200,300,500', 'NAMED', 10],
    ]);
    const scoring = await sql(after, 'SELECT * FROM scoring_settings ORDER BY "villageId"');
    expect(
      scoring.map((s: Record<string, unknown>) => [s.villageId, Boolean(s.declarationsEnabled)]),
    ).toEqual([
      [1, false],
      [2, true],
    ]);
    // The rebuilt table still holds its constraints: the household's reference, a unique code.
    if (after.options.type !== 'postgres') expect(await sql(after, 'PRAGMA foreign_key_check')).toEqual([]);
    await expect(
      sql(after, `INSERT INTO village ("townshipId", name, code) VALUES (1, '重名', 'V1')`),
    ).rejects.toThrow();

    await after.undoLastMigration();
    const [back] = await sql(
      after,
      `SELECT "receiptSeq", "resetOn", "redListSize", "declarationsEnabled" FROM village WHERE id = 1`,
    );
    expect([
      Number(back.receiptSeq),
      back.resetOn,
      Number(back.redListSize),
      Boolean(back.declarationsEnabled),
    ]).toEqual([41, '06-30', 3, false]);
    await after.destroy();
  });
});

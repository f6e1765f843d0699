import { RuleRevisions1765500000000 } from '../../src/database/migrations/1765500000000-RuleRevisions.js';
import { MIGRATIONS } from '../../src/database/migrations/index.js';
import { migrationDatabase } from '../support/migration-database.js';

/**
 * Issue 20.1: lists kept before revisions existed count as filed on their creation date: one FILED revision per
 * village that has rules, dated at its earliest rule; none for a village without rules or for township templates.
 */
describe('the rule revisions migration', () => {
  const { open, sql } = migrationDatabase();
  const day = (v: unknown) =>
    new Date(v instanceof Date ? v : `${String(v).replace(' ', 'T')}Z`).toISOString();

  it('should file each existing village list on its earliest rule, and drop the table when undone', async () => {
    const upTo = MIGRATIONS.indexOf(RuleRevisions1765500000000);
    const before = await open(MIGRATIONS.slice(0, upTo));
    await before.runMigrations();
    await sql(before, `INSERT INTO township (id, name, code) VALUES (1, '第一镇', 'T1')`);
    await sql(before, `INSERT INTO village (id, "townshipId", name, code) VALUES (1, 1, '东村', 'V1')`);
    await sql(before, `INSERT INTO village (id, "townshipId", name, code) VALUES (2, 1, '西村', 'V2')`);
    const rule = (id: number, villageId: number | null, code: string, createdAt: string) =>
      sql(
        before,
        `INSERT INTO scoring_rule (id, "villageId", "townshipId", code, category, title, "minPoints", "maxPoints", "createdAt")
         VALUES (${id}, ${villageId ?? 'NULL'}, ${villageId ? 'NULL' : 1}, '${code}', '德治', '好事', 5, 5, '${createdAt}')`,
      );
    await rule(1, 1, 'A-2', '2026-03-05 02:00:00');
    await rule(2, 1, 'A-1', '2026-03-01 01:30:00');
    await rule(3, null, 'T-1', '2026-01-01 00:00:00');
    await before.destroy();

    const after = await open(MIGRATIONS.slice(0, upTo + 1));
    await after.runMigrations();
    const rows = await sql(after, 'SELECT * FROM rule_revision ORDER BY "villageId"');
    expect(
      rows.map((r: Record<string, unknown>) => [
        r.villageId,
        r.status,
        r.changes,
        r.meetingOn,
        day(r.decidedAt),
      ]),
    ).toEqual([[1, 'FILED', '[]', null, '2026-03-01T01:30:00.000Z']]);

    await after.undoLastMigration();
    const tables =
      after.options.type === 'postgres'
        ? await sql(after, `SELECT tablename AS name FROM pg_tables WHERE tablename = 'rule_revision'`)
        : await sql(after, `SELECT name FROM sqlite_master WHERE name = 'rule_revision'`);
    expect(tables).toEqual([]);
    await after.destroy();
  });
});

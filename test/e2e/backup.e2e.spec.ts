import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { backupSqlite, checkBackupFile, restoreSqlite } from '../../src/database/backup.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';
import { invariantProblems } from '../support/invariants.js';
import { createScoringScene } from '../support/scoring-fixtures.js';
import { createHouseholdWithPoints, createTestGoods, newKey } from '../support/supermarket-fixtures.js';

const onSqlite = !process.env.TEST_DATABASE_URL;

/** `npm run backup` / `npm run restore`: SQLite's online backup of a live database, checked, then restored. */
(onSqlite ? describe : describe.skip)('backup and restore (SQLite)', () => {
  let t: TestApp;
  let dir: string;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;

  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(join(tmpdir(), 'vp-backup-'));
    scene = await createScoringScene(t);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should copy a live database while redemptions go on, and the restored copy should pass the checker', async () => {
    const committee = await scene.villageAdmin.token();
    const clerk = await scene.clerk.token();
    const h = await createHouseholdWithPoints(t, committee, scene.village.id, 1000);
    const goods = await createTestGoods(t, clerk, scene.village.id, { pricePoints: 1, stock: 1000 });
    const redeem = () =>
      request(t.http)
        .post('/api/v1/redemptions')
        .set(auth(clerk))
        .send({ householdId: h.id, items: [{ goodsId: goods.id, quantity: 1 }], idempotencyKey: newKey() });
    const traffic = Promise.all(Array.from({ length: 40 }, redeem));
    const backup = await backupSqlite(t.settings.sqlitePath, join(dir, 'backups'));
    await traffic;
    expect(backup).toMatch(/points-\d{8}-\d{6}\.db$/);
    checkBackupFile(backup);

    const restoredPath = join(dir, 'restored', 'points.db');
    restoreSqlite(backup, restoredPath);
    const restored = await createTestApp({ env: { DATABASE_URL: `sqlite:${restoredPath}` } });
    try {
      expect(await invariantProblems(restored.app)).toEqual([]);
      const [counts] = await restored.dataSource.query(
        'SELECT (SELECT COUNT(*) FROM redemption) AS redemptions, (SELECT COUNT(*) FROM household) AS households',
      );
      expect(Number(counts.households)).toBeGreaterThan(0);
      expect(Number(counts.redemptions)).toBeLessThanOrEqual(40);
      const [balance] = await restored.dataSource.query(`SELECT available FROM household WHERE id = ${h.id}`);
      expect(Number(balance.available)).toBe(1000 - Number(counts.redemptions));
    } finally {
      await restored.close();
    }
  });

  it('should keep only the newest copies and keep the replaced database beside a restore', async () => {
    const backups = join(dir, 'rotating');
    for (let i = 0; i < 4; i++)
      await backupSqlite(t.settings.sqlitePath, backups, {
        keep: 2,
        now: new Date(Date.UTC(2026, 10, 20 + i, 3)),
      });
    expect(
      readdirSync(backups)
        .filter((f) => f.endsWith('.db'))
        .sort(),
    ).toEqual(['points-20261122-030000.db', 'points-20261123-030000.db']);
    // The heads written beside each copy stay (a few hundred bytes, the evidence of what the books held then).
    expect(readdirSync(backups).filter((f) => f.endsWith('.heads.json'))).toHaveLength(4);
    const target = join(dir, 'live.db');
    restoreSqlite(join(backups, 'points-20261122-030000.db'), target);
    const kept = restoreSqlite(join(backups, 'points-20261123-030000.db'), target);
    expect(kept).toMatch(/^live\.db\.before-restore-/);
    expect(existsSync(join(dir, kept as string))).toBe(true);
  });

  it('should refuse to restore a file that is not a sound database of this app, and change nothing', () => {
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not a database at all');
    const target = join(dir, 'untouched.db');
    expect(() => restoreSqlite(junk, target)).toThrow(/无法读取备份文件|损坏/);
    expect(existsSync(target)).toBe(false);
    expect(() => restoreSqlite(join(dir, 'missing.db'), target)).toThrow('找不到备份文件');
  });

  it('should run as npm run backup from the built server, writing each village’s head beside the copy', async () => {
    const out = execFileSync(
      process.execPath,
      [join(process.cwd(), 'dist/src/cli/backup.cli.js'), 'backup'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: `sqlite:${t.settings.sqlitePath}`,
          SESSION_SECRET: 'x'.repeat(64),
        },
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect(out).toContain('已备份到');
    const written = readdirSync(join(dir, 'data', 'backups')).sort();
    expect(written).toEqual([
      expect.stringMatching(/^points-.*\.db$/),
      expect.stringMatching(/\.heads\.json$/),
    ]);
    const heads = JSON.parse(readFileSync(join(dir, 'data', 'backups', written[1]), 'utf8'));
    const [village] = await t.dataSource.query(
      `SELECT "villageId" AS id, seq, head AS hash FROM ledger_book WHERE "villageId" = ${scene.village.id}`,
    );
    expect(heads.villages).toContainEqual(
      expect.objectContaining({ villageId: village.id, seq: Number(village.seq), hash: village.hash }),
    );
  });
});

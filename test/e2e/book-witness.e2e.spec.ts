import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { auditChainProblems } from '../../src/audit/audit-chain.js';
import { AuditService } from '../../src/audit/audit.service.js';
import { backupSqlite, latestHeads } from '../../src/database/backup.js';
import { raw } from '../../src/database/raw.js';
import { Transactions } from '../../src/database/transactions.js';
import { IntegrityService } from '../../src/integrity/integrity.service.js';
import { entryHash, GENESIS } from '../../src/ledger/hash-chain.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { parseTypedHead, recordedWitnesses, witnessProblems } from '../../src/ledger/witness.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { createScoringScene, createTestHousehold } from '../support/scoring-fixtures.js';

const onSqlite = !process.env.TEST_DATABASE_URL;

interface EntryRow {
  id: number;
  villageId: number;
  seq: number;
  householdId: number;
  amount: number;
  kind: string;
  refType: string | null;
  refId: number | null;
  correctsEntryId: number | null;
  availableAfter: number;
  earnedAfter: number;
  description: string;
  occurredOn: string;
  createdBy: number | null;
  createdAt: string;
  prevHash: string;
  hash: string;
}

/** Issue 16, point 13: the book's head kept where the database cannot reach it, and the audit log chained. */
describe('heads witnessed outside the book', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(join(tmpdir(), 'vp-witness-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A village whose book holds `entries` OPENING entries of one household, and its committee and township. */
  async function village(entries: number) {
    const scene = await createScoringScene(t);
    const committee = await scene.villageAdmin.token();
    const household = await createTestHousehold(t, committee, scene.village.id);
    await append(household.id, entries);
    return { scene, committee, household };
  }

  async function append(householdId: number, count: number) {
    const ledger = t.app.get(LedgerService);
    const transactions = t.app.get(Transactions);
    const [{ villageId }] = await t.dataSource.query(
      `SELECT "villageId" FROM household WHERE id = ${householdId}`,
    );
    for (let i = 0; i < count; i++)
      await transactions.run(async (m) => {
        // As every unit of work that moves points does: say which village changed, so kept boards are read again.
        transactions.changed(m, { villageIds: [Number(villageId)] });
        return ledger.append(m, {
          householdId,
          amount: 10 + i,
          kind: 'OPENING',
          description: `纸质存折转入 ${i + 1}`,
          occurredOn: '2026-11-02',
        });
      });
  }

  /** The township approves a ranking of the village: it notes the book's head then. */
  async function townshipReviews(scene: Awaited<ReturnType<typeof village>>['scene'], committee: string) {
    const snap = await request(t.http)
      .post(`/api/v1/villages/${scene.village.id}/ranking-snapshots`)
      .set(auth(committee))
      .send({ period: '2026-11' });
    expect(snap.status).toBe(201);
    const approved = await request(t.http)
      .post(`/api/v1/ranking-snapshots/${snap.body.id}/approve`)
      .set(auth(await scene.townshipUser.token()));
    expect(approved.status).toBe(200);
  }

  const entriesOf = (villageId: number) =>
    raw<EntryRow>(
      t.dataSource,
      `SELECT id, "villageId", seq, "householdId", amount, kind, "refType", "refId", "correctsEntryId",
        "availableAfter", "earnedAfter", description, "occurredOn", "createdBy", "createdAt", "prevHash", hash
        FROM ledger_entry WHERE "villageId" = $1 ORDER BY seq`,
      [villageId],
    );

  /**
   * The insider's edit: raises one old entry's amount, then recomputes every later balance, the household's stored
   * balances, every hash after it and the village's head, all in SQL, so that the book checks out on its own.
   */
  async function forgeOldEntry(villageId: number, seq: number, plus: number) {
    const entries = await entriesOf(villageId);
    let prev = GENESIS;
    let shift = 0;
    for (const e of entries) {
      const createdAt = new Date(e.createdAt).toISOString();
      if (e.seq === seq) shift = plus;
      const fields = {
        ...e,
        villageId: Number(e.villageId),
        seq: Number(e.seq),
        householdId: Number(e.householdId),
        amount: Number(e.amount) + (e.seq === seq ? plus : 0),
        availableAfter: Number(e.availableAfter) + shift,
        earnedAfter: Number(e.earnedAfter) + shift,
        createdAt,
      };
      const hash = entryHash(prev, fields);
      await raw(
        t.dataSource,
        `UPDATE ledger_entry SET amount = $1, "availableAfter" = $2, "earnedAfter" = $3, "prevHash" = $4, hash = $5
          WHERE id = $6`,
        [fields.amount, fields.availableAfter, fields.earnedAfter, prev, hash, e.id],
      );
      prev = hash;
    }
    await raw(
      t.dataSource,
      'UPDATE household SET available = available + $1, earned = earned + $2 WHERE id = $3',
      [plus, plus, entries[0].householdId],
    );
    await raw(t.dataSource, 'UPDATE ledger_book SET head = $1 WHERE "villageId" = $2', [prev, villageId]);
    // Undone by the same edit backwards (the hashes come back as they were), so the file's own checks stay whole.
    return () => forgeOldEntry(villageId, seq, -plus);
  }

  /** The insider's cut: the last entries deleted, the head moved back, the balances put back. Returns its undoing. */
  async function cutLastEntries(villageId: number, count: number) {
    const entries = await entriesOf(villageId);
    const kept = entries.slice(0, entries.length - count);
    const cut = entries.slice(kept.length);
    const setHead = async (e: EntryRow) => {
      await raw(t.dataSource, 'UPDATE ledger_book SET seq = $1, head = $2 WHERE "villageId" = $3', [
        e.seq,
        e.hash,
        villageId,
      ]);
      await raw(t.dataSource, 'UPDATE household SET available = $1, earned = $2 WHERE id = $3', [
        e.availableAfter,
        e.earnedAfter,
        e.householdId,
      ]);
    };
    for (const e of cut) await raw(t.dataSource, 'DELETE FROM ledger_entry WHERE id = $1', [e.id]);
    await setHead(kept[kept.length - 1]);
    return async () => {
      for (const e of cut) {
        const columns = Object.keys(e);
        await raw(
          t.dataSource,
          `INSERT INTO ledger_entry (${columns.map((c) => `"${c}"`).join(', ')})
            VALUES (${columns.map((_, n) => `$${n + 1}`).join(', ')})`,
          Object.values(e),
        );
      }
      await setHead(cut[cut.length - 1]);
    };
  }

  const problemsOf = async () => (await t.app.get(IntegrityService).check()).problems;

  it('should name the first differing entry when an old entry is edited and the chain recomputed in SQL', async () => {
    const { scene, committee, household } = await village(5);
    await townshipReviews(scene, committee);
    await append(household.id, 2);
    const entries = await entriesOf(scene.village.id);
    expect(entries.map((e) => Number(e.seq))).toEqual([1, 2, 3, 4, 5, 6, 7]);

    const undo = await forgeOldEntry(scene.village.id, 3, 500);
    // The forged book agrees with itself (balances, chain and head): only the township's head gives it away, and the
    // invariant checker holds the book against it.
    expect(await problemsOf()).toEqual([expect.stringContaining('链头：')]);
    expect((await problemsOf())[0]).toContain('第 1～5 条之间有记录被改动');

    const heads = (await recordedWitnesses(t.dataSource)).filter((h) => h.villageId === scene.village.id);
    expect(heads).toEqual([expect.objectContaining({ seq: 5, hash: entries[4].hash })]);
    const problems = await witnessProblems(t.dataSource, heads);
    expect(problems).toEqual([
      expect.objectContaining({ villageId: scene.village.id, seq: 5, entryId: Number(entries[4].id) }),
    ]);
    expect(problems[0].message).toContain(`第 5 条明细（id ${entries[4].id}）`);
    expect(problems[0].message).toContain('第 1～5 条之间有记录被改动');
    await undo();
    expect(await witnessProblems(t.dataSource, heads)).toEqual([]);
  });

  it('should report the book shorter than the witnessed seq when the last entries are cut in SQL', async () => {
    const { scene, committee } = await village(6);
    await townshipReviews(scene, committee);
    const undo = await cutLastEntries(scene.village.id, 2);
    expect(await problemsOf()).toEqual([expect.stringContaining('账本只到第 4 条')]);
    const problems = await witnessProblems(
      t.dataSource,
      (await recordedWitnesses(t.dataSource)).filter((h) => h.villageId === scene.village.id),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ seq: 6, entryId: null });
    expect(problems[0].message).toContain('book shorter than witnessed seq 6');
    expect(problems[0].message).toContain('账本只到第 4 条');
    await undo();
    expect(await problemsOf()).toEqual([]);
  });

  it('should check a head typed in from a printed sheet, and refuse a malformed one in words', async () => {
    const { scene } = await village(3);
    const [, , third] = await entriesOf(scene.village.id);
    const typed = parseTypedHead(`${scene.village.id}:3:${third.hash.slice(0, 12).toUpperCase()}`);
    expect(await witnessProblems(t.dataSource, [typed])).toEqual([]);
    const flipped = third.hash[11] === '0' ? '1' : '0';
    const wrong = parseTypedHead(`${scene.village.id}:3:${third.hash.slice(0, 11)}${flipped}`);
    const [problem] = await witnessProblems(t.dataSource, [wrong]);
    expect(problem).toMatchObject({ seq: 3, entryId: Number(third.id) });
    expect(() => parseTypedHead('3-1234-abc')).toThrow('链头格式应为 村编号:序号:哈希前缀');
  });

  it('should print the book’s head and seq with a QR code on every board sheet and the monthly statement', async () => {
    const { scene, household } = await village(2);
    const head = async () => (await entriesOf(scene.village.id)).pop() as EntryRow;
    for (const path of ['', '?section=ranking', '?section=catalogue']) {
      const page = await request(t.http).get(`/public/villages/${scene.village.id}${path}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('账本链头：第 <strong>2</strong> 条');
      expect(page.text).toContain(`<code>${(await head()).hash.slice(0, 12)}</code>`);
      expect(page.text).toContain(`${scene.village.id}:2:${(await head()).hash.slice(0, 12)}`);
      expect(page.text).toMatch(/class="book-head-qr"[^>]*><svg/);
    }
    // A new entry moves the head on the next print.
    await append(household.id, 1);
    const after = await request(t.http).get(`/public/villages/${scene.village.id}?section=stars`);
    expect(after.text).toContain('账本链头：第 <strong>3</strong> 条');
    const clerk = await loggedIn(t, scene.clerk.username, TEST_PASSWORD);
    const statement = await clerk.get('/supermarket/reports');
    expect(statement.status).toBe(200);
    expect(statement.text).toContain(`<code>${(await head()).hash.slice(0, 12)}</code>`);
  });

  it('should detect a deleted, a changed and a cut audit row', async () => {
    const audit = t.app.get(AuditService);
    for (let i = 0; i < 4; i++)
      await audit.record({ kind: 'system', name: '系统', ip: null }, { action: 'test.step', details: { i } });
    await audit.seal();
    expect(await auditChainProblems(t.dataSource)).toEqual([]);
    const rows = await raw<{ id: number; chainSeq: number }>(
      t.dataSource,
      `SELECT id, "chainSeq" FROM audit_log WHERE action = 'test.step' ORDER BY id`,
      [],
    );
    const [last] = await raw<{ id: number }>(
      t.dataSource,
      'SELECT id FROM audit_log WHERE "chainSeq" = (SELECT MAX("chainSeq") FROM audit_log)',
      [],
    );
    const kept = await raw<Record<string, unknown>>(
      t.dataSource,
      'SELECT * FROM audit_log WHERE id IN ($1, $2, $3)',
      [rows[1].id, rows[2].id, last.id],
    );
    await raw(t.dataSource, 'DELETE FROM audit_log WHERE id = $1', [rows[1].id]);
    await raw(t.dataSource, `UPDATE audit_log SET details = '{"i":99}' WHERE id = $1`, [rows[2].id]);
    expect(await auditChainProblems(t.dataSource)).toEqual([
      expect.stringContaining(`第 ${rows[1].chainSeq} 条缺失`),
      expect.stringContaining(`第 ${rows[2].chainSeq} 条（id ${rows[2].id}，test.step）的内容与其哈希不符`),
    ]);
    await raw(t.dataSource, 'DELETE FROM audit_log WHERE id = $1', [last.id]);
    expect(await auditChainProblems(t.dataSource)).toEqual(
      expect.arrayContaining([expect.stringContaining('末尾的记录被删除')]),
    );
    // Put back as they were: the chain checks out again.
    await raw(t.dataSource, 'DELETE FROM audit_log WHERE id = $1', [rows[2].id]);
    for (const row of kept) {
      const columns = Object.keys(row);
      await raw(
        t.dataSource,
        `INSERT INTO audit_log (${columns.map((c) => `"${c}"`).join(', ')})
          VALUES (${columns.map((_, n) => `$${n + 1}`).join(', ')})`,
        Object.values(row),
      );
    }
    expect(await auditChainProblems(t.dataSource)).toEqual([]);
  });

  (onSqlite ? describe : describe.skip)('backups and restore (SQLite)', () => {
    const cli = (script: string, args: string[], databaseFile: string, cwd: string) => {
      try {
        const out = execFileSync(process.execPath, [join(process.cwd(), 'dist/src', script), ...args], {
          env: {
            PATH: process.env.PATH ?? '',
            DATABASE_URL: `sqlite:${databaseFile}`,
            SESSION_SECRET: 'x'.repeat(64),
          },
          cwd,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        return { code: 0, out };
      } catch (error) {
        const e = error as { status: number; stdout: string; stderr: string };
        return { code: e.status, out: `${e.stdout}${e.stderr}` };
      }
    };

    it('should catch cut entries against the last backup’s sidecar, outside the database', async () => {
      const { scene } = await village(4);
      const backups = join(dir, 'sidecar');
      const file = await backupSqlite(t.settings.sqlitePath, backups);
      const sidecar = latestHeads(backups);
      expect(sidecar?.file).toBe(file.replace(/\.db$/, '.heads.json'));
      const head = sidecar?.heads.villages.find((v) => v.villageId === scene.village.id);
      expect(head).toMatchObject({ seq: 4 });
      const undo = await cutLastEntries(scene.village.id, 1);
      const [problem] = await witnessProblems(t.dataSource, [{ ...head!, label: '备份' }]);
      expect(problem.message).toContain('book shorter than witnessed seq 4');
      await undo();
    });

    it('should refuse to restore a shortened file, or while the server runs, and audit a forced restore', async () => {
      const { scene, committee, household } = await village(3);
      const work = mkdtempSync(join(dir, 'restore-'));
      const old = await backupSqlite(t.settings.sqlitePath, join(work, 'old'));
      await append(household.id, 3);
      await townshipReviews(scene, committee);
      // The live database of this test: a copy of the test app's, as it stands after the review.
      const live = join(work, 'data', 'points.db');
      mkdirSync(join(work, 'data'), { recursive: true });
      copyFileSync(await backupSqlite(t.settings.sqlitePath, join(work, 'now')), live);

      const running = join(work, 'data', 'run');
      mkdirSync(running, { recursive: true });
      writeFileSync(join(running, `server-${process.pid}.pid`), `${process.pid}\n`);
      const whileRunning = cli('cli/backup.cli.js', ['restore', old], live, work);
      expect(whileRunning.code).toBe(1);
      expect(whileRunning.out).toContain('服务正在运行');
      rmSync(running, { recursive: true, force: true });

      const refused = cli('cli/backup.cli.js', ['restore', old], live, work);
      expect(refused.code).toBe(1);
      expect(refused.out).toContain('与乡镇留存的链头不符');
      expect(refused.out).toContain('book shorter than witnessed seq 6');
      expect(cli('cli/backup.cli.js', ['restore', old, '--force'], live, work).out).toContain(
        '--force 必须附上原因',
      );

      const forced = cli(
        'cli/backup.cli.js',
        ['restore', old, '--force', '--reason', '数据库文件损坏，回到昨晚的备份'],
        live,
        work,
      );
      expect(forced.code).toBe(0);
      const restored = await createTestApp({ env: { DATABASE_URL: `sqlite:${live}` } });
      try {
        const [row] = await raw<{ details: string; actorName: string }>(
          restored.dataSource,
          `SELECT details, "actorName" FROM audit_log WHERE action = 'backup.restore_forced'`,
          [],
        );
        expect(JSON.parse(row.details)).toMatchObject({
          file: old,
          reason: '数据库文件损坏，回到昨晚的备份',
        });
        expect(row.actorName).toContain('恢复备份');
      } finally {
        await restored.close();
      }
    }, 120_000);

    it('should exit 1 from npm run ledger:verify naming the differing entry against a typed head', async () => {
      const { scene } = await village(3);
      const entries = await entriesOf(scene.village.id);
      const live = join(mkdtempSync(join(dir, 'verify-')), 'points.db');
      copyFileSync(await backupSqlite(t.settings.sqlitePath, join(dir, 'verify-copy')), live);
      const good = cli(
        'cli/verify.cli.js',
        ['--head', `${scene.village.id}:3:${entries[2].hash.slice(0, 12)}`],
        live,
        dir,
      );
      expect(good.out).not.toContain(`村 ${scene.village.id} 第 3 条`);
      const bad = cli('cli/verify.cli.js', ['--head', `${scene.village.id}:3:0123456789ab`], live, dir);
      expect(bad.code).toBe(1);
      expect(bad.out).toContain(`村 ${scene.village.id} 第 3 条明细（id ${entries[2].id}）`);
      expect(cli('cli/verify.cli.js', ['--head', 'nonsense'], live, dir)).toMatchObject({ code: 2 });
    }, 120_000);
  });
});

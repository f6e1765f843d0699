import { jest } from '@jest/globals';
import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';
import { invariantProblems } from '../support/invariants.js';
import {
  createScoringScene,
  createTestHousehold,
  createTestRule,
  daysAgo,
} from '../support/scoring-fixtures.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createHouseholdWithPoints, createTestGoods, newKey } from '../support/supermarket-fixtures.js';

// A server process started, streamed at, killed and started again: more than Jest's 30 s on a busy two-core machine.
jest.setTimeout(120_000);

interface Sent {
  kind: 'redemption' | 'record';
  path: string;
  body: Record<string, unknown>;
  token: string;
  first?: { status: number; id?: number };
}

/**
 * Crash safety: the server process is killed with SIGKILL in the middle of a stream of redemptions and score records,
 * then started again. Whatever was answered is there in full, whatever was refused left nothing, nothing is half
 * written; the client then retries every request with its idempotency key and gets the same answers, each applied once.
 */
describe('a server killed in the middle of a stream of writes', () => {
  let t: TestApp;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await t.close();
  });

  it('should keep every answered write, none half-written, and apply each retried one exactly once', async () => {
    const scene = await createScoringScene(t);
    const committee = await scene.villageAdmin.token();
    const clerk = await scene.clerk.token();
    const scorer = await scene.scorer.token();
    const rich = await createHouseholdWithPoints(t, committee, scene.village.id, 100);
    const goods = await createTestGoods(t, clerk, scene.village.id, { pricePoints: 3, stock: 500 });
    const rule = await createTestRule(t, committee, scene.village.id, { points: 5 });
    const other = await createTestHousehold(t, committee, scene.village.id);

    // 60 writes: redemptions against one household's 100 points (some will be refused), and score records.
    const sent: Sent[] = Array.from({ length: 60 }, (_, i) =>
      i % 3 === 2
        ? {
            kind: 'record',
            path: '/api/v1/score-records',
            token: scorer,
            body: {
              householdId: other.id,
              ruleId: rule.id,
              occurredOn: daysAgo(1),
              idempotencyKey: newKey(),
            },
          }
        : {
            kind: 'redemption',
            path: '/api/v1/redemptions',
            token: clerk,
            body: {
              householdId: rich.id,
              items: [{ goodsId: goods.id, quantity: 1 }],
              idempotencyKey: newKey(),
            },
          },
    );

    server = await startServerProcess(t);
    const target = server.baseUrl;
    let answered = 0;
    const killAfter = 20;
    const killed = new Promise<void>((resolve) => {
      const watch = setInterval(() => {
        if (answered >= killAfter) {
          clearInterval(watch);
          void (server as ServerProcess).stop('SIGKILL').then(resolve);
        }
      }, 2);
    });
    // Four clients at a time, as at a busy counter.
    let next = 0;
    const client = async () => {
      while (next < sent.length) {
        const s = sent[next++];
        try {
          const res = await request(target).post(s.path).set(auth(s.token)).send(s.body).timeout(5000);
          s.first = { status: res.status, id: res.body?.id };
          answered += 1;
        } catch {
          // No answer: the server died with the request in flight (or before it arrived).
        }
      }
    };
    await Promise.all([client(), client(), client(), client(), killed]);

    const first = sent.filter((s) => s.first);
    const unanswered = sent.filter((s) => !s.first);
    expect(first.length).toBeGreaterThanOrEqual(killAfter);
    expect(unanswered.length).toBeGreaterThan(0);
    expect(first.every((s) => s.first && [201, 409].includes(s.first.status))).toBe(true);

    // Right after the crash: the database is whole, every accepted write is there, every refused one absent.
    expect(await invariantProblems(t.app)).toEqual([]);
    const keyFound = async (s: Sent) => {
      const table = s.kind === 'redemption' ? 'redemption' : 'score_record';
      const rows = await t.dataSource.query(
        `SELECT id FROM ${table} WHERE "idempotencyKey" = '${s.body.idempotencyKey}'`,
      );
      return rows.length === 1 ? Number(rows[0].id) : null;
    };
    for (const s of first) {
      const id = await keyFound(s);
      expect([s.first?.status, id]).toEqual(s.first?.status === 201 ? [201, s.first.id] : [409, null]);
    }

    // Started again, the client retries everything with the same keys.
    server = await startServerProcess(t);
    for (const s of sent) {
      const res = await request(server.baseUrl).post(s.path).set(auth(s.token)).send(s.body);
      if (s.first?.status === 201) expect([res.status, res.body.id]).toEqual([200, s.first.id]);
      else if (s.first?.status === 409) expect(res.status).toBe(409);
      else expect([200, 201, 409]).toContain(res.status);
    }
    const redemptions = await t.dataSource.query(
      `SELECT COUNT(*) AS n, COALESCE(SUM("totalPoints"), 0) AS spent FROM redemption WHERE "householdId" = ${rich.id}`,
    );
    const [balance] = await t.dataSource.query(`SELECT available FROM household WHERE id = ${rich.id}`);
    expect(Number(balance.available)).toBe(100 - Number(redemptions[0].spent));
    expect(Number(balance.available)).toBeGreaterThanOrEqual(0);
    const records = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM score_record WHERE "householdId" = ${other.id}`,
    );
    expect(Number(records[0].n)).toBe(sent.filter((s) => s.kind === 'record').length);
    expect(await invariantProblems(t.app)).toEqual([]);
  });
});

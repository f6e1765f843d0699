import { jest } from '@jest/globals';
import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';
import { invariantProblems } from '../support/invariants.js';
import { createScoringScene, createTestRule, daysAgo } from '../support/scoring-fixtures.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createHouseholdWithPoints, createTestGoods, newKey } from '../support/supermarket-fixtures.js';

/**
 * Mixed traffic — scoring, approving, publishing, objecting and resolving as windows end, closing, redeeming,
 * cancelling — from many connections at the real
 * server: one process on SQLite, two processes on one PostgreSQL database. Then the invariant checker. Bounded in time,
 * loopback only. `npm test` runs a short version; `npm run stress` a long one (STRESS_SECONDS, STRESS_CONNECTIONS).
 */
const SECONDS = Number(process.env.STRESS_SECONDS ?? 6);
const CONNECTIONS = Number(process.env.STRESS_CONNECTIONS ?? 12);
const onPostgres = !!process.env.TEST_DATABASE_URL;

jest.setTimeout((SECONDS + 120) * 1000);

type Op =
  'record' | 'approve' | 'publish' | 'close' | 'object' | 'resolve' | 'windowEnds' | 'redeem' | 'cancel';

describe(`stress: ${SECONDS} s of mixed traffic from ${CONNECTIONS} connections`, () => {
  let t: TestApp;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await t.close();
  });

  it('should answer every request with a 2xx or a 4xx and leave every invariant holding', async () => {
    const scene = await createScoringScene(t);
    const villageId = scene.village.id;
    const committee = await scene.villageAdmin.token();
    const secondCommittee = await scene.secondAdmin.token();
    const scorer = await scene.scorer.token();
    const clerk = await scene.clerk.token();
    const households: { id: number }[] = [];
    for (let i = 0; i < 20; i++)
      households.push(await createHouseholdWithPoints(t, committee, villageId, 60));
    const goods: { id: number }[] = [];
    for (const [price, stock] of [
      [5, 400],
      [12, 60],
      [40, 8],
    ])
      goods.push(await createTestGoods(t, clerk, villageId, { pricePoints: price, stock }));
    const rules = [
      await createTestRule(t, committee, villageId, { points: 10 }),
      await createTestRule(t, committee, villageId, { points: -5, category: '自治', title: '乱扔垃圾' }),
    ];

    const env = { PUBLICATION_MIN_DAYS: '0' };
    servers.push(await startServerProcess(t, env));
    if (onPostgres) servers.push(await startServerProcess(t, env));
    const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)];
    const counts: Record<string, number> = {};
    const failures: string[] = [];
    const recent: number[] = [];

    async function once(op: Op, base: string): Promise<request.Response> {
      const post = (path: string, token: string, body: object = {}) =>
        request(base).post(path).set(auth(token)).send(body).timeout(20000);
      switch (op) {
        case 'record':
          return post('/api/v1/score-records', scorer, {
            householdId: pick(households).id,
            ruleId: pick(rules).id,
            occurredOn: daysAgo(Math.floor(Math.random() * 3)),
            idempotencyKey: newKey(),
          });
        case 'approve': {
          const pending = await request(base)
            .get(`/api/v1/score-records?villageId=${villageId}&status=PENDING&pageSize=20`)
            .set(auth(committee));
          const record = pending.body.items?.length ? pick(pending.body.items as { id: number }[]) : null;
          return record
            ? post(`/api/v1/score-records/${record.id}/approve`, pick([committee, secondCommittee]))
            : pending;
        }
        case 'publish':
          // Some windows end at once, some stay open for objections until the clock moves on (windowEnds).
          return post('/api/v1/publications', committee, { villageId, days: pick([0, 1]) });
        case 'object': {
          const onBoard = await t.dataSource.query(
            `SELECT r.id FROM score_record r JOIN publication p ON p.id = r."publicationId"
              WHERE r."villageId" = ${villageId} AND r.status IN ('PUBLICIZING', 'OBJECTED') AND p.status = 'OPEN'
              ORDER BY r.id DESC LIMIT 20`,
          );
          return post(
            `/api/v1/score-records/${onBoard.length ? pick(onBoard as { id: number }[]).id : 0}/objections`,
            scorer,
            {
              reason: '压力测试异议',
            },
          );
        }
        case 'resolve': {
          const open = await t.dataSource.query(
            `SELECT id FROM objection WHERE "villageId" = ${villageId} AND status = 'OPEN' ORDER BY id DESC LIMIT 20`,
          );
          const decision = pick(['DISMISS', 'DISMISS', 'UPHOLD'] as const);
          return post(
            `/api/v1/objections/${open.length ? pick(open as { id: number }[]).id : 0}/resolve`,
            committee,
            {
              decision,
              reason: '压力测试处理',
              ...(decision === 'UPHOLD' && Math.random() < 0.5 ? { points: 10 } : {}),
            },
          );
        }
        case 'windowEnds': {
          // The clock reaches the end of an open window: its last day becomes yesterday, while others act on it. Only on
          // PostgreSQL: a SQLite file has one writer, the server (this process writing too would make the server's
          // writes wait on it), and there the server runs one unit of work at a time, so no move can race another.
          if (!onPostgres) return request(base).get('/login').timeout(20000);
          await t.dataSource.query(
            `UPDATE publication SET "endsOn" = '${daysAgo(1)}', "startsOn" = '${daysAgo(1)}'
              WHERE id = (SELECT MIN(id) FROM publication WHERE "villageId" = ${villageId} AND status = 'OPEN')`,
          );
          return request(base).get('/login').timeout(20000);
        }
        case 'close': {
          const open = await t.dataSource.query(
            `SELECT id FROM publication WHERE "villageId" = ${villageId} AND status = 'OPEN' ORDER BY id DESC LIMIT 1`,
          );
          return open.length
            ? post(`/api/v1/publications/${open[0].id}/close`, committee)
            : post('/api/v1/publications/0/close', committee);
        }
        case 'redeem': {
          const res = await post('/api/v1/redemptions', clerk, {
            householdId: pick(households).id,
            items: [{ goodsId: pick(goods).id, quantity: 1 + Math.floor(Math.random() * 2) }],
            idempotencyKey: newKey(),
          });
          if (res.status === 201) recent.push(res.body.id as number);
          return res;
        }
        case 'cancel':
          return post(`/api/v1/redemptions/${recent.length ? pick(recent.slice(-30)) : 0}/cancel`, clerk, {
            reason: '压力测试撤销',
          });
      }
    }

    const ops: Op[] = [
      'record',
      'record',
      'record',
      'approve',
      'approve',
      'publish',
      'close',
      'close',
      'object',
      'object',
      'resolve',
      'resolve',
      'windowEnds',
      'redeem',
      'redeem',
      'redeem',
      'cancel',
    ];
    const deadline = Date.now() + SECONDS * 1000;
    let sent = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, c) => {
        const base = servers[c % servers.length].baseUrl;
        while (Date.now() < deadline) {
          const op = pick(ops);
          sent += 1;
          try {
            const res = await once(op, base);
            const key = `${op} ${res.status}`;
            counts[key] = (counts[key] ?? 0) + 1;
            if (res.status >= 500 || !res.body || (res.status >= 400 && !res.body.error?.code))
              failures.push(`${key}: ${JSON.stringify(res.body).slice(0, 200)}`);
          } catch (error) {
            failures.push(`${op}: no answer (${String(error).slice(0, 120)})`);
          }
        }
      }),
    );
    const problems = await invariantProblems(t.app);
    const [entries] = await t.dataSource.query('SELECT COUNT(*) AS n FROM ledger_entry');
    console.log(
      [
        `stress on ${onPostgres ? `PostgreSQL, ${servers.length} server processes` : 'SQLite, 1 server process'}: ${SECONDS} s, ${CONNECTIONS} connections`,
        `requests sent: ${sent}, errors (5xx or no answer or no error shape): ${failures.length}, invariant violations: ${problems.length}`,
        `ledger entries written: ${entries.n}`,
        ...Object.entries(counts)
          .sort()
          .map(([k, n]) => `  ${k}: ${n}`),
      ].join('\n'),
    );
    expect(failures).toEqual([]);
    expect(problems).toEqual([]);
    expect(counts['redeem 201'] ?? 0).toBeGreaterThan(0);
    expect(counts['record 201'] ?? 0).toBeGreaterThan(0);
  });
});

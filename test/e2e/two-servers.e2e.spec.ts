import request from 'supertest';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { PublicationsScheduler } from '../../src/publications/publications.scheduler.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';
import {
  createScoringScene,
  createTestHousehold,
  createTestRule,
  daysAgo,
} from '../support/scoring-fixtures.js';

/**
 * Two server processes on one PostgreSQL database, both closing the same ended publication (by hand and by their
 * timers) at the same moment: each record is posted exactly once. SQLite runs one server process only.
 */
const onPostgres = !!process.env.TEST_DATABASE_URL;

(onPostgres ? describe : describe.skip)('two servers on one PostgreSQL database', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    b = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' }, sameDatabaseAs: a });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('should post every record of a publication once when both servers close it at the same time', async () => {
    const scene = await createScoringScene(a);
    const committee = await scene.villageAdmin.token();
    const rule = await createTestRule(a, committee, scene.village.id, { points: 11 });
    const households = [];
    for (let i = 0; i < 5; i++) households.push(await createTestHousehold(a, committee, scene.village.id));
    const scorer = await scene.scorer.token();
    for (const h of households) {
      const rec = await request(a.http)
        .post('/api/v1/score-records')
        .set(auth(scorer))
        .send({ householdId: h.id, ruleId: rule.id, occurredOn: daysAgo(1) });
      await request(b.http)
        .post(`/api/v1/score-records/${rec.body.id}/approve`)
        .set(auth(committee))
        .send({});
    }
    const pub = await request(a.http)
      .post('/api/v1/publications')
      .set(auth(committee))
      .send({ villageId: scene.village.id, days: 0 });
    expect(pub.body.recordIds).toHaveLength(5);

    const results = await Promise.allSettled([
      request(a.http).post(`/api/v1/publications/${pub.body.id}/close`).set(auth(committee)),
      request(b.http).post(`/api/v1/publications/${pub.body.id}/close`).set(auth(committee)),
      a.app.get(PublicationsScheduler).tick(),
      b.app.get(PublicationsScheduler).tick(),
    ]);
    const answers = results
      .slice(0, 2)
      .map((r) => (r.status === 'fulfilled' ? (r.value as request.Response).status : 0));
    const ticks = results.slice(2).map((r) => (r.status === 'fulfilled' ? (r.value as number[]) : []));
    const successes =
      answers.filter((s) => s === 200).length + ticks.filter((ids) => ids.includes(pub.body.id)).length;
    expect(successes).toBe(1);
    expect(answers.every((s) => s === 200 || s === 409)).toBe(true);

    const balances = await a.dataSource.query(
      `SELECT available FROM household WHERE id IN (${households.map((h) => h.id).join(',')})`,
    );
    expect(balances.map((r: { available: number }) => r.available)).toEqual([11, 11, 11, 11, 11]);
    const entries = await a.dataSource.query(
      `SELECT COUNT(*) AS n FROM ledger_entry WHERE "villageId" = ${scene.village.id}`,
    );
    expect(Number(entries[0].n)).toBe(5);
    expect((await b.app.get(LedgerService).verify([scene.village.id])).ok).toBe(true);
  });
});

import request from 'supertest';
import { todayInChina } from '../../src/common/dates.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { postDeeds } from '../support/ranking-fixtures.js';
import {
  createScoringScene,
  createTestHousehold,
  createTestRule,
  daysAgo,
} from '../support/scoring-fixtures.js';

/**
 * 群众参与 on the township's overview (issue 21 point 5): built from the data, never a form. What the township sees
 * for a month equals what the records themselves count: grid affairs reported, valid and handled by their due day,
 * volunteer hours, and the households with any points posted.
 */
describe('the township’s participation figures', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0', DEMO_HISTORY: 'off' } });
    scene = await createScoringScene(t);
  });
  afterAll(() => t.close());

  it('should show per village what the records count, for the month', async () => {
    const committee = await scene.villageAdmin.token();
    const villageId = scene.village.id;
    const [a, b, c] = [
      await createTestHousehold(t, committee, villageId, { headName: '参与甲' }),
      await createTestHousehold(t, committee, villageId, { headName: '参与乙' }),
      await createTestHousehold(t, committee, villageId, { headName: '参与丙' }),
    ];
    const villager = (
      await request(t.http).post('/api/v1/auth/villager-login').send({ householdCode: a.code, pin: '135790' })
    ).body.token as string;
    const report = async (text: string) =>
      (
        await request(t.http)
          .post('/api/v1/grid-affairs')
          .set(auth(villager))
          .send({ villageId, kind: 'ENVIRONMENT', text })
      ).body.id as number;
    const step = (id: number, what: string, body: object) =>
      request(t.http).post(`/api/v1/grid-affairs/${id}/${what}`).set(auth(committee)).send(body);
    const handled = await report('垃圾堆');
    await step(handled, 'screen', { valid: true });
    await step(handled, 'dispatch', { householdId: b.id, dueOn: todayInChina() });
    await step(handled, 'close', { note: '已清理' });
    const invalid = await report('狗叫');
    await step(invalid, 'screen', { valid: false, reason: '不属于网格事务' });
    const late = await report('路灯坏');
    await step(late, 'screen', { valid: true });
    await step(late, 'dispatch', { householdId: b.id, dueOn: todayInChina() });
    await report('还没筛选');

    const rule = await createTestRule(t, committee, villageId, { title: '志愿服务', points: 5 });
    const activity = await request(t.http)
      .post('/api/v1/activities')
      .set(auth(committee))
      .send({ villageId, title: '清扫村道', on: todayInChina(), place: '村口', places: 5, ruleId: rule.id });
    expect(activity.status).toBe(201);
    for (const [householdId, hours] of [
      [a.id, 2.5],
      [c.id, 3],
    ])
      expect(
        (
          await request(t.http)
            .post(`/api/v1/activities/${activity.body.id}/attendance`)
            .set(auth(committee))
            .send({ householdId, hours })
        ).status,
      ).toBeLessThan(300);
    await postDeeds(t, scene, [
      { householdId: a.id, points: 10, occurredOn: daysAgo(0) },
      { householdId: c.id, points: 5, occurredOn: daysAgo(0) },
    ]);

    const month = todayInChina().slice(0, 7);
    const res = await request(t.http)
      .get(`/api/v1/townships/${scene.township.id}/participation?period=${month}`)
      .set(auth(await scene.townshipUser.token()));
    expect(res.status).toBe(200);
    const row = res.body.villages.find((v: { villageId: number }) => v.villageId === villageId);

    // What the records count, read straight from the tables.
    const one = async (sql: string) => Number(Object.values((await t.dataSource.query(sql))[0])[0] ?? 0);
    const affairs = `FROM grid_affair WHERE "villageId" = ${villageId}`;
    const expected = {
      affairsReported: await one(`SELECT COUNT(*) ${affairs}`),
      affairsValid: await one(`SELECT COUNT(*) ${affairs} AND status IN ('VALID', 'DISPATCHED', 'HANDLED')`),
      affairsHandledOnTime: await one(`SELECT COUNT(*) ${affairs} AND status = 'HANDLED'`),
      volunteerHours: await one(
        `SELECT SUM(x.hours) FROM activity_attendance x JOIN activity y ON y.id = x."activityId" WHERE y."villageId" = ${villageId}`,
      ),
      households: await one(
        `SELECT COUNT(*) FROM household WHERE "villageId" = ${villageId} AND status = 'ACTIVE'`,
      ),
      householdsWithPoints: await one(
        `SELECT COUNT(DISTINCT e."householdId") FROM ledger_entry e JOIN household h ON h.id = e."householdId"
          WHERE h."villageId" = ${villageId} AND h.status = 'ACTIVE' AND e.kind = 'SCORE'`,
      ),
    };
    expect(expected).toMatchObject({
      affairsReported: 4,
      affairsValid: 2,
      affairsHandledOnTime: 1,
      volunteerHours: 5.5,
    });
    expect(row).toMatchObject(expected);
    expect(row.shareWithPoints).toBe(
      Math.round((1000 * expected.householdsWithPoints) / expected.households) / 10,
    );

    // The dashboard shows the same table; a village committee may not ask for it.
    const agent = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
    const page = await agent.get(`/township?period=${month}`);
    expect(page.text).toContain('群众参与');
    expect(page.text).toContain(`${expected.householdsWithPoints} / ${expected.households}`);
    const refused = await request(t.http)
      .get(`/api/v1/townships/${scene.township.id}/participation?period=${month}`)
      .set(auth(committee));
    expect(refused.status).toBe(403);
    const badPeriod = await request(t.http)
      .get(`/api/v1/townships/${scene.township.id}/participation?period=2026-13`)
      .set(auth(await scene.townshipUser.token()));
    expect(badPeriod.status).toBe(400);
  });
});

import request from 'supertest';
import { todayInChina } from '../../src/common/dates.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, createTestUser, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { postDeeds, afterPeriodEnds } from '../support/ranking-fixtures.js';
import {
  createScoringScene,
  createTestHousehold,
  createTestRule,
  daysAgo,
} from '../support/scoring-fixtures.js';
import { createTestGoods, newKey } from '../support/supermarket-fixtures.js';

/** 乡镇总览: the overview numbers, who may see them, the dashboard with its charts, the export and fairness signals. */
describe('the township overview', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let township: string;
  const month = todayInChina().slice(0, 7);

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    scene = await createScoringScene(t);
    township = await scene.townshipUser.token();
    const committee = await scene.villageAdmin.token();
    const clerk = await scene.clerk.token();
    const a = await createTestHousehold(t, committee, scene.village.id);
    const b = await createTestHousehold(t, committee, scene.village.id);
    await postDeeds(t, scene, [
      { householdId: a.id, points: 40, occurredOn: `${month}-01` },
      { householdId: b.id, points: 25, occurredOn: `${month}-01` },
    ]);
    const goods = await createTestGoods(t, clerk, scene.village.id, { pricePoints: 7 });
    const redeem = () =>
      request(t.http)
        .post('/api/v1/redemptions')
        .set(auth(clerk))
        .send({ householdId: a.id, items: [{ goodsId: goods.id, quantity: 1 }], idempotencyKey: newKey() });
    await redeem();
    const cancelled = await redeem();
    await request(t.http).post(`/api/v1/redemptions/${cancelled.body.id}/cancel`).set(auth(clerk)).send({});
    const rule = await createTestRule(t, committee, scene.village.id, { points: 5 });
    for (let i = 0; i < 6; i++)
      await request(t.http)
        .post('/api/v1/score-records')
        .set(auth(await scene.scorer.token()))
        .send({ householdId: a.id, ruleId: rule.id, occurredOn: daysAgo(0) });
    await afterPeriodEnds(t, month, () =>
      request(t.http)
        .post(`/api/v1/villages/${scene.village.id}/ranking-snapshots`)
        .set(auth(committee))
        .send({ period: month }),
    );
  });
  afterAll(() => t.close());

  it('should give each village of the township its households, points, redemptions, queue and snapshot status', async () => {
    const res = await request(t.http)
      .get(`/api/v1/townships/${scene.township.id}/overview?period=${month}`)
      .set(auth(township));
    expect(res.status).toBe(200);
    const own = res.body.villages.find((v: { villageId: number }) => v.villageId === scene.village.id);
    expect(own).toMatchObject({
      households: 2,
      earned: 65,
      redeemed: 7,
      pendingRecords: 6,
      openObjections: 0,
      snapshotStatus: 'SUBMITTED',
    });
    expect(res.body.villages.map((v: { villageId: number }) => v.villageId)).toContain(scene.neighbour.id);
    expect(res.body.villages.map((v: { villageId: number }) => v.villageId)).not.toContain(
      scene.farVillage.id,
    );
  });

  it('should refuse another township, a village committee and a bad period', async () => {
    const other = await (
      await createTestUser(t, { role: 'TOWNSHIP', townshipId: scene.otherTownship.id })
    ).token();
    const path = `/api/v1/townships/${scene.township.id}/overview`;
    expect((await request(t.http).get(path).set(auth(other))).status).toBe(403);
    expect(
      (
        await request(t.http)
          .get(path)
          .set(auth(await scene.villageAdmin.token()))
      ).status,
    ).toBe(403);
    const bad = await request(t.http).get(`${path}?period=2026-13`).set(auth(township));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.period).toBeDefined();
  });

  it('should show the dashboard with four charts, names escaped, and export the overview', async () => {
    const admin = await t.adminToken();
    await request(t.http)
      .patch(`/api/v1/villages/${scene.neighbour.id}`)
      .set(auth(admin))
      .send({ name: '<b>邻村</b>' });
    const page = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
    const res = await page.get(`/township?period=${month}`);
    expect(res.status).toBe(200);
    expect(res.text.match(/<svg class="chart" role="img"/g)?.length).toBe(4);
    expect(res.text).not.toContain('<b>邻村</b>');
    expect(res.text).toContain('&lt;b&gt;邻村&lt;/b&gt;');
    const csv = await page.get(`/township/export.csv?period=${month}`);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    expect(csv.text).toMatch(new RegExp(`${scene.village.name},2,65,7,6,0,待审核`));
  });

  it('should list a scorer whose records go mostly to a few households, as a signal to look into', async () => {
    const res = await request(t.http)
      .get(`/api/v1/townships/${scene.township.id}/fairness?period=${month}`)
      .set(auth(township));
    expect(res.body.items).toContainEqual(
      expect.objectContaining({ kind: 'CONCENTRATION', villageId: scene.village.id }),
    );
  });
});

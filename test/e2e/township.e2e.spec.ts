import request from 'supertest';
import { todayInChina } from '../../src/common/dates.js';
import { currentPeriod, parsePeriod } from '../../src/common/periods.js';
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
    // Each chart's title is shown, not only read out.
    expect(res.text).toContain(`<figcaption class="chart-title">近 12 个月全乡镇积分</figcaption>`);
    expect(res.text).not.toContain('<b>邻村</b>');
    expect(res.text).toContain('&lt;b&gt;邻村&lt;/b&gt;');
    const csv = await page.get(`/township/export.csv?period=${month}`);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    expect(csv.text).toMatch(new RegExp(`${scene.village.name},2,65,7,6,0,待审核`));
  });

  describe('fairness signals', () => {
    let favouring: string;
    let favoured: { code: string }[];

    beforeAll(async () => {
      // The neighbour village: 20 households, one scorer spreading 12 reward records over 12 of them, another
      // giving 12 to just 3 (4 each).
      const committee = await scene.neighbourAdmin.token();
      const homes = [];
      for (let i = 0; i < 20; i++) homes.push(await createTestHousehold(t, committee, scene.neighbour.id));
      const rule = await createTestRule(t, committee, scene.neighbour.id, { points: 5 });
      const fair = await (
        await createTestUser(t, {
          role: 'SCORER',
          villageId: scene.neighbour.id,
          displayName: '公平的登记人',
        })
      ).token();
      favouring = await (
        await createTestUser(t, {
          role: 'SCORER',
          villageId: scene.neighbour.id,
          displayName: '偏心的登记人',
        })
      ).token();
      favoured = homes.slice(0, 3);
      const record = async (token: string, householdId: number) => {
        const res = await request(t.http)
          .post('/api/v1/score-records')
          .set(auth(token))
          .send({ householdId, ruleId: rule.id, occurredOn: daysAgo(0) });
        expect(res.status).toBe(201);
      };
      for (let i = 0; i < 12; i++) {
        await record(fair, homes[i + 3].id);
        await record(favouring, (homes[i % 3] as { id: number }).id);
      }
    });

    it('should flag only the scorer whose records go to a few households beyond chance, with the chance in words', async () => {
      const res = await request(t.http)
        .get(`/api/v1/townships/${scene.township.id}/fairness?period=${month}`)
        .set(auth(township));
      const concentration = res.body.items.filter((s: { kind: string }) => s.kind === 'CONCENTRATION');
      // Neither the fair spread nor the 6 records of the first village's scorer on one of its 2 households.
      expect(concentration).toHaveLength(1);
      expect(concentration[0]).toMatchObject({ villageId: scene.neighbour.id });
      expect(concentration[0].pValue).toBeLessThan(0.01);
      expect(concentration[0].text).toContain('偏心的登记人 本期登记加分 12 条，其中 12 条（100%）给了');
      for (const home of favoured) expect(concentration[0].text).toContain(home.code);
      expect(concentration[0].text).toContain('全村 20 户');
      expect(concentration[0].text).toContain('这样集中的可能不到百万分之一（p < 0.000001');
    });

    it('should show each signal with a link to the records behind it', async () => {
      const page = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
      const res = await page.get(`/township?period=${month}`);
      expect(res.text).toContain('偏心的登记人 本期登记加分 12 条');
      const href = /<a class="btn btn-quiet" href="([^"]+)">查看相关记录<\/a>/.exec(res.text)?.[1];
      expect(href).toMatch(/^\/audit\?/);
      const records = await page.get(href!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '='));
      expect(records.status).toBe(200);
      // That scorer's 12 records of the period, nobody else's.
      expect(records.text.match(/<p class="audit-who"><strong>偏心的登记人<\/strong>/g)).toHaveLength(12);
    });
  });

  it('should open on the last ended month', async () => {
    const page = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
    const res = await page.get('/township');
    const last = parsePeriod(currentPeriod('month').previous)!;
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<h1>${scene.township.name} · ${last.label}总览</h1>`);
    // The period is picked from a list (month, quarter, year), the month shown selected; written as people write
    // it in the address, it is read too.
    expect(res.text).toMatch(new RegExp(`<select id="f-period" name="period"[^>]*>`));
    expect(res.text).toContain(`<option value="${last.key}" selected>`);
    const [year, month] = last.key.split('-').map(Number);
    const typed = await page.get(`/township?period=${encodeURIComponent(`${year}年${month}月`)}`);
    expect(typed.status).toBe(200);
    expect(typed.text).toContain(`<h1>${scene.township.name} · ${last.label}总览</h1>`);
  });
});

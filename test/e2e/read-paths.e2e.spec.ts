import request from 'supertest';
import { Transactions } from '../../src/database/transactions.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, loggedIn, TEST_PASSWORD, villagerAgent } from '../support/factories.js';
import { postDeeds } from '../support/ranking-fixtures.js';
import {
  createScoringScene,
  createTestHousehold,
  createTestRule,
  daysAgo,
} from '../support/scoring-fixtures.js';

/**
 * The read paths a month end's crowd opens (passbooks, rankings, the board, the township's dashboard) are paged and
 * kept between reads for speed (issue 7); what people check is that they still show every entry and every point as
 * soon as it is posted.
 */
describe('read paths at county scale: paged passbooks, kept rankings and boards', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0', DEMO_HISTORY: 'off' } });
    scene = await createScoringScene(t);
    committee = await scene.villageAdmin.token();
  });
  afterAll(() => t.close());

  const label = (n: number) => `存折第${String(n).padStart(3, '0')}笔`;
  const labelsIn = (html: string) => [...html.matchAll(/存折第(\d{3})笔/g)].map((m) => Number(m[1]));
  /** The links of a page as a browser follows them (entities decoded). */
  const linksIn = (html: string) =>
    [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'));

  it('should page a long passbook, newest first, 20 to a page, keeping the filters, and the API should still give all of it', async () => {
    const h = await createTestHousehold(t, committee, scene.village.id, {
      headName: '长存折',
      pin: '246810',
    });
    const ledger = t.app.get(LedgerService);
    for (let n = 1; n <= 60; n++)
      await t.app.get(Transactions).run((manager) =>
        ledger.append(manager, {
          householdId: h.id,
          amount: n,
          kind: 'OPENING',
          description: label(n),
          occurredOn: daysAgo(0),
        }),
      );
    const villager = await villagerAgent(t, h.code, '246810');

    const first = await villager.get('/villager/passbook');
    expect(first.status).toBe(200);
    expect(labelsIn(first.text)).toEqual(Array.from({ length: 20 }, (_, i) => 60 - i));
    expect(linksIn(first.text)).toContain('/villager/passbook?page=2');
    expect(first.text).not.toContain('较新的记录');

    const second = await villager.get('/villager/passbook?page=2');
    expect(labelsIn(second.text)).toEqual(Array.from({ length: 20 }, (_, i) => 40 - i));
    expect(linksIn(second.text)).toEqual(
      expect.arrayContaining(['/villager/passbook', '/villager/passbook?page=3']),
    );
    const last = await villager.get('/villager/passbook?page=3');
    expect(labelsIn(last.text)).toEqual(Array.from({ length: 20 }, (_, i) => 20 - i));
    expect(linksIn(last.text)).toContain('/villager/passbook?page=2');
    expect(last.text).not.toContain('更早的记录');

    // The household's page shows the last ten lines (issue 10: the household first, then its records and notices).
    const home = await villager.get('/villager');
    expect(labelsIn(home.text)).toEqual(Array.from({ length: 10 }, (_, i) => 60 - i));
    expect(home.text).toContain('只显示最近 10 条');

    const staff = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    const filtered = await staff.get(`/households/${h.id}/passbook?kind=OPENING`);
    expect(linksIn(filtered.text)).toContain(`/households/${h.id}/passbook?kind=OPENING&page=2`);

    const api = await request(t.http).get(`/api/v1/households/${h.id}/passbook`).set(auth(committee));
    expect(api.body.entries.map((e: { description: string }) => e.description)).toEqual(
      Array.from({ length: 60 }, (_, i) => label(60 - i)),
    );
    expect(api.body.household.available).toBe((60 * 61) / 2);

    const wrong = await villager.get('/villager/passbook?page=0');
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('页码应为正整数');
  });

  it('should show newly posted points at once on the ranking, the villager’s rank, the board and the township dashboard, though each is kept between reads', async () => {
    const villageId = scene.village.id;
    const month = daysAgo(0).slice(0, 7);
    const [a, b] = [
      await createTestHousehold(t, committee, villageId, { headName: '甲户', pin: '112233' }),
      await createTestHousehold(t, committee, villageId, { headName: '乙户', pin: '445566' }),
    ];
    await postDeeds(t, scene, [
      { householdId: a.id, points: 30, occurredOn: daysAgo(0) },
      { householdId: b.id, points: 20, occurredOn: daysAgo(0) },
    ]);
    const ranking = async () =>
      (
        await request(t.http)
          .get(`/api/v1/villages/${villageId}/ranking?period=${month}`)
          .set(auth(committee))
      ).body.rows as { householdId: number; rank: number; points: number }[];
    const placeOf = (rows: { householdId: number; rank: number; points: number }[], id: number) =>
      rows.find((r) => r.householdId === id);
    const township = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
    const earnedOnDashboard = async () => {
      const html = (await township.get(`/township?period=${month}`)).text;
      const row = new RegExp(`<td>${scene.village.name}</td><td>\\d+</td><td>(-?\\d+)</td>`).exec(html);
      return Number(row?.[1]);
    };
    const villager = await villagerAgent(t, b.code, '445566');

    // Read twice: the second answer is the kept one.
    for (let i = 0; i < 2; i++) {
      expect([placeOf(await ranking(), a.id)?.rank, placeOf(await ranking(), b.id)?.rank]).toEqual([1, 2]);
      await request(t.http).get(`/public/villages/${villageId}`).expect(200);
    }
    const earnedBefore = await earnedOnDashboard();
    expect((await villager.get('/villager')).text).toContain('第 2 名');
    const board = await request(t.http).get(`/public/villages/${villageId}?section=stars`);
    expect(board.text).not.toContain('乙户');

    await postDeeds(t, scene, [{ householdId: b.id, points: 40, occurredOn: daysAgo(0) }]);

    expect(placeOf(await ranking(), b.id)).toMatchObject({ rank: 1, points: 60 });
    expect(placeOf(await ranking(), a.id)).toMatchObject({ rank: 2, points: 30 });
    expect((await villager.get('/villager')).text).toContain('第 1 名');
    expect(await earnedOnDashboard()).toBe(earnedBefore + 40);
    // 60 points this year: the first star (default thresholds start at 50).
    const after = await request(t.http).get(`/public/villages/${villageId}?section=stars`);
    expect(after.text).toContain('乙户');
  });

  it('should show a record on the villagers’ page as soon as its publication opens, though the open publication is kept between reads', async () => {
    const villageId = scene.village.id;
    const household = await createTestHousehold(t, committee, villageId, { headName: '丙户', pin: '778899' });
    const rule = await createTestRule(t, committee, villageId, { title: '清扫村道' });
    const scorer = await scene.scorer.token();
    const publish = async () => {
      const rec = await request(t.http)
        .post('/api/v1/score-records')
        .set(auth(scorer))
        .send({ householdId: household.id, ruleId: rule.id, occurredOn: daysAgo(1) })
        .expect(201);
      await request(t.http)
        .post(`/api/v1/score-records/${rec.body.id}/approve`)
        .set(auth(committee))
        .send({})
        .expect(200);
      await request(t.http)
        .post('/api/v1/publications')
        .set(auth(committee))
        .send({ villageId, days: 3 })
        .expect(201);
    };
    const villager = await villagerAgent(t, household.code, '778899');
    const shown = async () =>
      ((await villager.get('/villager/publicity')).text.match(/清扫村道/g) ?? []).length;

    await publish();
    expect(await shown()).toBe(1);
    expect(await shown()).toBe(1);
    await publish();
    expect(await shown()).toBe(2);
  });
});

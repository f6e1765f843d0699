import request from 'supertest';
import { DEMO_PASSWORD } from '../../seeds/demo-county.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, createTestCounty, csrfFrom, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { createTestHousehold, createTestRule, daysAgo } from '../support/scoring-fixtures.js';
import { createHouseholdWithPoints, createTestGoods, newKey } from '../support/supermarket-fixtures.js';

/** Issue 16.4: one person can no longer act alone through a staff account he made himself or his own household. */
describe('staff accounts: confirmation by the township and the account’s own household', () => {
  let t: TestApp;
  let county: Awaited<ReturnType<typeof createTestCounty>>;
  let committee: string;

  beforeAll(async () => {
    t = await createTestApp();
    county = await createTestCounty(t);
    committee = await county.villageAdmin.token();
  });
  afterAll(() => t.close());

  const login = (username: string) =>
    request(t.http).post('/api/v1/auth/login').send({ username, password: TEST_PASSWORD });
  const newScorer = (username: string, token = committee, extra: Record<string, unknown> = {}) =>
    request(t.http)
      .post('/api/v1/users')
      .set(auth(token))
      .send({
        username,
        password: TEST_PASSWORD,
        displayName: '新组长',
        role: 'SCORER',
        villageId: county.village.id,
        noHousehold: true,
        ...extra,
      });

  it('should not let a committee’s new scorer log in until the township confirms the account', async () => {
    const created = await newScorer('wait_scorer');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ active: false, awaitingConfirmation: true });
    const early = await login('wait_scorer');
    expect(early.status).toBe(401);
    expect(early.body.error.message).toContain('账号等待乡镇确认');

    const township = await county.townshipUser.token();
    const agent = await loggedIn(t, county.townshipUser.username, TEST_PASSWORD);
    const page = (await agent.get('/admin/users')).text;
    expect(page).toContain('等待乡镇确认的账号');
    expect(page).toContain(`/admin/users/${created.body.id}/confirm`);

    const byCommittee = await request(t.http)
      .post(`/api/v1/users/${created.body.id}/confirm`)
      .set(auth(committee));
    expect(byCommittee.status).toBe(403);
    const reEnabled = await request(t.http)
      .patch(`/api/v1/users/${created.body.id}`)
      .set(auth(committee))
      .send({ active: true });
    expect(reEnabled.status).toBe(400);
    expect((await login('wait_scorer')).status).toBe(401);

    const confirmed = await request(t.http)
      .post(`/api/v1/users/${created.body.id}/confirm`)
      .set(auth(township));
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ active: true, awaitingConfirmation: false });
    expect((await login('wait_scorer')).status).toBe(200);
    const [audit] = await t.dataSource.query(
      `SELECT "actorId" FROM audit_log WHERE action = 'user.confirm' AND "entityId" = ${Number(created.body.id)}`,
    );
    expect(Number(audit.actorId)).toBe(county.townshipUser.id);
  });

  it('should make a confirmed scorer wait for the township again when the committee sets its password', async () => {
    const created = await newScorer('reset_scorer', await county.townshipUser.token());
    expect((await login('reset_scorer')).status).toBe(200);
    const reset = await request(t.http)
      .patch(`/api/v1/users/${created.body.id}`)
      .set(auth(committee))
      .send({ password: 'committee-knows-2026' });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ active: false, awaitingConfirmation: true });
    const asScorer = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ username: 'reset_scorer', password: 'committee-knows-2026' });
    expect(asScorer.status).toBe(401);
    expect(asScorer.body.error.message).toContain('账号等待乡镇确认');
    const confirmed = await request(t.http)
      .post(`/api/v1/users/${created.body.id}/confirm`)
      .set(auth(await county.townshipUser.token()));
    expect(confirmed.status).toBe(200);
    const after = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ username: 'reset_scorer', password: 'committee-knows-2026' });
    expect(after.status).toBe(200);
  });

  it('should let an account the township creates log in at once', async () => {
    const created = await newScorer('tw_made_scorer', await county.townshipUser.token());
    expect(created.body).toMatchObject({ active: true, awaitingConfirmation: false });
    expect((await login('tw_made_scorer')).status).toBe(200);
  });

  it('should refuse a village account that states neither its household nor that it has none', async () => {
    const res = await newScorer('nohome', await t.adminToken(), { noHousehold: undefined });
    expect(res.status).toBe(400);
    expect(res.body.error.details.householdId).toBe('请填写本人所在的户，或勾选“本人在本村没有户”');
    const both = await newScorer('bothhome', await t.adminToken(), { householdId: 1 });
    expect(both.status).toBe(400);
    const township = await request(t.http)
      .post('/api/v1/users')
      .set(auth(await t.adminToken()))
      .send({
        username: 'tw_nohome',
        password: TEST_PASSWORD,
        displayName: '镇',
        role: 'TOWNSHIP',
        townshipId: county.township.id,
      });
    expect(township.status).toBe(201);
  });

  it('should keep a staff account from recording, approving or redeeming for the household it states', async () => {
    const home = await createHouseholdWithPoints(t, committee, county.village.id, 100);
    const other = await createTestHousehold(t, committee, county.village.id);
    const rule = await createTestRule(t, committee, county.village.id);
    const goods = await createTestGoods(t, committee, county.village.id);
    const township = await county.townshipUser.token();
    for (const user of [county.scorer, county.villageAdmin, county.clerk]) {
      const stated = await request(t.http)
        .patch(`/api/v1/users/${user.id}`)
        .set(auth(township))
        .send({ householdId: home.id });
      expect(stated.status).toBe(200);
      expect(stated.body.householdId).toBe(home.id);
    }
    const recorded = await request(t.http)
      .post('/api/v1/score-records')
      .set(auth(await county.scorer.token()))
      .send({ householdId: home.id, ruleId: rule.id, occurredOn: daysAgo(1) });
    expect(recorded.status).toBe(409);
    expect(recorded.body.error.code).toBe('SAME_PERSON');

    const byTownshipScorer = await newScorer('home_rec', township);
    const recorder = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ username: byTownshipScorer.body.username, password: TEST_PASSWORD });
    const record = await request(t.http)
      .post('/api/v1/score-records')
      .set(auth(recorder.body.token))
      .send({ householdId: home.id, ruleId: rule.id, occurredOn: daysAgo(1) });
    expect(record.status).toBe(201);
    const approved = await request(t.http)
      .post(`/api/v1/score-records/${record.body.id}/approve`)
      .set(auth(committee))
      .send({});
    expect(approved.status).toBe(409);
    expect(approved.body.error.code).toBe('SAME_PERSON');

    const redeemed = await request(t.http)
      .post('/api/v1/redemptions')
      .set(auth(await county.clerk.token()))
      .send({ householdId: home.id, items: [{ goodsId: goods.id, quantity: 1 }], idempotencyKey: newKey() });
    expect(redeemed.status).toBe(409);
    expect(redeemed.body.error.code).toBe('SAME_PERSON');
    const forOther = await request(t.http)
      .post('/api/v1/score-records')
      .set(auth(await county.scorer.token()))
      .send({ householdId: other.id, ruleId: rule.id, occurredOn: daysAgo(1) });
    expect(forOther.status).toBe(201);
  });

  it('should bring the committee’s new-account form back with the household message when neither is given', async () => {
    const agent = await loggedIn(t, county.villageAdmin.username, TEST_PASSWORD);
    const form = await agent.get('/admin/users/new');
    expect(form.text).toContain('本人在本村没有户');
    const res = await agent
      .post('/admin/users')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        username: 'form_nohome',
        displayName: '无户组长',
        role: 'SCORER',
        villageId: String(county.village.id),
        password: 'page-pass-2026',
      });
    expect(res.status).toBe(400);
    expect(res.text).toContain('请填写本人所在的户，或勾选“本人在本村没有户”');
    expect(res.text).toContain('value="无户组长"');
  });

  it('should show the township a signal when a record is approved by the creator of its recorder’s account', async () => {
    const scene = await createTestCounty(t);
    const admin = await scene.villageAdmin.token();
    const made = await request(t.http).post('/api/v1/users').set(auth(admin)).send({
      username: 'own_scorer',
      password: TEST_PASSWORD,
      displayName: '自建组长',
      role: 'SCORER',
      villageId: scene.village.id,
      noHousehold: true,
    });
    const township = await scene.townshipUser.token();
    await request(t.http).post(`/api/v1/users/${made.body.id}/confirm`).set(auth(township));
    const scorer = (await login('own_scorer')).body.token as string;
    const household = await createTestHousehold(t, admin, scene.village.id);
    const rule = await createTestRule(t, admin, scene.village.id, { points: 20 });
    const record = await request(t.http)
      .post('/api/v1/score-records')
      .set(auth(scorer))
      .send({ householdId: household.id, ruleId: rule.id, occurredOn: daysAgo(0) });
    const fairness = async () =>
      (
        await request(t.http)
          .get(`/api/v1/townships/${scene.township.id}/fairness?period=${daysAgo(0).slice(0, 7)}`)
          .set(auth(township))
      ).body.items as { kind: string; text: string }[];
    expect((await fairness()).filter((s) => s.kind === 'CREATOR_APPROVAL')).toEqual([]);
    const approved = await request(t.http)
      .post(`/api/v1/score-records/${record.body.id}/approve`)
      .set(auth(admin))
      .send({});
    expect(approved.status).toBe(200);
    const signals = (await fairness()).filter((s) => s.kind === 'CREATOR_APPROVAL');
    expect(signals).toHaveLength(1);
    expect(signals[0].text).toContain('自建组长');
    expect(signals[0].text).toContain('1 条记录');
  });
});

describe('staff accounts of the demo county', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: 'demo', env: { DEMO_HISTORY: 'off' } });
  });
  afterAll(() => t.close());

  it('should state a household or "none" for every demo village account, so the clerk cannot redeem for his own', async () => {
    const unstated = await t.dataSource.query(
      `SELECT username FROM app_user WHERE "villageId" IS NOT NULL AND "householdId" IS NULL AND "noHouseholdInVillage" = ${t.dataSource.options.type === 'postgres' ? 'false' : '0'}`,
    );
    expect(unstated).toEqual([]);
    const [own] = await t.dataSource.query(
      `SELECT h.id, h."villageId" FROM household h JOIN app_user u ON u."householdId" = h.id WHERE u.username = 'ty_clerk'`,
    );
    const committee = await t.token('ty_admin', DEMO_PASSWORD);
    const goods = await createTestGoods(t, committee, Number(own.villageId));
    const res = await request(t.http)
      .post('/api/v1/redemptions')
      .set(auth(await t.token('ty_clerk', DEMO_PASSWORD)))
      .send({
        householdId: Number(own.id),
        items: [{ goodsId: goods.id, quantity: 1 }],
        idempotencyKey: newKey(),
      });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('SAME_PERSON');
  });
});

import request from 'supertest';
import { todayInChina } from '../../src/common/dates.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, csrfFrom, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { postDeeds } from '../support/ranking-fixtures.js';
import { createScoringScene, createTestHousehold } from '../support/scoring-fixtures.js';

/** 积分证明: issued with the live numbers, checked at /verify, refused when altered or revoked. */
describe('credit certificates', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;
  let household: { id: number; code: string };

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    scene = await createScoringScene(t);
    committee = await scene.villageAdmin.token();
    household = await createTestHousehold(t, committee, scene.village.id, { headName: '赵德福' });
    const other = await createTestHousehold(t, committee, scene.village.id);
    await request(t.http)
      .put(`/api/v1/villages/${scene.village.id}/ranking-settings`)
      .set(auth(committee))
      .send({ starThresholds: '10,20,30,40,50', blackListMode: 'NAMED', redListSize: 10 });
    const year = todayInChina().slice(0, 4);
    await postDeeds(t, scene, [
      { householdId: household.id, points: 35, occurredOn: `${year}-01-05` },
      { householdId: other.id, points: 60, occurredOn: `${year}-01-05` },
    ]);
  });
  afterAll(() => t.close());

  const issue = () =>
    request(t.http)
      .post(`/api/v1/households/${household.id}/certificates`)
      .set(auth(committee))
      .send({ purpose: '申请积分贷' });

  it('should state the earned points, the year’s rank and the stars, and verify as genuine', async () => {
    const res = await issue();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      earned: 35,
      yearPoints: 35,
      rank: 2,
      households: 2,
      stars: 3,
      householdCode: household.code,
    });
    expect(res.body.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const api = await request(t.http).get(`/api/v1/certificates/verify/${res.body.code.toLowerCase()}`);
    expect(api.body.status).toBe('VALID');
    const page = await request(t.http).get(`/verify/${res.body.code}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('真实有效');
    expect(page.text).toContain('赵德福');
  });

  it('should fail verification when the stored certificate is changed', async () => {
    const { body } = await issue();
    const [row] = await t.dataSource.query(
      `SELECT "payloadJson" FROM credit_certificate WHERE id = ${body.id}`,
    );
    const forged = JSON.stringify({ ...JSON.parse(row.payloadJson), earned: 3500 });
    await t.dataSource.query(
      `UPDATE credit_certificate SET "payloadJson" = '${forged}' WHERE id = ${body.id}`,
    );
    const res = await request(t.http).get(`/api/v1/certificates/verify/${body.code}`);
    expect(res.body).toEqual({ status: 'ALTERED', certificate: null });
    expect((await request(t.http).get(`/verify/${body.code}`)).text).toContain('内容被改动，无效');
  });

  it('should say revoked with the reason once the committee revokes it, and refuse a revoke without reason', async () => {
    const { body } = await issue();
    const noReason = await request(t.http)
      .post(`/api/v1/certificates/${body.id}/revoke`)
      .set(auth(committee))
      .send({});
    expect(noReason.status).toBe(400);
    const agent = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    const page = await agent.get(`/certificates/${body.id}`);
    expect(page.text).toContain(body.code);
    const revoked = await agent
      .post(`/certificates/${body.id}/revoke`)
      .type('form')
      .send({ reason: '农户已迁出', _csrf: csrfFrom(page.text) });
    expect(revoked.status).toBe(303);
    const res = await request(t.http).get(`/api/v1/certificates/verify/${body.code}`);
    expect(res.body.status).toBe('REVOKED');
    expect(res.body.certificate.revokeReason).toBe('农户已迁出');
  });

  it('should answer an unknown code with 404 and a clear page', async () => {
    expect((await request(t.http).get('/api/v1/certificates/verify/AAAA-BBBB-CCCC')).status).toBe(404);
    const page = await request(t.http).get('/verify?code=AAAA-BBBB-CCCC');
    expect(page.status).toBe(404);
    expect(page.text).toContain('查无此证明');
  });

  it('should let only the household’s own committee issue one', async () => {
    const neighbour = await scene.neighbourAdmin.token();
    expect(
      (
        await request(t.http)
          .post(`/api/v1/households/${household.id}/certificates`)
          .set(auth(neighbour))
          .send({})
      ).status,
    ).toBe(403);
    const villager = await request(t.http)
      .post('/api/v1/auth/villager-login')
      .send({ householdCode: household.code, pin: '135790' });
    expect(
      (
        await request(t.http)
          .post(`/api/v1/households/${household.id}/certificates`)
          .set(auth(villager.body.token))
          .send({})
      ).status,
    ).toBe(403);
  });
});

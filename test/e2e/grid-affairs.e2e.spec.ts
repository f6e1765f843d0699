import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, createTestUser, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import {
  createScoringScene,
  createTestHousehold,
  createTestRule,
  daysAgo,
} from '../support/scoring-fixtures.js';
import { newKey } from '../support/supermarket-fixtures.js';

/**
 * 网格 and 网格事务 (issue 21): grids with their 网格员; a matter reported, screened, dispatched and handled; the steps
 * the village pays for make one PENDING record each, however often they are sent; the reporter hears of each step.
 */
describe('grids and grid affairs', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;
  let scorer: string;
  let villageId: number;
  let reportRule: { id: number };
  let handleRule: { id: number };

  const villagerToken = async (code: string) =>
    (await request(t.http).post('/api/v1/auth/villager-login').send({ householdCode: code, pin: '135790' }))
      .body.token as string;
  const recordsOf = async (householdId: number, ruleId: number) =>
    (await t.dataSource.query(
      `SELECT id, status, points FROM score_record WHERE "householdId" = ${householdId} AND "ruleId" = ${ruleId}`,
    )) as { id: number; status: string; points: number }[];
  const report = (token: string, body: Record<string, unknown>) =>
    request(t.http)
      .post('/api/v1/grid-affairs')
      .set(auth(token))
      .send({ villageId, kind: 'ENVIRONMENT', text: '河边有人倒垃圾', ...body });
  const step = (token: string, id: number, what: string, body: Record<string, unknown>) =>
    request(t.http).post(`/api/v1/grid-affairs/${id}/${what}`).set(auth(token)).send(body);

  beforeAll(async () => {
    t = await createTestApp({ env: { DEMO_HISTORY: 'off' } });
    scene = await createScoringScene(t);
    committee = await scene.villageAdmin.token();
    scorer = await scene.scorer.token();
    villageId = scene.village.id;
    reportRule = await createTestRule(t, committee, villageId, { title: '有效上报网格事务', points: 2 });
    handleRule = await createTestRule(t, committee, villageId, { title: '承办网格事务', points: 5 });
    const set = await request(t.http)
      .put(`/api/v1/villages/${villageId}/grid-settings`)
      .set(auth(committee))
      .send({ validReportRuleId: reportRule.id, handledRuleId: handleRule.id });
    expect(set.status).toBe(200);
  });
  afterAll(() => t.close());

  it('should divide households into grids with their 网格员, one grid per household', async () => {
    const a = await createTestHousehold(t, committee, villageId, { headName: '网格甲' });
    const b = await createTestHousehold(t, committee, villageId, { headName: '网格乙' });
    const grid = await request(t.http)
      .post('/api/v1/grids')
      .set(auth(committee))
      .send({ villageId, name: '第一网格', scorerUserId: scene.scorer.id, householdIds: [a.id, b.id] });
    expect(grid.status).toBe(201);
    expect(grid.body).toMatchObject({
      name: '第一网格',
      scorerUserId: scene.scorer.id,
      householdIds: [a.id, b.id],
    });

    const again = await request(t.http)
      .post('/api/v1/grids')
      .set(auth(committee))
      .send({ villageId, name: '第二网格', householdIds: [b.id] });
    expect(again.status).toBe(400);
    expect(again.body.error.details.householdIds).toContain(b.code);
    const sameName = await request(t.http)
      .post('/api/v1/grids')
      .set(auth(committee))
      .send({ villageId, name: '第一网格', householdIds: [] });
    expect(sameName.status).toBe(400);
    expect(sameName.body.error.details.name).toBe('本村已有同名的网格');
    // A clerk is no 网格员; an account of the neighbouring village neither.
    for (const userId of [scene.clerk.id, scene.neighbourAdmin.id]) {
      const wrong = await request(t.http)
        .post('/api/v1/grids')
        .set(auth(committee))
        .send({ villageId, name: `网格${userId}`, scorerUserId: userId, householdIds: [] });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.details.scorerUserId).toBe('请选择本村在用的网格员账号');
    }
    const list = await request(t.http).get(`/api/v1/villages/${villageId}/grids`).set(auth(scorer));
    expect(list.body.items.map((g: { name: string }) => g.name)).toEqual(['第一网格']);
    // The door plate names the grid.
    const agent = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    expect((await agent.get(`/households/${a.id}/door-plate`)).text).toContain('网格：第一网格');
    expect((await agent.get(`/households/${a.id}`)).text).toContain('网格：第一网格');
  });

  it('should make exactly one record for a valid report, however often it is sent and screened', async () => {
    const reporter = await createTestHousehold(t, committee, villageId, { headName: '上报户' });
    const token = await villagerToken(reporter.code);
    const key = newKey();
    const first = await report(token, { idempotencyKey: key, place: '东河桥下' });
    const repeat = await report(token, { idempotencyKey: key, place: '东河桥下' });
    expect([first.status, repeat.status]).toEqual([201, 200]);
    expect(repeat.body.id).toBe(first.body.id);
    expect(first.body.status).toBe('REPORTED');

    // Two screens at once (a double click), then a retry.
    const both = await Promise.all([
      step(committee, first.body.id, 'screen', { valid: true }),
      step(committee, first.body.id, 'screen', { valid: true }),
    ]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    const retry = await step(committee, first.body.id, 'screen', { valid: true });
    expect(retry.body.status).toBe('VALID');
    const records = await recordsOf(reporter.id, reportRule.id);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'PENDING', points: 2 });
    expect(retry.body.reportRecordId).toBe(records[0].id);
    // Once screened valid, it cannot be called invalid.
    const flip = await step(committee, first.body.id, 'screen', { valid: false, reason: '重复' });
    expect(flip.status).toBe(409);
    expect(flip.body.error.code).toBe('INVALID_STATE');
  });

  it('should make no record for an invalid report, and want a reason for it', async () => {
    const reporter = await createTestHousehold(t, committee, villageId, { headName: '无效户' });
    const token = await villagerToken(reporter.code);
    const affair = await report(token, { kind: 'OTHER', text: '邻居家狗叫' });
    const noReason = await step(committee, affair.body.id, 'screen', { valid: false });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details.reason).toBe('请写明无效的理由');
    const invalid = await step(committee, affair.body.id, 'screen', {
      valid: false,
      reason: '不属于网格事务',
    });
    expect(invalid.body).toMatchObject({ status: 'INVALID', screenReason: '不属于网格事务' });
    expect(await recordsOf(reporter.id, reportRule.id)).toEqual([]);
    const notices = await request(t.http).get('/api/v1/me/notices').set(auth(token));
    expect(notices.body.items.map((n: { text: string }) => n.text)).toContainEqual(
      expect.stringContaining('筛选为无效，理由：不属于网格事务'),
    );
  });

  it('should dispatch to a household that volunteered, pay it once for handling, and tell the reporter each step', async () => {
    const reporter = await createTestHousehold(t, committee, villageId, { headName: '报事户' });
    const helper = await createTestHousehold(t, committee, villageId, { headName: '志愿户' });
    const reporterToken = await villagerToken(reporter.code);
    const helperToken = await villagerToken(helper.code);
    const affair = await report(reporterToken, { kind: 'HELP', text: '独居老人屋顶漏雨' });
    await step(committee, affair.body.id, 'screen', { valid: true });
    const both = await step(committee, affair.body.id, 'dispatch', {
      assigneeUserId: scene.scorer.id,
      householdId: helper.id,
      dueOn: daysAgo(-3),
    });
    expect(both.status).toBe(400);
    const past = await step(committee, affair.body.id, 'dispatch', {
      householdId: helper.id,
      dueOn: daysAgo(1),
    });
    expect(past.status).toBe(400);
    expect(past.body.error.details.dueOn).toBe('期限不能早于今天');
    const dispatched = await step(committee, affair.body.id, 'dispatch', {
      householdId: helper.id,
      dueOn: daysAgo(-3),
    });
    expect(dispatched.body).toMatchObject({ status: 'DISPATCHED', assigneeHouseholdId: helper.id });

    // Not given to the reporter: it may not close it; the helper closes it twice (a refresh).
    const notTheirs = await step(reporterToken, affair.body.id, 'close', { note: '修好了' });
    expect(notTheirs.status).toBe(403);
    const closed = await step(helperToken, affair.body.id, 'close', { note: '已帮忙修好屋顶' });
    const again = await step(helperToken, affair.body.id, 'close', { note: '已帮忙修好屋顶' });
    expect([closed.status, again.status]).toEqual([200, 200]);
    expect(closed.body.status).toBe('HANDLED');
    const records = await recordsOf(helper.id, handleRule.id);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'PENDING', points: 5 });
    expect(again.body.handledRecordId).toBe(records[0].id);

    const told = (await request(t.http).get('/api/v1/me/notices').set(auth(reporterToken))).body.items.map(
      (n: { text: string }) => n.text,
    );
    expect(told).toEqual(
      expect.arrayContaining([
        expect.stringContaining('筛选为有效'),
        expect.stringContaining(`期限到 ${daysAgo(-3)}`),
        expect.stringContaining('已办结：已帮忙修好屋顶'),
      ]),
    );
    // The reporter sees its own matters only; the helper sees the one it was given.
    const own = await request(t.http).get('/api/v1/grid-affairs').set(auth(reporterToken));
    expect(own.body.items.map((a: { id: number }) => a.id)).toEqual([affair.body.id]);
    const given = await request(t.http).get('/api/v1/grid-affairs').set(auth(helperToken));
    expect(given.body.items.map((a: { id: number }) => a.id)).toEqual([affair.body.id]);
  });

  it('should mark a dispatched matter overdue once its due day has passed', async () => {
    const affair = await report(scorer, { kind: 'SAFETY', text: '路灯不亮' });
    expect(affair.status).toBe(201);
    await step(committee, affair.body.id, 'screen', { valid: true });
    await step(committee, affair.body.id, 'dispatch', { assigneeUserId: scene.scorer.id, dueOn: daysAgo(0) });
    const list = async () =>
      (
        await request(t.http)
          .get(`/api/v1/grid-affairs?villageId=${villageId}&status=DISPATCHED`)
          .set(auth(committee))
      ).body.items.find((a: { id: number }) => a.id === affair.body.id);
    expect((await list()).overdue).toBe(false);
    await t.dataSource.query(`UPDATE grid_affair SET "dueOn" = '${daysAgo(1)}' WHERE id = ${affair.body.id}`);
    expect((await list()).overdue).toBe(true);
    // A report by staff earns no household anything when screened valid.
    expect(
      (await request(t.http).get(`/api/v1/grid-affairs/${affair.body.id}`).set(auth(scorer))).body,
    ).toMatchObject({
      reportRecordId: null,
      overdue: true,
    });
  });

  it('should refuse bad input with the field named, and other villages’ staff', async () => {
    const noKind = await report(scorer, { kind: 'FIRE' });
    expect(noKind.status).toBe(400);
    expect(noKind.body.error.details.kind).toBe('请选择事务类别');
    const noText = await report(scorer, { text: '   ' });
    expect(noText.body.error.details.text).toBe('请写明情况');
    const neighbour = await t.token(scene.neighbourAdmin.username, 'test-pass-2026');
    const elsewhere = await report(neighbour, {});
    expect(elsewhere.status).toBe(403);
    const otherScorer = await createTestUser(t, { role: 'SCORER', villageId: scene.neighbour.id });
    const affair = await report(scorer, { text: '井盖缺失' });
    await step(committee, affair.body.id, 'screen', { valid: true });
    const wrongWorker = await step(committee, affair.body.id, 'dispatch', {
      assigneeUserId: otherScorer.id,
      dueOn: daysAgo(-1),
    });
    expect(wrongWorker.status).toBe(400);
    expect(wrongWorker.body.error.details.assigneeUserId).toBe('请选择本村在用的网格员账号');
    const missing = await step(committee, 999999, 'screen', { valid: true });
    expect(missing.status).toBe(404);
    expect((await report(scorer, { villageId: 999999 })).status).toBe(404);
  });

  it('should keep a report’s photo by multipart, and refuse a file that is not a picture with nothing written', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    const withPhoto = await request(t.http)
      .post('/api/v1/grid-affairs')
      .set(auth(scorer))
      .field('villageId', String(villageId))
      .field('kind', 'SAFETY')
      .field('text', '桥栏杆松了')
      .attach('photo', png, { filename: 'bridge.png', contentType: 'image/png' });
    expect(withPhoto.status).toBe(201);
    expect(withPhoto.body.hasPhoto).toBe(true);
    const before = Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM grid_affair'))[0].n);
    const notPicture = await request(t.http)
      .post('/api/v1/grid-affairs')
      .set(auth(scorer))
      .field('villageId', String(villageId))
      .field('kind', 'SAFETY')
      .field('text', '桥栏杆松了')
      .attach('photo', Buffer.from('GIF89a-not-a-png'), { filename: 'x.png', contentType: 'image/png' });
    expect(notPicture.status).toBe(400);
    expect(notPicture.body.error.details.photo).toBe('照片只能是 JPEG 或 PNG 图片');
    expect(Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM grid_affair'))[0].n)).toBe(before);
  });
});

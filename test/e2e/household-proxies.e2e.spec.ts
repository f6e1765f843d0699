import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, villagerAgent } from '../support/factories.js';
import {
  createScoringScene,
  createTestHousehold,
  createTestRule,
  daysAgo,
} from '../support/scoring-fixtures.js';

/** Issue 10, point 5: 亲属代办, someone acting for a household without a phone, seen by it, ended by the committee. */
describe('亲属代办: a proxy acting for a household', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;
  let villageId: number;

  const post = (path: string, token: string, body: object = {}) =>
    request(t.http).post(path).set(auth(token)).send(body);
  const villagerLogin = (code: string, pin: string) =>
    request(t.http).post('/api/v1/auth/villager-login').send({ householdCode: code, pin });

  beforeAll(async () => {
    t = await createTestApp();
    scene = await createScoringScene(t);
    committee = await scene.villageAdmin.token();
    villageId = scene.village.id;
  });
  afterAll(() => t.close());

  it('should let the committee name a proxy, refusing bad input, a reused PIN and a fourth proxy', async () => {
    const h = await createTestHousehold(t, committee, villageId, { headName: '老王', pin: '111111' });
    const path = `/api/v1/households/${h.id}/proxies`;
    const empty = await post(path, committee, { relation: '女儿', pin: '222222' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.name).toBe('请填写代办人的姓名');
    const same = await post(path, committee, { name: '王小红', relation: '女儿', pin: '111111' });
    expect(same.status).toBe(400);
    expect(same.body.error.details.pin).toBe('代办人的密码(PIN)不能与本户的相同');
    const added = await post(path, committee, { name: '王小红', relation: '女儿', pin: '222222' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ householdId: h.id, name: '王小红', relation: '女儿', endedAt: null });
    expect(added.body.pinHash).toBeUndefined();
    expect((await post(path, committee, { name: '王小红', relation: '女儿', pin: '333333' })).status).toBe(
      409,
    );
    await post(path, committee, { name: '邻居甲', relation: '邻居', pin: '444444' });
    await post(path, committee, { name: '邻居乙', relation: '邻居', pin: '555555' });
    const fourth = await post(path, committee, { name: '邻居丙', relation: '邻居', pin: '666666' });
    expect(fourth.status).toBe(409);
    expect(fourth.body.error.message).toContain('每户最多 3 位代办人');
    expect(
      (await post(path, await scene.scorer.token(), { name: 'x', relation: 'y', pin: '777777' })).status,
    ).toBe(403);
    expect(
      (await post(path, await scene.neighbourAdmin.token(), { name: 'x', relation: 'y', pin: '777777' }))
        .status,
    ).toBe(403);
  });

  it('should let the proxy act under its own name, show it to the household, and stop at once when ended', async () => {
    const h = await createTestHousehold(t, committee, villageId, { headName: '李奶奶', pin: '121212' });
    const rule = await createTestRule(t, committee, villageId, { points: 10, title: '照料邻里' });
    const proxy = await post(`/api/v1/households/${h.id}/proxies`, committee, {
      name: '李小军',
      relation: '孙子',
      pin: '343434',
    });
    const login = await villagerLogin(h.code, '343434');
    expect(login.status).toBe(200);
    const token = login.body.token as string;
    const me = await request(t.http).get('/api/v1/me').set(auth(token));
    expect(me.body.household).toMatchObject({ id: h.id, headName: '李奶奶' });
    const declared = await post('/api/v1/declarations', token, {
      ruleId: rule.id,
      occurredOn: daysAgo(1),
      note: '帮隔壁收玉米',
    });
    expect(declared.status).toBe(201);
    const [row] = await t.dataSource.query(
      `SELECT "actorType", "actorId", "actorName", details FROM audit_log WHERE action = 'score.declare' AND "entityId" = ${declared.body.id}`,
    );
    expect(row).toMatchObject({ actorType: 'HOUSEHOLD', actorId: h.id });
    expect(row.actorName).toContain('李小军（代李奶奶家）');
    expect(JSON.parse(row.details).byProxy).toEqual({ id: proxy.body.id, name: '李小军' });

    // The household itself sees who acts for it and what they did; the proxy's page says who is acting.
    const own = await villagerAgent(t, h.code, '121212');
    const page = await own.get('/villager');
    expect(page.text).toContain('可以代本户办理的：李小军（孙子）');
    expect(page.text).toMatch(/李小军：申报/);
    const proxyPage = await villagerAgent(t, h.code, '343434');
    expect((await proxyPage.get('/villager')).text).toContain(
      '您是 <strong>李小军</strong>，正在代李奶奶家办理',
    );

    const ended = await post(`/api/v1/households/${h.id}/proxies/${proxy.body.id}/end`, committee);
    expect(ended.status).toBe(200);
    expect(ended.body.endedAt).not.toBeNull();
    expect((await request(t.http).get('/api/v1/me').set(auth(token))).status).toBe(401);
    expect((await proxyPage.get('/villager')).text).toContain('村民登录');
    expect((await villagerLogin(h.code, '343434')).status).toBe(401);
    expect((await post(`/api/v1/households/${h.id}/proxies/${proxy.body.id}/end`, committee)).status).toBe(
      409,
    );
    // The household's own login goes on.
    expect((await own.get('/villager')).text).toContain('李奶奶家的积分');
  });
});

import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, createTestCounty, csrfFrom, loggedIn, TEST_PASSWORD } from '../support/factories.js';

describe('households (户): codes, PINs, moving out', () => {
  let t: TestApp;
  let county: Awaited<ReturnType<typeof createTestCounty>>;
  let committee: string;

  const create = async (body: Record<string, unknown>, token = committee) =>
    request(t.http)
      .post('/api/v1/households')
      .set(auth(token))
      .send({ villageId: county.village.id, headName: '李大山', memberCount: 4, pin: '246810', ...body });

  beforeAll(async () => {
    t = await createTestApp();
    county = await createTestCounty(t);
    committee = await county.villageAdmin.token();
  });
  afterAll(() => t.close());

  it('should create a household with 201, a code from the village code and zero balances, and no PIN in the answer', async () => {
    const res = await create({ groupId: county.village.groups[0].id, phone: '13800001111' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(Number),
      code: `${county.village.code}-0001`,
      villageId: county.village.id,
      groupId: county.village.groups[0].id,
      headName: '李大山',
      memberCount: 4,
      available: 0,
      earned: 0,
    });
    expect(JSON.stringify(res.body)).not.toMatch(/pin/i);
    const login = await request(t.http)
      .post('/api/v1/auth/villager-login')
      .send({ householdCode: res.body.code, pin: '246810' });
    expect(login.status).toBe(200);
  });

  it('should number codes in order and never hand out the same code twice, even at once', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => create({ headName: `户主${i}` })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const codes = results.map((r) => r.body.code as string);
    expect(new Set(codes).size).toBe(6);
  });

  it('should refuse bad input with a message per field and create nothing', async () => {
    const before = Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM household'))[0].n);
    const res = await create({ headName: '', memberCount: 0, pin: '12', phone: 'abc' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual({
      headName: '请填写户主姓名',
      memberCount: '家庭人口应为 1–99 的整数',
      pin: '密码(PIN)应为 4–8 位数字',
      phone: '电话应为 5–20 位数字',
    });
    const foreignGroup = await create({ groupId: county.neighbour.groups[0].id });
    expect(foreignGroup.status).toBe(400);
    expect(foreignGroup.body.error.details.groupId).toBe('村民小组必须是本村的');
    expect(Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM household'))[0].n)).toBe(before);
  });

  it('should keep household creation to the committee of that village', async () => {
    expect((await create({}, await county.scorer.token())).status).toBe(403);
    expect((await create({}, await county.neighbourAdmin.token())).status).toBe(403);
  });

  it('should find households by name, code or phone within the village only', async () => {
    const found = await request(t.http)
      .get(`/api/v1/households?villageId=${county.village.id}&q=13800001111`)
      .set(auth(await county.clerk.token()));
    expect(found.status).toBe(200);
    expect(found.body.items.map((h: { headName: string }) => h.headName)).toEqual(['李大山']);
    const byName = await request(t.http)
      .get(`/api/v1/households?villageId=${county.village.id}&q=户主`)
      .set(auth(committee));
    expect(byName.body.total).toBe(6);
    const other = await request(t.http)
      .get(`/api/v1/households?villageId=${county.neighbour.id}`)
      .set(auth(committee));
    expect(other.status).toBe(403);
    const noVillage = await request(t.http).get('/api/v1/households').set(auth(committee));
    expect(noVillage.status).toBe(400);
  });

  it('should show a household to its own villager and to nobody else’s', async () => {
    const a = (await create({ headName: '甲户', pin: '1111' })).body;
    const b = (await create({ headName: '乙户', pin: '2222' })).body;
    const login = await request(t.http)
      .post('/api/v1/auth/villager-login')
      .send({ householdCode: a.code, pin: '1111' });
    const token = login.body.token as string;
    expect((await request(t.http).get(`/api/v1/households/${a.id}`).set(auth(token))).status).toBe(200);
    expect((await request(t.http).get(`/api/v1/households/${b.id}`).set(auth(token))).status).toBe(403);
    expect(
      (await request(t.http).get(`/api/v1/households?villageId=${county.village.id}`).set(auth(token)))
        .status,
    ).toBe(403);
  });

  it('should reset a PIN so that the old PIN and its tokens stop working', async () => {
    const h = (await create({ headName: '换密户', pin: '3333' })).body;
    const old = (
      await request(t.http).post('/api/v1/auth/villager-login').send({ householdCode: h.code, pin: '3333' })
    ).body.token;
    const reset = await request(t.http)
      .post(`/api/v1/households/${h.id}/pin`)
      .set(auth(committee))
      .send({ pin: '4444' });
    expect(reset.status).toBe(201);
    expect((await request(t.http).get(`/api/v1/households/${h.id}`).set(auth(old))).status).toBe(401);
    expect(
      (await request(t.http).post('/api/v1/auth/villager-login').send({ householdCode: h.code, pin: '3333' }))
        .status,
    ).toBe(401);
    expect(
      (await request(t.http).post('/api/v1/auth/villager-login').send({ householdCode: h.code, pin: '4444' }))
        .status,
    ).toBe(200);
  });

  it('should mark a household as moved out once, keeping it in the list', async () => {
    const h = (await create({ headName: '迁出户' })).body;
    const out = await request(t.http)
      .post(`/api/v1/households/${h.id}/move-out`)
      .set(auth(committee))
      .send({ movedOutOn: '2026-11-01' });
    expect(out.status).toBe(201);
    expect(out.body).toMatchObject({ status: 'MOVED_OUT', movedOutOn: '2026-11-01' });
    const again = await request(t.http)
      .post(`/api/v1/households/${h.id}/move-out`)
      .set(auth(committee))
      .send({});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVALID_STATE');
    const list = await request(t.http)
      .get(`/api/v1/households?villageId=${county.village.id}&q=迁出户`)
      .set(auth(committee));
    expect(list.body.items[0].status).toBe('MOVED_OUT');
  });

  it('should create a household from the page, show its code and a generated PIN once, and audit it', async () => {
    const agent = await loggedIn(t, county.villageAdmin.username, TEST_PASSWORD);
    const form = await agent.get('/households/new');
    expect(form.status).toBe(200);
    const bad = await agent
      .post('/households')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), headName: '页面户', memberCount: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('家庭人口应为 1–99 的整数');
    expect(bad.text).toContain('value="页面户"');
    const ok = await agent
      .post('/households')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), headName: '页面户', memberCount: '3' });
    expect(ok.status).toBe(303);
    const page = await agent.get(ok.headers.location);
    const match = /户号 ([A-Z0-9]+-\d+)，村民登录密码\(PIN\) (\d{6})/.exec(page.text);
    expect(match).not.toBeNull();
    const [, code, pin] = match as RegExpExecArray;
    expect((await agent.get(ok.headers.location)).text).not.toContain(pin);
    expect(
      (await request(t.http).post('/api/v1/auth/villager-login').send({ householdCode: code, pin })).status,
    ).toBe(200);
    const audit = await t.dataSource.query(
      `SELECT "actorName" FROM audit_log WHERE "action" = 'household.create' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit[0].actorName).toContain(county.villageAdmin.username);
  });

  it('should list and search households on the page for a scorer of the village', async () => {
    const agent = await loggedIn(t, county.scorer.username, TEST_PASSWORD);
    const page = await agent.get('/households?q=页面户');
    expect(page.status).toBe(200);
    expect(page.text).toContain('页面户');
    expect(page.text).not.toContain('李大山');
    expect((await agent.get('/households/new')).status).toBe(403);
  });
});

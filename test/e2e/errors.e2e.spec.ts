import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { createScoringScene } from '../support/scoring-fixtures.js';
import { createHouseholdWithPoints, createTestGoods, newKey } from '../support/supermarket-fixtures.js';

describe('bad input never gets a 500', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
  });
  afterAll(() => t.close());

  it('should answer broken JSON with 400 in the error shape', async () => {
    const res = await request(t.http)
      .post('/api/v1/townships')
      .set(auth(admin))
      .set('Content-Type', 'application/json')
      .send('{"name": "镇",');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { code: 'VALIDATION_FAILED', message: '提交的 JSON 格式不正确', details: {} },
    });
  });

  it('should answer a body over 1 MB with 413 in the error shape', async () => {
    const res = await request(t.http)
      .post('/api/v1/townships')
      .set(auth(admin))
      .send({ name: 'x'.repeat(1_100_000), code: 'BIG' });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it.each([
    ['an array', [1, 2, 3]],
    ['numbers for text', { name: 12, code: 34 }],
    ['nested objects', { name: { $gt: '' }, code: ['A'] }],
    ['very long text', { name: '镇'.repeat(5000), code: 'LONG' }],
  ])('should answer %s with 400 and create nothing', async (_label, body) => {
    const res = await request(t.http)
      .post('/api/v1/townships')
      .set(auth(admin))
      .send(body as object);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM township'))[0].n)).toBe(0);
  });

  it('should answer a non-numeric id with 404', async () => {
    const res = await request(t.http).get('/api/v1/villages/abc').set(auth(admin));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('should serve the OpenAPI description with the API.md paths', async () => {
    const res = await request(t.http).get('/api/docs-json');
    expect(res.status).toBe(200);
    for (const path of [
      '/api/v1/auth/login',
      '/api/v1/auth/villager-login',
      '/api/v1/townships',
      '/api/v1/villages',
      '/api/v1/users',
    ]) {
      expect(Object.keys(res.body.paths)).toContain(path);
    }
    expect((await request(t.http).get('/api/docs')).status).toBe(200);
  });
});

/** Values at the edge of what the columns hold, the same refusal on SQLite and PostgreSQL (issue 16, points 11–12). */
describe('input bounded at the edge', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let admin: string;
  let committee: string;

  beforeAll(async () => {
    t = await createTestApp();
    scene = await createScoringScene(t);
    admin = await t.adminToken();
    committee = await scene.villageAdmin.token();
  });
  afterAll(() => t.close());

  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it('should refuse deeply nested JSON quickly with 400 before logging in', async () => {
    const started = Date.now();
    const res = await request(t.http)
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send(deep(50_000));
    expect(Date.now() - started).toBeLessThan(500);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: '提交的 JSON 嵌套太深（最多 20 层）',
      details: {},
    });
    const nested = await request(t.http)
      .post('/api/v1/townships')
      .set(auth(admin))
      .set('Content-Type', 'application/json')
      .send(`{"name": ${deep(21)}, "code": "DEEP"}`);
    expect(nested.status).toBe(400);
  });

  it('should refuse a JSON body over 100 kB with 413', async () => {
    const res = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ username: 'x'.repeat(150_000), password: 'y' });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it("should refuse a NUL character in any text with 400, the login's username included", async () => {
    const login = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ username: 'admin\u0000', password: 'x' });
    expect(login.status).toBe(400);
    expect(login.body.error.details).toEqual({ username: '不能包含空字符（\\0）' });
    const township = await request(t.http)
      .post('/api/v1/townships')
      .set(auth(admin))
      .send({ name: '青\u0000山', code: 'NUL' });
    expect(township.status).toBe(400);
    const query = await request(t.http)
      .get(`/api/v1/households?villageId=${scene.village.id}&q=a%00b`)
      .set(auth(committee));
    expect(query.status).toBe(400);
    const page = await request(t.http).get('/public/villages/1%00');
    expect(page.status).toBeLessThan(500);
  });

  it.each([2 ** 31, 1e308, -(2 ** 31) - 1])('should refuse the id %d in a body with 400', async (id) => {
    const res = await request(t.http)
      .post('/api/v1/households')
      .set(auth(committee))
      .send({ villageId: id, headName: '张三', memberCount: 3, pin: '135790' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const asText = await request(t.http)
      .post('/api/v1/score-records')
      .set(auth(committee))
      .send({ householdId: String(id), ruleId: 1, occurredOn: '2026-01-01' });
    expect(asText.status).toBe(400);
  });

  it.each(['2147483648', '99999999999999999999'])(
    'should answer the id %s in an address with 404',
    async (id) => {
      for (const path of [`/api/v1/households/${id}`, `/api/v1/townships/${id}`, `/api/v1/users/${id}`]) {
        const res = await request(t.http).get(path).set(auth(admin));
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('NOT_FOUND');
      }
      const page = await request(t.http).get(`/public/villages/${id}`);
      expect(page.status).toBe(404);
    },
  );

  it('should refuse a huge page number with 400', async () => {
    for (const page of ['1e20', '99999999999', '2147483648']) {
      const res = await request(t.http)
        .get(`/api/v1/households?villageId=${scene.village.id}&page=${page}`)
        .set(auth(committee));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('should refuse a basket whose total could pass 2^31 points with 400', async () => {
    const clerk = await scene.clerk.token();
    const household = await createHouseholdWithPoints(t, committee, scene.village.id, 100);
    const goods = [];
    for (let i = 0; i < 25; i++)
      goods.push(await createTestGoods(t, clerk, scene.village.id, { pricePoints: 100_000, stock: 100_000 }));
    const res = await request(t.http)
      .post('/api/v1/redemptions')
      .set(auth(clerk))
      .send({
        householdId: household.id,
        items: goods.map((g) => ({ goodsId: g.id, quantity: 1000 })),
        idempotencyKey: newKey(),
      });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual({ items: '一张兑换单合计最多 1000 件' });
  });

  it.each([
    ['township', () => `/api/v1/townships/${scene.township.id}`],
    ['village', () => `/api/v1/villages/${scene.village.id}`],
  ])('should refuse a null name or state when updating a %s', async (_kind, path) => {
    for (const body of [{ name: null }, { active: null }]) {
      const res = await request(t.http).patch(path()).set(auth(admin)).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('should refuse a null name or state when updating a group', async () => {
    const [group] = await t.dataSource.query(
      `SELECT id FROM village_group WHERE "villageId" = ${scene.village.id} LIMIT 1`,
    );
    for (const body of [{ name: null }, { active: null }]) {
      const res = await request(t.http).patch(`/api/v1/groups/${group.id}`).set(auth(committee)).send(body);
      expect(res.status).toBe(400);
    }
  });

  it('should show the households page with a message when the village in the address is not a number', async () => {
    const agent = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
    const page = await agent.get('/households?villageId=abc');
    expect(page.status).toBe(400);
    expect(page.text).toContain('请选择村');
  });
});

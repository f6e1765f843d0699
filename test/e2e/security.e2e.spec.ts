import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, csrfFrom, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { createScoringScene, createTestHousehold } from '../support/scoring-fixtures.js';

/** Sessions that end when they should, and PIN guessing held back per household and per address. */
describe('sessions and PIN guessing', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;

  beforeAll(async () => {
    t = await createTestApp();
    scene = await createScoringScene(t);
  });
  afterAll(() => t.close());

  it('should refuse the old session cookie when it is sent again after logging out', async () => {
    const agent = request.agent(t.http);
    const page = await agent.get('/login');
    const login = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username: scene.villageAdmin.username, password: TEST_PASSWORD });
    const cookie = /vp_sid=[^;]+/.exec(String(login.headers['set-cookie']))?.[0] as string;
    expect((await request(t.http).get('/households').set('Cookie', cookie)).status).toBe(200);
    const home = await agent.get('/');
    await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom(home.text) });
    const replay = await request(t.http).get('/households').set('Cookie', cookie);
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toMatch(/^\/login/);
  });

  it('should hold back PIN guessing for a household code with 429, even when the right PIN comes next', async () => {
    const h = await createTestHousehold(t, await scene.villageAdmin.token(), scene.village.id);
    const login = (pin: string, ip: string) =>
      request(t.http)
        .post('/api/v1/auth/villager-login')
        .set('X-Forwarded-For', ip)
        .send({ householdCode: h.code, pin });
    for (let i = 0; i < 5; i++) expect((await login(`00000${i}`, `10.0.0.${i + 1}`)).status).toBe(401);
    const right = await login('135790', '10.0.0.99');
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('RATE_LIMITED');
    expect(right.headers['retry-after']).toBeDefined();
  });

  it('should not lock the village office out when one PIN per household is mistyped there', async () => {
    // One address for the whole office: six mistyped PINs are far below its limit (100 failures in 10 minutes).
    const committee = await scene.villageAdmin.token();
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await createTestHousehold(t, committee, scene.village.id)).code);
    const agent = request.agent(t.http);
    const login = async (householdCode: string, pin: string) => {
      const page = await agent.get('/villager');
      return agent
        .post('/villager/login')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), householdCode, pin });
    };
    for (const code of codes) {
      const res = await login(code, '999999');
      expect(res.status).toBe(401);
      expect(res.text).toContain('户号或密码(PIN)错误，还可以再试 4 次');
    }
    expect((await login(codes[5], '135790')).status).toBe(303);
  });
});

/** Issue 16, point 14: where a CSRF token may come from, what counts as the API, and HSTS behind HTTPS. */
describe('CSRF tokens, API paths and HSTS', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;

  beforeAll(async () => {
    t = await createTestApp({ env: { BEHIND_HTTPS: 'true' } });
    scene = await createScoringScene(t);
  });
  afterAll(() => t.close());

  it('should refuse a urlencoded form whose CSRF token comes only in the address', async () => {
    const agent = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    const token = csrfFrom((await agent.get('/households/new')).text);
    const res = await agent
      .post(`/households?_csrf=${encodeURIComponent(token)}`)
      .type('form')
      .send({ headName: '张三', memberCount: '3', pin: '135790' });
    expect(res.status).toBe(403);
    expect(await t.dataSource.query(`SELECT id FROM household WHERE "headName" = '张三'`)).toEqual([]);
  });

  it('should accept the token in the address for a multipart form (file uploads)', async () => {
    const agent = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    const token = csrfFrom((await agent.get('/households/import')).text);
    const res = await agent
      .post(`/households/import?_csrf=${encodeURIComponent(token)}`)
      .attach('file', Buffer.from('户主,人口\n'), 'households.csv');
    expect(res.status).not.toBe(403);
  });

  it('should treat /API/v1 in other letter case as the API: bearer only, a session cookie is not enough', async () => {
    const agent = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    for (const path of ['/API/v1/households', '/Api/V1/households']) {
      const res = await agent.get(`${path}?villageId=${scene.village.id}`);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
    const bearer = await request(t.http)
      .get(`/API/v1/households?villageId=${scene.village.id}`)
      .set(auth(await scene.villageAdmin.token()));
    expect(bearer.status).toBe(200);
  });

  it('should send HSTS when BEHIND_HTTPS=true, and not without it', async () => {
    const res = await request(t.http).get('/login');
    expect(res.headers['strict-transport-security']).toBe('max-age=15552000');
    const plain = await createTestApp();
    try {
      expect((await request(plain.http).get('/login')).headers['strict-transport-security']).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});

import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { csrfFrom, TEST_PASSWORD } from '../support/factories.js';
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

  it('should hold back one address guessing PINs across many household codes', async () => {
    const committee = await scene.villageAdmin.token();
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await createTestHousehold(t, committee, scene.village.id)).code);
    const agent = request.agent(t.http);
    const statuses = [];
    for (const code of codes) {
      const page = await agent.get('/villager');
      const res = await agent
        .post('/villager/login')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), householdCode: code, pin: '999999' });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
  });
});

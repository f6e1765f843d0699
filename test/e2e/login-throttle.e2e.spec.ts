import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { createTestCounty, createTestUser, csrfFrom, TEST_PASSWORD } from '../support/factories.js';
import { createTestHousehold } from '../support/scoring-fixtures.js';

const RIGHT_PIN = '135790';

/**
 * The login throttle (issue 16, points 7–9): tries counted before the secret is checked, per account and per device
 * rather than per address, in the database so that every server process sees them.
 */
describe('login throttle', () => {
  let t: TestApp;
  let county: Awaited<ReturnType<typeof createTestCounty>>;
  let committee: string;

  beforeAll(async () => {
    t = await createTestApp();
    county = await createTestCounty(t);
    committee = await county.villageAdmin.token();
  });
  afterAll(() => t.close());

  const villagerLogin = (householdCode: string, pin: string) =>
    request(t.http).post('/api/v1/auth/villager-login').send({ householdCode, pin });
  const staffLogin = (username: string, password: string) =>
    request(t.http).post('/api/v1/auth/login').send({ username, password });

  it('should check no more than five of thirty guesses sent at once when the right PIN is among them', async () => {
    const h = await createTestHousehold(t, committee, county.village.id);
    const pins = [...Array.from({ length: 29 }, (_, i) => String(200000 + i)), RIGHT_PIN];
    const answers = await Promise.all(pins.map((pin) => villagerLogin(h.code, pin)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    expect(answers[29].status).toBe(429);
    expect(answers[29].body.token).toBeUndefined();
  });

  it('should check no more than five of thirty passwords sent at once when the right one is among them', async () => {
    const user = await createTestUser(t, { role: 'CLERK', villageId: county.village.id });
    const passwords = [...Array.from({ length: 29 }, (_, i) => `wrong-pass-${i}`), TEST_PASSWORD];
    const answers = await Promise.all(passwords.map((password) => staffLogin(user.username, password)));
    expect(answers.filter((a) => a.status === 401)).toHaveLength(5);
    expect(answers[29].status).toBe(429);
    expect(answers[29].body.token).toBeUndefined();
  });

  it('should say how many tries remain and lock only household A when A gets five wrong PINs from one address', async () => {
    const a = await createTestHousehold(t, committee, county.village.id);
    const b = await createTestHousehold(t, committee, county.village.id);
    const first = await villagerLogin(a.code, '000000');
    expect(first.status).toBe(401);
    expect(first.body.error.message).toBe('户号或密码(PIN)错误，还可以再试 4 次');
    for (let i = 1; i < 4; i++) expect((await villagerLogin(a.code, '000000')).status).toBe(401);
    const fifth = await villagerLogin(a.code, '000000');
    expect(fifth.body.error.message).toMatch(/户号或密码\(PIN\)错误，错误次数过多，请 \d+ 分钟后再试/);
    expect((await villagerLogin(a.code, RIGHT_PIN)).status).toBe(429);
    // The same office address: another household and the clerk log in as usual.
    expect((await villagerLogin(b.code, RIGHT_PIN)).status).toBe(200);
    expect((await staffLogin(county.clerk.username, TEST_PASSWORD)).status).toBe(200);
  });

  it('should let a browser the clerk logged in from before log in when strangers have locked the username', async () => {
    const clerk = await createTestUser(t, { role: 'CLERK', villageId: county.village.id });
    const counter = request.agent(t.http);
    const pageLogin = async (password: string) => {
      const page = await counter.get('/login');
      return counter
        .post('/login')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), username: clerk.username, password });
    };
    const first = await pageLogin(TEST_PASSWORD);
    expect(first.status).toBe(303);
    expect(String(first.headers['set-cookie'])).toMatch(/vp_device=[^;]+;.*HttpOnly/);
    const home = await counter.get('/');
    await counter
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom(home.text) });

    for (let i = 0; i < 5; i++) expect((await staffLogin(clerk.username, 'stranger-guess')).status).toBe(401);
    expect((await staffLogin(clerk.username, TEST_PASSWORD)).status).toBe(429);

    expect((await pageLogin(TEST_PASSWORD)).status).toBe(303);
    // The known browser has its own small count: five wrong passwords from it, and it waits too.
    const home2 = await counter.get('/');
    await counter
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom(home2.text) });
    for (let i = 0; i < 5; i++) expect((await pageLogin('typo-typo')).status).toBe(401);
    expect((await pageLogin(TEST_PASSWORD)).status).toBe(429);
  });

  it('should let a phone the household logged in from before log in when strangers have locked its code', async () => {
    const h = await createTestHousehold(t, committee, county.village.id);
    const phone = request.agent(t.http);
    expect(
      (await phone.post('/api/v1/auth/villager-login').send({ householdCode: h.code, pin: RIGHT_PIN }))
        .status,
    ).toBe(200);
    for (let i = 0; i < 5; i++) await villagerLogin(h.code, '111111');
    expect((await villagerLogin(h.code, RIGHT_PIN)).status).toBe(429);
    const again = await phone
      .post('/api/v1/auth/villager-login')
      .send({ householdCode: h.code, pin: RIGHT_PIN });
    expect(again.status).toBe(200);
    // A forged device cookie is a stranger's.
    const forged = await request(t.http)
      .post('/api/v1/auth/villager-login')
      .set('Cookie', 'vp_device=eyJpZCI6IkFBQUFBQUFBQUFBQUFBQUFBQUFBQUEiLCJhY2NvdW50cyI6W119.AAAA')
      .send({ householdCode: h.code, pin: RIGHT_PIN });
    expect(forged.status).toBe(429);
  });

  it('should refuse on a second server process the user that the first one locked', async () => {
    const user = await createTestUser(t, { role: 'SCORER', villageId: county.village.id });
    for (let i = 0; i < 5; i++) expect((await staffLogin(user.username, 'guess-guess')).status).toBe(401);
    const second = await createTestApp({ sameDatabaseAs: t });
    try {
      const res = await request(second.http)
        .post('/api/v1/auth/login')
        .send({ username: user.username, password: TEST_PASSWORD });
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('RATE_LIMITED');
    } finally {
      await second.close();
    }
  });
});

/**
 * A hundred failed logins cost a hundred password checks (minutes on a busy machine): the tests count the first ones
 * through HTTP, then bring the address's count to 99 in the table, as if the others had come before.
 */
describe('login throttle per address and X-Forwarded-For', () => {
  const addressKeys = async (t: TestApp) =>
    (await t.dataSource.query(`SELECT "key" FROM login_attempt WHERE "key" LIKE 'ip%'`)).map(
      (r: { key: string }) => r.key,
    );
  const failuresSoFar = (t: TestApp, key: string, failures: number) =>
    t.dataSource.query(`UPDATE login_attempt SET failures = ${failures} WHERE "key" = '${key}'`);
  const login = (t: TestApp, address: string, username: string, password: string) =>
    request(t.http).post('/api/v1/auth/login').set('X-Forwarded-For', address).send({ username, password });

  it('should ignore X-Forwarded-For when TRUST_PROXY is not set, so rotating it escapes nothing', async () => {
    const t = await createTestApp();
    try {
      const county = await createTestCounty(t);
      for (let i = 0; i < 3; i++)
        expect((await login(t, `198.51.100.${i}`, `nobody${i}`, 'guess')).status).toBe(401);
      const keys = await addressKeys(t);
      expect(keys).toHaveLength(1);
      expect(keys[0]).not.toContain('198.51.100');
      await failuresSoFar(t, keys[0], 99);
      expect((await login(t, '198.51.100.99', 'nobody99', 'guess')).status).toBe(401);
      const blocked = await login(t, '203.0.113.200', county.scorer.username, TEST_PASSWORD);
      expect(blocked.status).toBe(429);
      const rows = await t.dataSource.query(
        `SELECT DISTINCT ip FROM audit_log WHERE action = 'auth.login_failed'`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].ip).not.toContain('198.51.100');
      const https = await request(t.http).get('/login').set('X-Forwarded-Proto', 'https');
      expect(String(https.headers['set-cookie'])).not.toMatch(/Secure/);
    } finally {
      await t.close();
    }
  });

  it('should hold back an address after 100 failures, and only it, when TRUST_PROXY names the proxy', async () => {
    const t = await createTestApp({ env: { TRUST_PROXY: 'loopback' } });
    try {
      const county = await createTestCounty(t);
      const office = '203.0.113.10';
      for (let i = 0; i < 5; i++) expect((await login(t, office, `nobody${i}`, 'guess')).status).toBe(401);
      expect(await addressKeys(t)).toContain(`ip:${office}`);
      await failuresSoFar(t, `ip:${office}`, 99);
      expect((await login(t, office, county.scorer.username, TEST_PASSWORD)).status).toBe(200);
      expect((await login(t, office, 'nobody99', 'guess')).status).toBe(401);
      expect((await login(t, office, county.scorer.username, TEST_PASSWORD)).status).toBe(429);
      expect((await login(t, '203.0.113.11', county.scorer.username, TEST_PASSWORD)).status).toBe(200);
      const rows = await t.dataSource.query(
        `SELECT ip FROM audit_log WHERE action = 'auth.login' AND "actorId" = ${county.scorer.id} ORDER BY id`,
      );
      expect(rows.map((r: { ip: string }) => r.ip)).toEqual([office, '203.0.113.11']);
    } finally {
      await t.close();
    }
  });
});

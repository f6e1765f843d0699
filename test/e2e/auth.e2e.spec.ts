import request from 'supertest';
import { createTestApp, TEST_ADMIN, TestApp } from '../support/create-test-app.js';
import { auth, createTestCounty, createTestUser, csrfFrom, TEST_PASSWORD } from '../support/factories.js';

describe('logging in (API and pages)', () => {
  let t: TestApp;
  let county: Awaited<ReturnType<typeof createTestCounty>>;

  beforeAll(async () => {
    // Behind a proxy on this machine: X-Forwarded-For and -Proto name the client's address and scheme.
    t = await createTestApp({ env: { TRUST_PROXY: 'loopback' } });
    county = await createTestCounty(t);
  });
  afterAll(() => t.close());

  it('should give a token and the user when the password is right', async () => {
    const res = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ username: county.scorer.username, password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    expect(typeof res.body.token).toBe('string');
    expect(res.body.user).toEqual({
      id: county.scorer.id,
      username: county.scorer.username,
      role: 'SCORER',
      townshipId: county.township.id,
      villageId: county.village.id,
    });
    const me = await request(t.http).get('/api/v1/auth/me').set(auth(res.body.token));
    expect(me.status).toBe(200);
    expect(me.body.username).toBe(county.scorer.username);
  });

  it('should answer 401 in the error shape when the password is wrong', async () => {
    const res = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ username: county.clerk.username, password: 'wrong-password' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: { code: 'UNAUTHENTICATED', message: '用户名或密码错误，还可以再试 4 次', details: {} },
    });
  });

  it('should answer 400 with a message per field when the body is incomplete', async () => {
    const res = await request(t.http).post('/api/v1/auth/login').send({ username: '' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual({ username: '请填写用户名', password: '请填写密码' });
  });

  it('should refuse with 429 after five failures for one username, even with the right password', async () => {
    const user = await createTestUser(t, { role: 'CLERK', villageId: county.village.id });
    for (let i = 0; i < 5; i++) {
      const res = await request(t.http)
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', `10.0.0.${i}`)
        .send({ username: user.username, password: 'nope-nope' });
      expect(res.status).toBe(401);
    }
    const blocked = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: TEST_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('RATE_LIMITED');
    expect(blocked.body.error.message).toContain('分钟后再试');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('should let others at an address log in after five failures from it for other usernames', async () => {
    // A village office shares one address: someone's mistyped usernames do not lock out the others there.
    const address = { 'X-Forwarded-For': '192.0.2.55' };
    for (let i = 0; i < 5; i++) {
      const res = await request(t.http)
        .post('/api/v1/auth/login')
        .set(address)
        .send({ username: `nobody${i}`, password: 'guess-guess' });
      expect(res.status).toBe(401);
    }
    const colleague = await request(t.http)
      .post('/api/v1/auth/login')
      .set(address)
      .send({ username: county.scorer.username, password: TEST_PASSWORD });
    expect(colleague.status).toBe(200);
  });

  it('should refuse with 401 when a route needs a token and none or a forged one is sent', async () => {
    const none = await request(t.http).get('/api/v1/villages');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHENTICATED');
    const forged = await request(t.http)
      .get('/api/v1/villages')
      .set(auth('eyJzdWIiOiJ1OjEiLCJ2ZXIiOjEsImV4cCI6OTk5OTk5OTk5OX0.AAAA'));
    expect(forged.status).toBe(401);
  });

  it('should revoke old tokens when the password changes', async () => {
    const user = await createTestUser(t, { role: 'SCORER', villageId: county.village.id });
    const old = await user.token();
    const changed = await request(t.http)
      .post('/api/v1/auth/password')
      .set(auth(old))
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'brand-new-pass' });
    expect(changed.status).toBe(200);
    expect((await request(t.http).get('/api/v1/auth/me').set(auth(old))).status).toBe(401);
    const again = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: 'brand-new-pass' });
    expect(again.status).toBe(200);
  });

  it('should stop a deactivated account from logging in and kill its tokens', async () => {
    const user = await createTestUser(t, { role: 'CLERK', villageId: county.village.id });
    const token = await user.token();
    const off = await request(t.http)
      .patch(`/api/v1/users/${user.id}`)
      .set(auth(await t.adminToken()))
      .send({ active: false });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await request(t.http).get('/api/v1/auth/me').set(auth(token))).status).toBe(401);
    const login = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: TEST_PASSWORD });
    expect(login.status).toBe(401);
    expect(login.body.error.message).toContain('停用');
  });

  it('should record successful and failed logins in the audit log with the address', async () => {
    await request(t.http)
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', '203.0.113.9')
      .send({ username: 'ghost', password: 'whatever' });
    const rows = await t.dataSource.query(
      `SELECT "action", "actorName", "ip" FROM audit_log WHERE "action" IN ('auth.login', 'auth.login_failed') ORDER BY id`,
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'auth.login', actorName: `系统管理员(${TEST_ADMIN.username})` }),
      ]),
    );
    const failed = rows.filter((r: { actorName: string }) => r.actorName === 'ghost');
    expect(failed).toHaveLength(1);
    expect(failed[0].action).toBe('auth.login_failed');
    expect(failed[0].ip).toBeTruthy();
  });

  describe('page login', () => {
    it('should log in through the form with a new HttpOnly SameSite=Lax session cookie, and log out', async () => {
      const agent = request.agent(t.http);
      const page = await agent.get('/login');
      expect(page.status).toBe(200);
      const before = /vp_sid=([^;]+)/.exec(String(page.headers['set-cookie']))?.[1];
      const login = await agent
        .post('/login')
        .type('form')
        .send({
          _csrf: csrfFrom(page.text),
          username: county.villageAdmin.username,
          password: TEST_PASSWORD,
        });
      expect(login.status).toBe(303);
      const cookie = String(login.headers['set-cookie']);
      expect(cookie).toMatch(/vp_sid=[^;]+;.*HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(/vp_sid=([^;]+)/.exec(cookie)?.[1]).not.toBe(before);
      const home = await agent.get('/');
      expect(home.text).toContain('测试人员');
      expect(home.text).toContain('村两委');
      const logout = await agent
        .post('/logout')
        .type('form')
        .send({ _csrf: csrfFrom(home.text) });
      expect(logout.status).toBe(303);
      const after = await agent.get('/admin/users');
      expect(after.status).toBe(303);
      expect(after.headers.location).toBe('/login?next=%2Fadmin%2Fusers');
    });

    it('should mark the session cookie Secure when the request came over HTTPS through a trusted proxy', async () => {
      const res = await request(t.http).get('/login').set('X-Forwarded-Proto', 'https');
      expect(String(res.headers['set-cookie'])).toMatch(/vp_sid=[^;]+;.*Secure/);
      const plain = await request(t.http).get('/login');
      expect(String(plain.headers['set-cookie'])).not.toMatch(/Secure/);
    });

    it('should refuse a page form without the CSRF token and change nothing', async () => {
      const agent = request.agent(t.http);
      await agent.get('/login');
      const res = await agent
        .post('/login')
        .type('form')
        .send({ username: county.villageAdmin.username, password: TEST_PASSWORD });
      expect(res.status).toBe(403);
      expect(res.text).toContain('页面已过期');
      expect(String(res.headers['set-cookie'] ?? '')).not.toMatch(/Max-Age/);
    });

    it('should show the form again with what was typed and the message when the password is wrong', async () => {
      const agent = request.agent(t.http);
      const page = await agent.get('/login');
      const res = await agent
        .post('/login')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), username: county.scorer.username, password: 'bad-bad-bad' });
      expect(res.status).toBe(401);
      expect(res.text).toContain('用户名或密码错误');
      expect(res.text).toContain(`value="${county.scorer.username}"`);
      expect(res.text).not.toContain('bad-bad-bad');
    });
  });
});

import request from 'supertest';
import { createTestApp, TEST_ADMIN, TestApp } from '../support/create-test-app.js';
import { createTestCounty, csrfFrom, loggedIn, TEST_PASSWORD } from '../support/factories.js';

describe('pages: forms, errors, navigation by role', () => {
  let t: TestApp;
  let county: Awaited<ReturnType<typeof createTestCounty>>;

  beforeAll(async () => {
    t = await createTestApp();
    county = await createTestCounty(t);
  });
  afterAll(() => t.close());

  it('should show the Chinese login page at / to a visitor', async () => {
    const res = await request(t.http).get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<html lang="zh-CN"');
    expect(res.text).toContain('工作人员登录');
    expect(res.text).toContain('村民登录');
  });

  it('should show each role only its own navigation', async () => {
    const admin = await (await loggedIn(t, TEST_ADMIN.username, TEST_ADMIN.password)).get('/');
    expect(admin.text).toContain('href="/admin/townships"');
    const committee = await (await loggedIn(t, county.villageAdmin.username, TEST_PASSWORD)).get('/');
    expect(committee.text).toContain(`href="/admin/villages/${county.village.id}"`);
    expect(committee.text).not.toContain('href="/admin/townships"');
    const scorer = await (await loggedIn(t, county.scorer.username, TEST_PASSWORD)).get('/');
    expect(scorer.text).not.toContain('href="/admin/users"');
  });

  it('should bring the form back with what was typed and a message beside each wrong field', async () => {
    const agent = await loggedIn(t, TEST_ADMIN.username, TEST_ADMIN.password);
    const form = await agent.get('/admin/villages/new');
    const res = await agent
      .post('/admin/villages')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        townshipId: String(county.township.id),
        name: '荷塘村',
        code: '好',
        groups: '一组\n二组',
      });
    expect(res.status).toBe(400);
    expect(res.text).toContain('村代码应为 2–12 位字母或数字');
    expect(res.text).toContain('value="荷塘村"');
    expect(res.text).toContain('一组\n二组');
    expect(res.text).toMatch(/id="f-code"[^>]*aria-invalid="true"/);
    const count = await t.dataSource.query(`SELECT COUNT(*) AS n FROM village WHERE name = '荷塘村'`);
    expect(Number(count[0].n)).toBe(0);
  });

  it('should create a village with its groups from the form and say so on the next page', async () => {
    const agent = await loggedIn(t, TEST_ADMIN.username, TEST_ADMIN.password);
    const form = await agent.get('/admin/villages/new');
    const res = await agent
      .post('/admin/villages')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        townshipId: String(county.township.id),
        name: '荷塘村',
        code: 'HT',
        groups: '一组\r\n\r\n二组\r\n',
      });
    expect(res.status).toBe(303);
    const page = await agent.get(res.headers.location);
    expect(page.text).toContain('已新建“荷塘村”，共 2 个村民小组');
    expect(page.text).toContain('value="一组"');
    expect(page.text).toContain('value="二组"');
    const again = await agent.get(res.headers.location);
    expect(again.text).not.toContain('已新建');
  });

  it('should bring the village page back with the message beside the new group when its name is taken', async () => {
    const agent = await loggedIn(t, county.villageAdmin.username, TEST_PASSWORD);
    const path = `/admin/villages/${county.village.id}`;
    const add = async (groupName: string) =>
      agent
        .post(`${path}/groups`)
        .type('form')
        .send({ _csrf: csrfFrom((await agent.get(path)).text), groupName });
    const first = await add('荷花组');
    expect(first.status).toBe(303);
    expect((await agent.get(first.headers.location)).text).toContain('已添加“荷花组”');
    const again = await add('荷花组');
    expect(again.status).toBe(409);
    expect(again.text).toContain('本村已有“荷花组”');
    expect(again.text).toMatch(/id="f-groupName"[^>]*value="荷花组"/);
    expect(again.text).toMatch(/id="f-groupName"[^>]*aria-invalid="true"/);
    const empty = await add('');
    expect(empty.status).toBe(400);
    expect(empty.text).toMatch(/id="f-groupName"[^>]*aria-invalid="true"/);
  });

  it('should bring the township form back with what was typed when the code is taken or the name too long', async () => {
    const agent = await loggedIn(t, TEST_ADMIN.username, TEST_ADMIN.password);
    const csrf = csrfFrom((await agent.get('/admin/townships/new')).text);
    const taken = await agent
      .post('/admin/townships')
      .type('form')
      .send({ _csrf: csrf, name: '荷塘镇', code: county.township.code });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain(`乡镇代码 ${county.township.code} 已被使用`);
    expect(taken.text).toContain('value="荷塘镇"');
    expect(taken.text).toMatch(/id="f-code"[^>]*aria-invalid="true"/);
    const edit = `/admin/townships/${county.otherTownship.id}`;
    const long = '镇'.repeat(61);
    const tooLong = await agent
      .post(edit)
      .type('form')
      .send({ _csrf: csrfFrom((await agent.get(`${edit}/edit`)).text), name: long });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain(`修改乡镇：${county.otherTownship.name}`);
    expect(tooLong.text).toContain('乡镇名称最多 60 个字');
    expect(tooLong.text).toContain(`value="${long}"`);
    expect(tooLong.text).toMatch(/id="f-name"[^>]*aria-invalid="true"/);
    const saved = await agent
      .post(edit)
      .type('form')
      .send({ _csrf: csrfFrom((await agent.get(`${edit}/edit`)).text), name: '荷塘镇' });
    expect(saved.status).toBe(303);
    expect((await agent.get(saved.headers.location)).text).toContain('已保存乡镇“荷塘镇”');
  });

  it('should create a scorer account from the committee’s form, who can then log in', async () => {
    const agent = await loggedIn(t, county.villageAdmin.username, TEST_PASSWORD);
    const form = await agent.get('/admin/users/new');
    expect(form.text).toContain('value="SCORER"');
    expect(form.text).not.toContain('value="VILLAGE_ADMIN"');
    const res = await agent
      .post('/admin/users')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        username: 'page_scorer',
        displayName: '页面组长',
        role: 'SCORER',
        villageId: String(county.village.id),
        noHousehold: 'on',
        password: 'page-pass-2026',
      });
    expect(res.status).toBe(303);
    expect((await agent.get('/admin/users')).text).toContain('页面组长');
    const early = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ username: 'page_scorer', password: 'page-pass-2026' });
    expect(early.body.error.message).toContain('账号等待乡镇确认');
    const township = await loggedIn(t, county.townshipUser.username, TEST_PASSWORD);
    const list = await township.get('/admin/users');
    const id = /\/admin\/users\/(\d+)\/confirm/.exec(list.text)?.[1];
    const confirmed = await township
      .post(`/admin/users/${id}/confirm`)
      .type('form')
      .send({ _csrf: csrfFrom(list.text) });
    expect(confirmed.status).toBe(303);
    const login = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ username: 'page_scorer', password: 'page-pass-2026' });
    expect(login.status).toBe(200);
  });

  it('should deactivate an account from its page, after which it cannot log in', async () => {
    const agent = await loggedIn(t, county.villageAdmin.username, TEST_PASSWORD);
    const form = await agent.get(`/admin/users/${county.clerk.id}/edit`);
    const res = await agent
      .post(`/admin/users/${county.clerk.id}/active`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), active: 'false' });
    expect(res.status).toBe(303);
    const login = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ username: county.clerk.username, password: TEST_PASSWORD });
    expect(login.status).toBe(401);
  });

  it('should show a friendly 403 page when a role opens a page that is not its own', async () => {
    const agent = await loggedIn(t, county.scorer.username, TEST_PASSWORD);
    const res = await agent.get('/admin/townships');
    expect(res.status).toBe(403);
    expect(res.text).toContain('您没有权限进行此操作');
    const neighbour = await (
      await loggedIn(t, county.villageAdmin.username, TEST_PASSWORD)
    ).get(`/admin/villages/${county.neighbour.id}`);
    expect(neighbour.status).toBe(403);
  });

  it('should answer an unknown page with a Chinese 404 page and no stack trace', async () => {
    const res = await request(t.http).get('/no/such/page');
    expect(res.status).toBe(404);
    expect(res.text).toContain('页面不存在');
    expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('should send a visitor who opens a staff page to the login page, and back afterwards', async () => {
    const res = await request(t.http).get('/admin/villages');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fadmin%2Fvillages');
    const agent = request.agent(t.http);
    const page = await agent.get(res.headers.location);
    expect(page.text).toContain('value="/admin/villages"');
    const login = await agent
      .post('/login')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        username: TEST_ADMIN.username,
        password: TEST_ADMIN.password,
        next: '/admin/villages',
      });
    expect(login.headers.location).toBe('/admin/villages');
  });

  it('should never redirect to another site after login', async () => {
    const agent = request.agent(t.http);
    const page = await agent.get('/login');
    const login = await agent
      .post('/login')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        username: TEST_ADMIN.username,
        password: TEST_ADMIN.password,
        next: '//evil.example/x',
      });
    expect(login.headers.location).toBe('/');
  });

  it('should remember the 大字 switch in a cookie and render every page larger', async () => {
    const agent = request.agent(t.http);
    const page = await agent.get('/login');
    expect(page.text).not.toContain('class="big-text"');
    const res = await agent
      .post('/prefs/text-size')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), back: '/villager' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/villager');
    expect((await agent.get('/villager')).text).toContain('<html lang="zh-CN" class="big-text">');
  });

  it('should let a staff member change the password, ending logins elsewhere', async () => {
    const elsewhere = await loggedIn(t, county.townshipUser.username, TEST_PASSWORD);
    const agent = await loggedIn(t, county.townshipUser.username, TEST_PASSWORD);
    const form = await agent.get('/account/password');
    const wrong = await agent
      .post('/account/password')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), currentPassword: 'not-it-at-all', newPassword: 'new-pass-2026' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('当前密码不正确');
    const ok = await agent
      .post('/account/password')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), currentPassword: TEST_PASSWORD, newPassword: 'new-pass-2026' });
    expect(ok.status).toBe(303);
    expect((await agent.get('/admin/users')).status).toBe(200);
    expect((await elsewhere.get('/admin/users')).status).toBe(303);
  });

  it('should send the security headers with a Content-Security-Policy that forbids inline scripts', async () => {
    const res = await request(t.http).get('/login');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.text).not.toMatch(/<script>(?!<\/script>)/);
  });
});

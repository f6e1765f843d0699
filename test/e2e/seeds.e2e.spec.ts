import request from 'supertest';
import { DEMO_GOODS } from '../../seeds/demo-goods.js';
import { SeedsService } from '../../seeds/seeds.service.js';
import { DEMO_PASSWORD, DEMO_PIN, DEMO_STAFF, DEMO_VILLAGES } from '../../seeds/demo-county.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, csrfFrom } from '../support/factories.js';

const count = async (t: TestApp, table: string) =>
  Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

describe('SEED=demo: the demo county', () => {
  let t: TestApp;

  // Six months of history go through the services: some 600 units of work, each a commit (PostgreSQL syncs each).
  beforeAll(async () => {
    t = await createTestApp({ seed: 'demo' });
  }, 120_000);
  afterAll(() => t.close());

  it('should load one township, three villages with groups and staff for every role', async () => {
    expect(await count(t, 'township')).toBe(1);
    expect(await count(t, 'village')).toBe(3);
    expect(await count(t, 'village_group')).toBe(DEMO_VILLAGES.reduce((n, v) => n + v.groups.length, 0));
    const roles = (await t.dataSource.query('SELECT DISTINCT role FROM app_user'))
      .map((r: { role: string }) => r.role)
      .sort();
    expect(roles).toEqual([
      'ADMIN',
      'BANK',
      'CLERK',
      'COUNCIL',
      'SCORER',
      'SUPERVISOR',
      'TOWNSHIP',
      'VILLAGE_ADMIN',
    ]);
  });

  it('should give each village and the township template list 25–35 rules over all six categories', async () => {
    const perOwner = await t.dataSource.query(
      'SELECT "villageId", COUNT(*) AS n, COUNT(DISTINCT category) AS categories FROM scoring_rule GROUP BY "villageId"',
    );
    expect(perOwner).toHaveLength(4);
    for (const row of perOwner) {
      expect(Number(row.n)).toBeGreaterThanOrEqual(25);
      expect(Number(row.n)).toBeLessThanOrEqual(35);
      expect(Number(row.categories)).toBe(6);
    }
  });

  it('should let every demo account listed in the README log in with the demo password', async () => {
    for (const staff of DEMO_STAFF) {
      const res = await request(t.http)
        .post('/api/v1/auth/login')
        .send({ username: staff.username, password: DEMO_PASSWORD });
      expect({ user: staff.username, status: res.status }).toEqual({ user: staff.username, status: 200 });
    }
  });

  it('should let a demo household log in with its code and PIN, by API and on /villager', async () => {
    const api = await request(t.http)
      .post('/api/v1/auth/villager-login')
      .send({ householdCode: 'ty-0001', pin: DEMO_PIN });
    expect(api.status).toBe(200);
    expect(api.body.household.code).toBe('TY-0001');
    const me = await request(t.http).get('/api/v1/auth/me').set(auth(api.body.token));
    expect(me.body).toMatchObject({ role: 'VILLAGER', code: 'TY-0001' });
    const wrong = await request(t.http)
      .post('/api/v1/auth/villager-login')
      .send({ householdCode: 'TY-0001', pin: '000000' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toBe('户号或密码(PIN)错误，还可以再试 4 次');

    const agent = request.agent(t.http);
    const page = await agent.get('/villager?code=TY-0002');
    expect(page.text).toContain('value="TY-0002"');
    const login = await agent
      .post('/villager/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), householdCode: 'TY-0002', pin: DEMO_PIN });
    expect(login.status).toBe(303);
    const home = await agent.get('/villager');
    expect(home.text).toContain('王秀英家的积分');
    expect(home.text).toContain('可用积分');
    expect((await agent.get('/admin/users')).status).toBe(403);
  });

  it('should stock every demo village supermarket, with donations naming their donor', async () => {
    for (const village of await t.dataSource.query('SELECT id FROM village')) {
      const catalogue = await request(t.http).get(`/api/v1/goods?villageId=${village.id}`);
      expect(catalogue.body.items).toHaveLength(DEMO_GOODS.length);
      expect(catalogue.body.items.every((g: { stock: number }) => g.stock > 0)).toBe(true);
    }
    const donors = await t.dataSource.query(
      `SELECT DISTINCT donor FROM stock_movement WHERE kind = 'DONATION'`,
    );
    expect(donors.map((d: { donor: string }) => d.donor)).toEqual(
      expect.arrayContaining(DEMO_GOODS.flatMap((g) => (g.donation ? [g.donation.donor] : []))),
    );
  });

  it('should show 桃源村’s procedures: last month’s books signed on the board, a campaign waiting for the council', async () => {
    const village = (await t.dataSource.query(`SELECT id FROM village WHERE code = 'TY'`))[0];
    const board = await request(t.http).get(`/public/villages/${village.id}?section=books`);
    expect(board.text).toContain('入库（按来源）');
    expect(board.text).not.toContain('还没有经村务监督委员会签字公开');
    const member = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ username: 'ty_pingyi4', password: DEMO_PASSWORD });
    const campaigns = await request(t.http)
      .get(`/api/v1/villages/${village.id}/honour-campaigns`)
      .set(auth(member.body.token));
    expect(campaigns.body.items).toHaveLength(1);
    expect(campaigns.body.total).toBe(1);
    expect(campaigns.body.items[0]).toMatchObject({ status: 'OPEN' });
    expect(campaigns.body.items[0].nominations).toHaveLength(2);
  });

  it('should insert nothing twice when the seeds run again on restart', async () => {
    const before = await Promise.all(
      [
        'township',
        'village',
        'village_group',
        'household',
        'app_user',
        'goods',
        'stock_movement',
        'score_record',
        'ledger_entry',
        'redemption',
        'monthly_statement',
        'honour_campaign',
        'honour_nomination',
      ].map((x) => count(t, x)),
    );
    await t.app.get(SeedsService).onApplicationBootstrap();
    const after = await Promise.all(
      [
        'township',
        'village',
        'village_group',
        'household',
        'app_user',
        'goods',
        'stock_movement',
        'score_record',
        'ledger_entry',
        'redemption',
        'monthly_statement',
        'honour_campaign',
        'honour_nomination',
      ].map((x) => count(t, x)),
    );
    expect(after).toEqual(before);
  });
});

describe('SEED=none', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ seed: 'none', env: { ADMIN_USERNAME: 'chief', ADMIN_PASSWORD: '' } });
  });
  afterAll(() => t.close());

  it('should create only the first admin, with a random password rather than the demo one', async () => {
    expect(await count(t, 'township')).toBe(0);
    const users = await t.dataSource.query('SELECT username, role FROM app_user');
    expect(users).toEqual([{ username: 'chief', role: 'ADMIN' }]);
    const demo = await request(t.http)
      .post('/api/v1/auth/login')
      .send({ username: 'chief', password: DEMO_PASSWORD });
    expect(demo.status).toBe(401);
  });
});

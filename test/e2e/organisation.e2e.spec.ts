import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import {
  auth,
  createTestCounty,
  createTestTownship,
  createTestUser,
  createTestVillage,
} from '../support/factories.js';

describe('organisation API: townships, villages with groups, staff accounts', () => {
  let t: TestApp;
  let admin: string;
  let county: Awaited<ReturnType<typeof createTestCounty>>;

  beforeAll(async () => {
    // Behind a proxy on this machine: the audit log records the address X-Forwarded-For names.
    t = await createTestApp({ env: { TRUST_PROXY: 'loopback' } });
    admin = await t.adminToken();
    county = await createTestCounty(t);
  });
  afterAll(() => t.close());

  describe('townships', () => {
    it('should create a township with 201 and list it for the admin', async () => {
      const res = await request(t.http)
        .post('/api/v1/townships')
        .set(auth(admin))
        .send({ name: '白云镇', code: 'by' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: expect.any(Number), name: '白云镇', code: 'BY', active: true });
      const list = await request(t.http).get('/api/v1/townships').set(auth(admin));
      expect(list.body.items.map((x: { code: string }) => x.code)).toContain('BY');
    });

    it('should refuse a second township with the same code with 409 DUPLICATE', async () => {
      await createTestTownship(t, { code: 'DUPT' });
      const res = await request(t.http)
        .post('/api/v1/townships')
        .set(auth(admin))
        .send({ name: '另一个镇', code: 'dupt' });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('DUPLICATE');
      expect(res.body.error.details.code).toContain('DUPT');
    });

    it('should keep township creation to the admin', async () => {
      const res = await request(t.http)
        .post('/api/v1/townships')
        .set(auth(await county.townshipUser.token()))
        .send({ name: '镇', code: 'ZZ1' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    });

    it('should deactivate a township without deleting it', async () => {
      const township = await createTestTownship(t);
      const res = await request(t.http)
        .patch(`/api/v1/townships/${township.id}`)
        .set(auth(admin))
        .send({ active: false });
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(false);
      expect((await request(t.http).get(`/api/v1/townships/${township.id}`).set(auth(admin))).body.name).toBe(
        township.name,
      );
    });
  });

  describe('villages', () => {
    it('should create a village with its groups as API.md shows it', async () => {
      const res = await request(t.http)
        .post('/api/v1/villages')
        .set(auth(admin))
        .send({
          townshipId: county.township.id,
          name: '杏花村',
          code: 'xh',
          groups: ['东组', '西组', '南组'],
        });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        name: '杏花村',
        code: 'XH',
        townshipId: county.township.id,
        active: true,
        declarationsEnabled: true,
        groups: [
          { id: expect.any(Number), name: '东组', active: true },
          { id: expect.any(Number), name: '西组', active: true },
          { id: expect.any(Number), name: '南组', active: true },
        ],
      });
    });

    it('should answer 400 with a Chinese message per wrong field and create nothing', async () => {
      const before = await t.dataSource.query('SELECT COUNT(*) AS n FROM village');
      const res = await request(t.http)
        .post('/api/v1/villages')
        .set(auth(admin))
        .send({ townshipId: 'abc', name: '', code: '好', groups: ['一组', '一组'] });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details).toEqual({
        townshipId: '请选择所属乡镇',
        name: '请填写村名',
        code: '村代码应为 2–12 位字母或数字',
        groups: '村民小组名称不能重复',
      });
      expect(await t.dataSource.query('SELECT COUNT(*) AS n FROM village')).toEqual(before);
    });

    it('should answer 400 when the township does not exist and 409 when the code is taken', async () => {
      const missing = await request(t.http)
        .post('/api/v1/villages')
        .set(auth(admin))
        .send({ townshipId: 99999, name: '村', code: 'NOPE1' });
      expect(missing.status).toBe(400);
      expect(missing.body.error.details.townshipId).toBe('所选乡镇不存在');
      const taken = await request(t.http)
        .post('/api/v1/villages')
        .set(auth(admin))
        .send({ townshipId: county.township.id, name: '重名村', code: county.village.code });
      expect(taken.status).toBe(409);
      expect(taken.body.error.code).toBe('DUPLICATE');
    });

    it('should show a village to its own staff and its township, and refuse other villages with 403', async () => {
      const own = await request(t.http)
        .get(`/api/v1/villages/${county.village.id}`)
        .set(auth(await county.scorer.token()));
      expect(own.status).toBe(200);
      expect(own.body.groups).toHaveLength(2);
      const byTownship = await request(t.http)
        .get(`/api/v1/villages/${county.neighbour.id}`)
        .set(auth(await county.townshipUser.token()));
      expect(byTownship.status).toBe(200);
      const neighbour = await request(t.http)
        .get(`/api/v1/villages/${county.neighbour.id}`)
        .set(auth(await county.scorer.token()));
      expect(neighbour.status).toBe(403);
      expect(neighbour.body.error.code).toBe('FORBIDDEN');
      const far = await request(t.http)
        .get(`/api/v1/villages/${county.farVillage.id}`)
        .set(auth(await county.townshipUser.token()));
      expect(far.status).toBe(403);
      const missing = await request(t.http).get('/api/v1/villages/999999').set(auth(admin));
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('NOT_FOUND');
    });

    it('should list only the villages in scope', async () => {
      const ids = async (token: string) =>
        (await request(t.http).get('/api/v1/villages').set(auth(token))).body.items
          .map((v: { id: number }) => v.id)
          .sort();
      expect(await ids(await county.townshipUser.token())).toEqual(
        expect.arrayContaining([county.village.id, county.neighbour.id]),
      );
      expect(await ids(await county.townshipUser.token())).not.toContain(county.farVillage.id);
      expect(await ids(await county.clerk.token())).toEqual([county.village.id]);
      const paged = await request(t.http).get('/api/v1/villages?page=1&pageSize=2').set(auth(admin));
      expect(paged.body.items).toHaveLength(2);
      expect(paged.body.total).toBeGreaterThanOrEqual(3);
      expect((await request(t.http).get('/api/v1/villages?pageSize=500').set(auth(admin))).status).toBe(400);
    });

    it('should let the committee add and rename its own groups but not another village’s', async () => {
      const committee = await county.villageAdmin.token();
      const added = await request(t.http)
        .post(`/api/v1/villages/${county.village.id}/groups`)
        .set(auth(committee))
        .send({ name: '第三组' });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ name: '第三组', villageId: county.village.id });
      const renamed = await request(t.http)
        .patch(`/api/v1/groups/${added.body.id}`)
        .set(auth(committee))
        .send({ name: '新三组' });
      expect(renamed.status).toBe(200);
      expect(renamed.body.name).toBe('新三组');
      const twice = await request(t.http)
        .post(`/api/v1/villages/${county.village.id}/groups`)
        .set(auth(committee))
        .send({ name: '新三组' });
      expect(twice.status).toBe(409);
      const other = await request(t.http)
        .post(`/api/v1/villages/${county.neighbour.id}/groups`)
        .set(auth(committee))
        .send({ name: '外组' });
      expect(other.status).toBe(403);
      const otherGroup = await request(t.http)
        .patch(`/api/v1/groups/${county.neighbour.groups[0].id}`)
        .set(auth(committee))
        .send({ name: '改名' });
      expect(otherGroup.status).toBe(403);
    });

    it('should let the township deactivate its own village but not one elsewhere', async () => {
      const village = await createTestVillage(t, county.township.id);
      const token = await county.townshipUser.token();
      const off = await request(t.http)
        .patch(`/api/v1/villages/${village.id}`)
        .set(auth(token))
        .send({ active: false });
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      const far = await request(t.http)
        .patch(`/api/v1/villages/${county.farVillage.id}`)
        .set(auth(token))
        .send({ active: false });
      expect(far.status).toBe(403);
    });
  });

  describe('staff accounts', () => {
    it('should create an account with 201 and never show its password', async () => {
      const res = await request(t.http).post('/api/v1/users').set(auth(admin)).send({
        username: 'li_scorer',
        password: 'long-enough-1',
        displayName: '李组长',
        role: 'SCORER',
        villageId: county.village.id,
        noHousehold: true,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        username: 'li_scorer',
        role: 'SCORER',
        villageId: county.village.id,
        townshipId: county.township.id,
        active: true,
      });
      expect(JSON.stringify(res.body)).not.toMatch(/password|long-enough/i);
    });

    it('should let a township create staff for its villages only', async () => {
      const token = await county.townshipUser.token();
      const own = await createTestUser(t, { role: 'VILLAGE_ADMIN', villageId: county.neighbour.id }, token);
      expect(own.role).toBe('VILLAGE_ADMIN');
      const far = await request(t.http).post('/api/v1/users').set(auth(token)).send({
        username: 'far_admin',
        password: 'long-enough-1',
        displayName: '外',
        role: 'VILLAGE_ADMIN',
        villageId: county.farVillage.id,
      });
      expect(far.status).toBe(403);
      const township = await request(t.http).post('/api/v1/users').set(auth(token)).send({
        username: 'tw2',
        password: 'long-enough-1',
        displayName: '镇',
        role: 'TOWNSHIP',
        townshipId: county.township.id,
      });
      expect(township.status).toBe(400);
      expect(township.body.error.details.role).toBeDefined();
    });

    it('should let a village committee create scorers and clerks of its own village only', async () => {
      const token = await county.villageAdmin.token();
      const clerk = await createTestUser(t, { role: 'CLERK', villageId: county.village.id }, token);
      expect(clerk.role).toBe('CLERK');
      const admin2 = await request(t.http).post('/api/v1/users').set(auth(token)).send({
        username: 'va2',
        password: 'long-enough-1',
        displayName: '二',
        role: 'VILLAGE_ADMIN',
        villageId: county.village.id,
      });
      expect(admin2.status).toBe(400);
      const neighbour = await request(t.http).post('/api/v1/users').set(auth(token)).send({
        username: 'nb_scorer',
        password: 'long-enough-1',
        displayName: '邻',
        role: 'SCORER',
        villageId: county.neighbour.id,
      });
      expect(neighbour.status).toBe(403);
    });

    it('should refuse scorers and clerks the account API with 403', async () => {
      for (const user of [county.scorer, county.clerk]) {
        const res = await request(t.http)
          .get('/api/v1/users')
          .set(auth(await user.token()));
        expect(res.status).toBe(403);
      }
    });

    it('should refuse a taken username (any letter case) with 409 and a short password with 400', async () => {
      const taken = await request(t.http).post('/api/v1/users').set(auth(admin)).send({
        username: county.scorer.username.toUpperCase(),
        password: 'long-enough-1',
        displayName: '重',
        role: 'SCORER',
        villageId: county.village.id,
      });
      expect(taken.status).toBe(409);
      expect(taken.body.error.code).toBe('DUPLICATE');
      const short = await request(t.http).post('/api/v1/users').set(auth(admin)).send({
        username: 'shorty',
        password: '123',
        displayName: '短',
        role: 'SCORER',
        villageId: county.village.id,
      });
      expect(short.status).toBe(400);
      expect(short.body.error.details.password).toBe('密码至少 8 位');
      const noVillage = await request(t.http)
        .post('/api/v1/users')
        .set(auth(admin))
        .send({ username: 'novillage', password: 'long-enough-1', displayName: '无', role: 'CLERK' });
      expect(noVillage.status).toBe(400);
      expect(noVillage.body.error.details.villageId).toBe('村级账号必须选择村');
    });

    it('should list each role only the accounts in its scope', async () => {
      const names = async (token: string) =>
        (await request(t.http).get('/api/v1/users?pageSize=200').set(auth(token))).body.items.map(
          (u: { username: string }) => u.username,
        );
      const committee = await names(await county.villageAdmin.token());
      expect(committee).toContain(county.scorer.username);
      expect(committee).not.toContain(county.neighbourAdmin.username);
      const township = await names(await county.townshipUser.token());
      expect(township).toEqual(
        expect.arrayContaining([county.scorer.username, county.neighbourAdmin.username]),
      );
      expect(township).not.toContain('admin');
    });

    it('should not let a committee edit an account of another village or of a higher role', async () => {
      const token = await county.villageAdmin.token();
      const other = await request(t.http)
        .patch(`/api/v1/users/${county.neighbourAdmin.id}`)
        .set(auth(token))
        .send({ displayName: '改' });
      expect(other.status).toBe(403);
      const self = await request(t.http)
        .patch(`/api/v1/users/${county.villageAdmin.id}`)
        .set(auth(token))
        .send({ displayName: '改' });
      expect(self.status).toBe(403);
      const scorer = await request(t.http)
        .patch(`/api/v1/users/${county.scorer.id}`)
        .set(auth(token))
        .send({ displayName: '张组长' });
      expect(scorer.status).toBe(200);
      expect(scorer.body.displayName).toBe('张组长');
    });
  });

  it('should write an audit row naming the person, the record and the address for every change', async () => {
    const village = await createTestVillage(t, county.township.id, { name: '审计村' });
    await request(t.http)
      .patch(`/api/v1/villages/${village.id}`)
      .set(auth(admin))
      .set('X-Forwarded-For', '198.51.100.7')
      .send({ active: false });
    const rows = await t.dataSource.query(
      `SELECT "action", "actorName", "entityType", "entityId", "villageId", "ip" FROM audit_log WHERE "entityType" = 'village' AND "entityId" = ${village.id} ORDER BY id`,
    );
    expect(rows.map((r: { action: string }) => r.action)).toEqual(['village.create', 'village.deactivate']);
    expect(rows[1]).toMatchObject({
      actorName: '系统管理员(admin)',
      villageId: village.id,
      ip: '198.51.100.7',
    });
  });
});

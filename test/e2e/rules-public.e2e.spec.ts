import request from 'supertest';
import { todayInChina } from '../../src/common/dates.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';
import { createScoringScene, createTestHousehold, createTestRule } from '../support/scoring-fixtures.js';

/** Issue 10 point 2: the rule list in public, on the board and through the API, with no login. */
describe('the rules in public (积分细则)', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;
  let villageId: number;

  const rules = (query: string) => request(t.http).get(`/api/v1/rules${query}`);
  const board = (query = '') => request(t.http).get(`/public/villages/${villageId}${query}`);

  beforeAll(async () => {
    t = await createTestApp();
    scene = await createScoringScene(t);
    committee = await scene.villageAdmin.token();
    villageId = scene.village.id;
    await createTestRule(t, committee, villageId, {
      code: 'DZ-01',
      title: '参加志愿服务活动',
      points: 15,
      capCount: 4,
      capPeriod: 'month',
      evidenceRequired: true,
    });
    await createTestRule(t, committee, villageId, {
      code: 'FZ-01',
      category: '法治',
      title: '聚众赌博',
      points: -20,
      blackList: true,
    });
    await createTestRule(t, committee, villageId, {
      code: 'RJ-01',
      category: '人居环境',
      title: '门前三包做得好',
      points: undefined,
      minPoints: 5,
      maxPoints: 20,
    });
    const retired = await createTestRule(t, committee, villageId, { code: 'QT-09', title: '已废止的一条' });
    await request(t.http).patch(`/api/v1/rules/${retired.id}`).set(auth(committee)).send({ active: false });
    await createTestRule(t, await scene.neighbourAdmin.token(), scene.neighbour.id, {
      code: 'NB-01',
      title: '邻村的细则',
    });
  });
  afterAll(() => t.close());

  it('should answer the village rules in force with no login, deductions in and retired rules out', async () => {
    const res = await rules(`?villageId=${villageId}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: { code: string }) => r.code)).toEqual(['DZ-01', 'FZ-01', 'RJ-01']);
    expect(res.body.total).toBe(3);
    expect(res.body.effectiveOn).toBe(todayInChina());
    expect(res.body.items[1]).toMatchObject({
      title: '聚众赌博',
      points: -20,
      minPoints: -20,
      maxPoints: -20,
      blackList: true,
      active: true,
    });
    expect(res.body.items[0]).toMatchObject({ capCount: 4, capPeriod: 'month', evidenceRequired: true });
    expect(res.body.items[2]).toMatchObject({ points: null, minPoints: 5, maxPoints: 20 });
  });

  it('should answer a household the same public list when it logs in', async () => {
    const household = await createTestHousehold(t, committee, villageId, { pin: '246802' });
    const login = await request(t.http)
      .post('/api/v1/auth/villager-login')
      .send({ householdCode: household.code, pin: '246802' });
    const res = await rules(`?villageId=${villageId}`).set(auth(login.body.token));
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: { code: string }) => r.code)).toEqual(['DZ-01', 'FZ-01', 'RJ-01']);
  });

  it('should keep the staff answer: retired rules included, another village refused', async () => {
    const own = await rules(`?villageId=${villageId}`).set(auth(await scene.scorer.token()));
    expect(own.status).toBe(200);
    expect(own.body.items.map((r: { code: string }) => r.code)).toEqual(['DZ-01', 'FZ-01', 'QT-09', 'RJ-01']);
    expect(own.body.effectiveOn).toBeUndefined();
    expect(
      (await rules(`?villageId=${villageId}`).set(auth(await scene.neighbourAdmin.token()))).status,
    ).toBe(403);
  });

  it('should refuse a missing or invalid villageId with 400 and a Chinese message when no one is logged in', async () => {
    for (const query of [
      '',
      '?villageId=',
      '?villageId=abc',
      '?villageId=0',
      '?villageId=-3',
      '?villageId=99999999999',
      `?townshipId=${scene.township.id}`,
    ]) {
      const res = await rules(query);
      expect([query, res.status, res.body.error?.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
      expect(res.body.error.details.villageId).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('should answer 404 for a village that does not exist', async () => {
    const res = await rules('?villageId=987654');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('should show the 积分细则 section on the board with deductions, marks and the date it took effect', async () => {
    const res = await board();
    expect(res.status).toBe(200);
    const text = res.text;
    expect(text).toContain('<h2 id="h-rules">积分细则</h2>');
    expect(text).toContain(`共 3 条，自 ${todayInChina()} 起施行`);
    expect(text).toMatch(/聚众赌博[\s\S]*?列入黑榜[\s\S]*?扣分<\/span>−20/);
    expect(text).toContain('每户每月最多 4 次');
    expect(text).toContain('需照片或说明');
    expect(text).toContain('+5～+20');
    for (const category of ['德治', '法治', '人居环境']) expect(text).toContain(`<h3>${category}</h3>`);
    expect(text).not.toContain('已废止的一条');
    expect(text).not.toContain('邻村的细则');
    expect(text).toContain('href="?section=rules"');
  });

  it('should print only the rules section with ?section=rules', async () => {
    const text = (await board('?section=rules')).text;
    expect(text).toContain('id="h-rules"');
    for (const other of ['h-publication', 'h-ranking', 'h-lists', 'h-stars', 'h-catalogue'])
      expect(text).not.toContain(`id="${other}"`);
    const all = (await board()).text;
    expect(all).toContain('id="h-catalogue"');
  });

  it('should show a new rule on the board at once (the kept board is dropped by the write)', async () => {
    await board();
    await createTestRule(t, committee, villageId, { code: 'YF-01', category: '移风易俗', title: '婚事新办' });
    expect((await board('?section=rules')).text).toContain('婚事新办');
  });
});

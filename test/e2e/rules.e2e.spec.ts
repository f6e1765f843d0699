import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';
import { createScoringScene, createTestHousehold, daysAgo } from '../support/scoring-fixtures.js';

describe('rule lists (积分细则): versions, retiring, township templates', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;

  const create = (body: Record<string, unknown>, token = committee) =>
    request(t.http)
      .post('/api/v1/rules')
      .set(auth(token))
      .send({ villageId: scene.village.id, category: '德治', title: '拾金不昧', ...body });

  beforeAll(async () => {
    t = await createTestApp();
    scene = await createScoringScene(t);
    committee = await scene.villageAdmin.token();
  });
  afterAll(() => t.close());

  it('should create fixed and range rules with 201 as API.md shows them', async () => {
    const fixed = await create({
      code: 'dz-01',
      points: 15,
      capCount: 2,
      capPeriod: 'month',
      evidenceRequired: true,
    });
    expect(fixed.status).toBe(201);
    expect(fixed.body).toMatchObject({
      code: 'DZ-01',
      points: 15,
      minPoints: 15,
      maxPoints: 15,
      version: 1,
      capCount: 2,
      capPeriod: 'month',
      evidenceRequired: true,
      blackList: false,
      active: true,
    });
    const range = await create({ code: 'DZ-02', minPoints: 5, maxPoints: 20 });
    expect(range.body).toMatchObject({ points: null, minPoints: 5, maxPoints: 20 });
    const deduction = await create({
      code: 'FZ-01',
      category: '法治',
      title: '参与赌博',
      points: -20,
      blackList: true,
    });
    expect(deduction.body).toMatchObject({ points: -20, blackList: true });
    const list = await request(t.http)
      .get(`/api/v1/rules?villageId=${scene.village.id}`)
      .set(auth(await scene.scorer.token()));
    expect(list.body.items.map((r: { code: string }) => r.code)).toEqual(['DZ-01', 'DZ-02', 'FZ-01']);
  });

  it('should refuse bad rules with a Chinese message per field', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ code: 'X1', points: 0 }, 'points', '分值不能为 0'],
      [{ code: 'X2', minPoints: -5, maxPoints: 5 }, 'minPoints', '区间两端应同为加分或同为扣分，且不能为 0'],
      [{ code: 'X3', minPoints: 20, maxPoints: 5 }, 'maxPoints', '区间上限应大于下限'],
      [{ code: 'X4' }, 'points', '请填写固定分值，或同时填写区间的下限和上限'],
      [{ code: 'X5', points: 5, category: '娱乐' }, 'category', '请选择类别'],
      [{ code: 'X6', points: 5, capCount: 2 }, 'capPeriod', '次数上限和周期要一起填写'],
      [{ code: '好', points: 5 }, 'code', '细则编号应为 1–20 位字母、数字或横线'],
    ];
    for (const [body, field, message] of cases) {
      const res = await create(body);
      expect({ body, status: res.status, message: res.body.error?.details?.[field] }).toEqual({
        body,
        status: 400,
        message,
      });
    }
    const dup = await create({ code: 'DZ-01', points: 5 });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('DUPLICATE');
  });

  it('should make a new version when points change, and keep old records on the version they were made under', async () => {
    const rule = (await create({ code: 'V-01', points: 10 })).body;
    const h = await createTestHousehold(t, committee, scene.village.id);
    const old = await request(t.http)
      .post('/api/v1/score-records')
      .set(auth(await scene.scorer.token()))
      .send({ householdId: h.id, ruleId: rule.id, occurredOn: daysAgo(1) });
    const changed = await request(t.http)
      .patch(`/api/v1/rules/${rule.id}`)
      .set(auth(committee))
      .send({ points: 12 });
    expect(changed.body).toMatchObject({ version: 2, points: 12 });
    const same = await request(t.http)
      .patch(`/api/v1/rules/${rule.id}`)
      .set(auth(committee))
      .send({ evidenceRequired: true });
    expect(same.body.version).toBe(2);
    const fresh = await request(t.http)
      .post('/api/v1/score-records')
      .set(auth(await scene.scorer.token()))
      .send({ householdId: h.id, ruleId: rule.id, occurredOn: daysAgo(1), note: '有说明' });
    expect(fresh.body.points).toBe(12);
    expect(fresh.body.ruleVersionId).not.toBe(old.body.ruleVersionId);
    const approveOld = await request(t.http)
      .post(`/api/v1/score-records/${old.body.id}/approve`)
      .set(auth(committee))
      .send({ points: 12 });
    expect(approveOld.status).toBe(400);
    const versions = await t.dataSource.query(
      `SELECT version, "minPoints" FROM scoring_rule_version WHERE "ruleId" = ${rule.id} ORDER BY version`,
    );
    expect(versions).toEqual([
      { version: 1, minPoints: 10 },
      { version: 2, minPoints: 12 },
    ]);
  });

  it('should retire a rule so that it takes no new records but stays listed', async () => {
    const rule = (await create({ code: 'OLD-1', points: 5 })).body;
    const retired = await request(t.http)
      .patch(`/api/v1/rules/${rule.id}`)
      .set(auth(committee))
      .send({ active: false });
    expect(retired.body.active).toBe(false);
    const list = await request(t.http)
      .get(`/api/v1/rules?villageId=${scene.village.id}`)
      .set(auth(committee));
    expect(list.body.items.find((r: { id: number }) => r.id === rule.id).active).toBe(false);
  });

  it('should keep the village list to its committee and template lists to the township', async () => {
    expect((await create({ code: 'S-1', points: 5 }, await scene.scorer.token())).status).toBe(403);
    expect((await create({ code: 'T-1', points: 5 }, await scene.townshipUser.token())).status).toBe(403);
    expect((await create({ code: 'N-1', points: 5 }, await scene.neighbourAdmin.token())).status).toBe(403);
    const template = await request(t.http)
      .post('/api/v1/rules')
      .set(auth(committee))
      .send({ townshipId: scene.township.id, code: 'TP-1', category: '自治', title: '模板', points: 5 });
    expect(template.status).toBe(403);
    const neighbourList = await request(t.http)
      .get(`/api/v1/rules?villageId=${scene.neighbour.id}`)
      .set(auth(committee));
    expect(neighbourList.status).toBe(403);
  });

  it('should let a village copy the township’s templates, skipping codes it already has', async () => {
    const township = await scene.townshipUser.token();
    for (const [code, points] of [
      ['TP-01', 5],
      ['TP-02', -10],
      ['DZ-01', 99],
    ] as const) {
      const res = await request(t.http)
        .post('/api/v1/rules')
        .set(auth(township))
        .send({ townshipId: scene.township.id, code, category: '自治', title: `模板${code}`, points });
      expect(res.status).toBe(201);
    }
    const templates = await request(t.http)
      .get(`/api/v1/rules?townshipId=${scene.township.id}`)
      .set(auth(committee));
    expect(templates.body.total).toBe(3);
    const copied = await request(t.http)
      .post(`/api/v1/villages/${scene.village.id}/rules/copy-templates`)
      .set(auth(committee))
      .send({});
    expect(copied.status).toBe(201);
    expect(copied.body.items.map((r: { code: string }) => r.code)).toEqual(['TP-01', 'TP-02']);
    const dz = (
      await request(t.http).get(`/api/v1/rules?villageId=${scene.village.id}`).set(auth(committee))
    ).body.items.find((r: { code: string }) => r.code === 'DZ-01');
    expect(dz.points).toBe(15);
    const again = await request(t.http)
      .post(`/api/v1/villages/${scene.village.id}/rules/copy-templates`)
      .set(auth(committee))
      .send({});
    expect(again.body.items).toEqual([]);
  });
});

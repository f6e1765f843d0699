import { jest } from '@jest/globals';
import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';
import {
  createScoringScene,
  createTestHousehold,
  createTestRule,
  daysAgo,
} from '../support/scoring-fixtures.js';

jest.setTimeout(120_000);

/**
 * 志愿服务活动 (issue 21.3): the committee puts an activity up with places, households sign up, attendance is taken
 * with hours, and closing it makes one PENDING record per attendee under its rule, once.
 */
describe('volunteer activities', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;
  let scorer: string;
  let villageId: number;
  /** A rule of 2..10 points: counted by the hour, clamped into it. */
  let ranged: { id: number };
  let households: { id: number; code: string }[];

  const api = (method: 'get' | 'post', url: string, token: string, body?: object) =>
    request(t.http)[method](url).set(auth(token)).send(body);

  async function newActivity(overrides: Record<string, unknown> = {}) {
    const res = await api('post', '/api/v1/activities', committee, {
      villageId,
      title: '清扫村道',
      on: daysAgo(1),
      place: '村委会门口',
      places: 10,
      ruleId: ranged.id,
      ...overrides,
    });
    expect(res.status).toBe(201);
    return res.body as { id: number; status: string };
  }

  const villagerToken = async (household: { code: string }) =>
    (
      await request(t.http)
        .post('/api/v1/auth/villager-login')
        .send({ householdCode: household.code, pin: '135790' })
    ).body.token as string;

  /** The score records under a rule, read as the committee reads them. */
  const recordsOf = async (ruleId: number) =>
    (await t.dataSource.query(
      `SELECT id, "householdId", points, status, "occurredOn" FROM score_record WHERE "ruleId" = ${ruleId} ORDER BY id`,
    )) as { id: number; householdId: number; points: number; status: string; occurredOn: string }[];

  beforeAll(async () => {
    t = await createTestApp();
    scene = await createScoringScene(t);
    committee = await scene.villageAdmin.token();
    scorer = await scene.scorer.token();
    villageId = scene.village.id;
    ranged = await createTestRule(t, committee, villageId, {
      points: undefined,
      minPoints: 2,
      maxPoints: 10,
    });
    households = [];
    for (const headName of ['王大', '李二', '张三'])
      households.push(await createTestHousehold(t, committee, villageId, { headName }));
  });
  afterAll(() => t.close());

  it('should refuse bad input with 400 naming each field, in Chinese', async () => {
    const empty = await api('post', '/api/v1/activities', committee, {
      villageId,
      title: '',
      on: '2026-13-01',
      place: '村委会',
      places: 0,
      ruleId: ranged.id,
    });
    expect(empty.status).toBe(400);
    expect(Object.keys(empty.body.error.details).sort()).toEqual(['on', 'places', 'title']);
    expect(empty.body.error.details.places).toContain('名额');

    const noDay = await api('post', '/api/v1/activities', committee, {
      villageId,
      title: '清扫',
      on: '2026-02-30',
      place: '村委会',
      places: 3,
      ruleId: ranged.id,
    });
    expect(noDay.status).toBe(400);
    expect(noDay.body.error.details.on).toBe('日期不存在');

    const deduction = await createTestRule(t, committee, villageId, { points: -5 });
    const wrongRule = await api('post', '/api/v1/activities', committee, {
      villageId,
      title: '清扫',
      on: daysAgo(1),
      place: '村委会',
      places: 3,
      ruleId: deduction.id,
    });
    expect(wrongRule.status).toBe(400);
    expect(wrongRule.body.error.details.ruleId).toContain('加分');

    const activity = await newActivity();
    const url = `/api/v1/activities/${activity.id}/attendance`;
    for (const hours of [0, -1, 25, 'abc', 1.25]) {
      const res = await api('post', url, committee, { householdId: households[0].id, hours });
      expect(res.status).toBe(400);
      expect(res.body.error.details.hours).toContain('小时');
    }
    const outsider = await createTestHousehold(t, await scene.neighbourAdmin.token(), scene.neighbour.id);
    const elsewhere = await api('post', url, committee, { householdId: outsider.id, hours: 2 });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.details.householdId).toContain('本村');
    const noHousehold = await api('post', `/api/v1/activities/${activity.id}/signups`, committee, {
      householdId: 'x',
    });
    expect(noHousehold.status).toBe(400);
    expect(noHousehold.body.error.details.householdId).toBe('请选择农户');
  });

  it('should take sign-ups up to the places, once per household, a villager only for its own', async () => {
    const activity = await newActivity({ places: 2 });
    const url = `/api/v1/activities/${activity.id}/signups`;
    const [first, second, third] = households;
    const own = await villagerToken(first);
    expect((await api('post', url, own, { householdId: second.id })).status).toBe(403);
    expect((await api('post', url, own, { householdId: first.id })).status).toBe(201);
    expect((await api('post', url, committee, { householdId: second.id })).status).toBe(201);

    const full = await api('post', url, committee, { householdId: third.id });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('CAP_REACHED');
    const twice = await api('post', url, own, { householdId: first.id });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('DUPLICATE');

    const shown = await api('get', `/api/v1/activities/${activity.id}`, own);
    expect(shown.status).toBe(200);
    expect(shown.body.signups.map((s: { householdId: number }) => s.householdId)).toEqual([
      first.id,
      second.id,
    ]);
    const list = await api('get', `/api/v1/activities?villageId=${villageId}`, own);
    expect(list.status).toBe(200);
    expect(list.body.items.find((a: { id: number }) => a.id === activity.id).signedUp).toBe(2);
    const neighbour = await scene.neighbourAdmin.token();
    expect((await api('get', `/api/v1/activities/${activity.id}`, neighbour)).status).toBe(403);
    expect((await api('get', `/api/v1/activities?villageId=${villageId}`, neighbour)).status).toBe(403);
  });

  it('should make one PENDING record per attendee when closed (hours × points per hour, within the rule), once', async () => {
    const rule = await createTestRule(t, committee, villageId, {
      points: undefined,
      minPoints: 2,
      maxPoints: 10,
    });
    const activity = await newActivity({ ruleId: rule.id, pointsPerHour: 3 });
    const url = `/api/v1/activities/${activity.id}`;
    const [first, second, third] = households;
    // 2 h × 3 = 6; 5 h × 3 = 15, clamped to the rule's 10; no hours: the rule's default, 2.
    expect((await api('post', `${url}/attendance`, scorer, { householdId: first.id, hours: 2 })).status).toBe(
      201,
    );
    expect(
      (await api('post', `${url}/attendance`, scorer, { householdId: second.id, hours: 5 })).status,
    ).toBe(201);
    const third1 = await api('post', `${url}/attendance`, committee, { householdId: third.id });
    expect(third1.status).toBe(201);
    expect(third1.body.hours).toBeNull();

    const closed = await api('post', `${url}/close`, committee, {});
    expect(closed.status).toBe(200);
    expect(closed.body.recordIds).toHaveLength(3);
    expect(closed.body.skipped).toEqual([]);
    const records = await recordsOf(rule.id);
    expect(records.map((r) => [Number(r.householdId), Number(r.points), r.status, r.occurredOn])).toEqual([
      [first.id, 6, 'PENDING', daysAgo(1)],
      [second.id, 10, 'PENDING', daysAgo(1)],
      [third.id, 2, 'PENDING', daysAgo(1)],
    ]);
    expect(records.map((r) => Number(r.id))).toEqual(closed.body.recordIds);

    const again = await api('post', `${url}/close`, committee, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVALID_STATE');
    expect(await recordsOf(rule.id)).toHaveLength(3);
    const late = await api('post', `${url}/attendance`, scorer, { householdId: first.id, hours: 1 });
    expect(late.status).toBe(409);

    const shown = await api('get', url, committee);
    expect(shown.body.status).toBe('CLOSED');
    expect(shown.body.attendance.map((a: { recordId: number }) => a.recordId)).toEqual(closed.body.recordIds);
    const audit = await api('get', '/api/v1/audit-logs?action=activity.close', await t.adminToken());
    expect(audit.body.items.some((a: { entityId: number }) => a.entityId === activity.id)).toBe(true);
  });

  it('should make the records once when two closes race', async () => {
    const rule = await createTestRule(t, committee, villageId, { points: 5 });
    const activity = await newActivity({ ruleId: rule.id });
    for (const h of households)
      await api('post', `/api/v1/activities/${activity.id}/attendance`, committee, { householdId: h.id });
    const answers = await Promise.all(
      [committee, await scene.secondAdmin.token()].map((token) =>
        api('post', `/api/v1/activities/${activity.id}/close`, token, {}),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(await recordsOf(rule.id)).toHaveLength(3);
  });

  it("should skip an attendee the rule's cap refuses, list it, and still record the others", async () => {
    const rule = await createTestRule(t, committee, villageId, {
      points: 5,
      capCount: 1,
      capPeriod: 'month',
    });
    const [first, second] = households;
    const earlier = await api('post', '/api/v1/score-records', scorer, {
      householdId: first.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
    });
    expect(earlier.status).toBe(201);
    const activity = await newActivity({ ruleId: rule.id });
    for (const h of [first, second])
      await api('post', `/api/v1/activities/${activity.id}/attendance`, committee, { householdId: h.id });
    const closed = await api('post', `/api/v1/activities/${activity.id}/close`, committee, {});
    expect(closed.status).toBe(200);
    expect(closed.body.recordIds).toHaveLength(1);
    expect(closed.body.skipped).toEqual([
      expect.objectContaining({ householdId: first.id, code: 'CAP_REACHED' }),
    ]);
    const records = await recordsOf(rule.id);
    expect(records.map((r) => Number(r.householdId))).toEqual([first.id, second.id]);
  });
});

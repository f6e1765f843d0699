import request from 'supertest';
import { REPLAY_HEADER } from '../../src/common/idempotency.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';
import { createScoringScene, createTestHousehold, createTestRule } from '../support/scoring-fixtures.js';
import { newKey } from '../support/supermarket-fixtures.js';

/**
 * 入户检查 (issue 21): a 网格员 opens a round over a grid's households against a rule category's checklist, sends what
 * was found from a phone that may send it twice, and submits: one PENDING record per entry, all or none, once.
 */
describe('inspection rounds', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;
  let scorer: string;
  let villageId: number;
  let clean: { id: number };
  let dirty: { id: number };
  let deed: { id: number };
  let a: { id: number; code: string };
  let b: { id: number; code: string };
  let outside: { id: number; code: string };
  let gridId: number;

  const open = (body: Record<string, unknown>, token = scorer) =>
    request(t.http)
      .post('/api/v1/inspection-rounds')
      .set(auth(token))
      .send({ villageId, title: '十二月人居环境检查', category: '人居环境', ...body });
  const send = (roundId: number, body: Record<string, unknown>) =>
    request(t.http)
      .post(`/api/v1/inspection-rounds/${roundId}/entries`)
      .set(auth(scorer))
      .send({ idempotencyKey: newKey(), ...body });
  const submit = (roundId: number) =>
    request(t.http).post(`/api/v1/inspection-rounds/${roundId}/submit`).set(auth(scorer)).send({});
  const count = async (sql: string) => Number((await t.dataSource.query(sql))[0].n);
  const records = async (ids: number[]) =>
    (await t.dataSource.query(
      `SELECT id, "householdId", "ruleId", points, status, "recordedBy" FROM score_record
        WHERE id IN (${ids.join(', ')}) ORDER BY id`,
    )) as {
      id: number;
      householdId: number;
      ruleId: number;
      points: number;
      status: string;
      recordedBy: number;
    }[];

  beforeAll(async () => {
    t = await createTestApp({ env: { DEMO_HISTORY: 'off' } });
    scene = await createScoringScene(t);
    committee = await scene.villageAdmin.token();
    scorer = await scene.scorer.token();
    villageId = scene.village.id;
    clean = await createTestRule(t, committee, villageId, {
      code: 'HJ01',
      category: '人居环境',
      title: '庭院整洁',
      points: 5,
    });
    dirty = await createTestRule(t, committee, villageId, {
      code: 'HJ02',
      category: '人居环境',
      title: '乱堆乱放',
      points: undefined,
      minPoints: -30,
      maxPoints: -10,
    });
    deed = await createTestRule(t, committee, villageId, { code: 'DZ01', category: '德治' });
    a = await createTestHousehold(t, committee, villageId, { headName: '检查甲' });
    b = await createTestHousehold(t, committee, villageId, { headName: '检查乙' });
    outside = await createTestHousehold(t, committee, villageId, { headName: '网格外' });
    const grid = await request(t.http)
      .post('/api/v1/grids')
      .set(auth(committee))
      .send({ villageId, name: '检查网格', scorerUserId: scene.scorer.id, householdIds: [a.id, b.id] });
    expect(grid.status).toBe(201);
    gridId = grid.body.id;
  });
  afterAll(() => t.close());

  it("should open a round with the category's active rules as its checklist and the grid's households", async () => {
    const round = await open({ gridId });
    expect(round.status).toBe(201);
    expect(round.body).toMatchObject({
      villageId,
      gridId,
      status: 'OPEN',
      category: '人居环境',
      entries: [],
    });
    expect(round.body.checklist).toEqual([
      {
        ruleId: clean.id,
        code: 'HJ01',
        title: '庭院整洁',
        minPoints: 5,
        maxPoints: 5,
        evidenceRequired: false,
      },
      {
        ruleId: dirty.id,
        code: 'HJ02',
        title: '乱堆乱放',
        minPoints: -30,
        maxPoints: -10,
        evidenceRequired: false,
      },
    ]);
    expect(round.body.households.map((h: { id: number }) => h.id).sort()).toEqual([a.id, b.id].sort());
    // Without a grid: every active household of the village.
    const whole = await open({});
    expect(whole.body.households.map((h: { id: number }) => h.id)).toEqual(
      expect.arrayContaining([a.id, b.id, outside.id]),
    );
    // Staff of the village read it; the neighbouring committee does not.
    const read = await request(t.http).get(`/api/v1/inspection-rounds/${round.body.id}`).set(auth(committee));
    expect(read.body.checklist).toHaveLength(2);
    const neighbour = await request(t.http)
      .get(`/api/v1/inspection-rounds/${round.body.id}`)
      .set(auth(await scene.neighbourAdmin.token()));
    expect(neighbour.status).toBe(403);
  });

  it('should keep an entry sent twice with one key as one entry, and submit one PENDING record per entry once', async () => {
    const round = (await open({ gridId })).body;
    const key = newKey();
    const first = await send(round.id, {
      householdId: a.id,
      ruleId: clean.id,
      note: '院子干净',
      idempotencyKey: key,
    });
    const again = await send(round.id, {
      householdId: a.id,
      ruleId: clean.id,
      note: '院子干净',
      idempotencyKey: key,
    });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.headers[REPLAY_HEADER.toLowerCase()]).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(await count(`SELECT COUNT(*) AS n FROM inspection_entry WHERE "roundId" = ${round.id}`)).toBe(1);
    // The same key with another finding is not a resend.
    const other = await send(round.id, { householdId: b.id, ruleId: clean.id, idempotencyKey: key });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
    expect((await send(round.id, { householdId: b.id, ruleId: dirty.id, points: -20 })).status).toBe(201);

    const before = await count('SELECT COUNT(*) AS n FROM score_record');
    const submitted = await submit(round.id);
    expect(submitted.status).toBe(200);
    expect(submitted.headers[REPLAY_HEADER.toLowerCase()]).toBeUndefined();
    expect(submitted.body.recordIds).toHaveLength(2);
    expect(await records(submitted.body.recordIds)).toEqual([
      expect.objectContaining({ householdId: a.id, ruleId: clean.id, points: 5, status: 'PENDING' }),
      expect.objectContaining({ householdId: b.id, ruleId: dirty.id, points: -20, status: 'PENDING' }),
    ]);
    expect((await records(submitted.body.recordIds)).map((r) => r.recordedBy)).toEqual([
      scene.scorer.id,
      scene.scorer.id,
    ]);

    // Submitted again (a retry): the same records, nothing new.
    const twice = await submit(round.id);
    expect(twice.status).toBe(200);
    expect(twice.headers[REPLAY_HEADER.toLowerCase()]).toBe('true');
    expect(twice.body.recordIds).toEqual(submitted.body.recordIds);
    expect(await count('SELECT COUNT(*) AS n FROM score_record')).toBe(before + 2);

    // After the submit: a late resend is still the same entry; a new finding is refused.
    const late = await send(round.id, {
      householdId: a.id,
      ruleId: clean.id,
      note: '院子干净',
      idempotencyKey: key,
    });
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ id: first.body.id, recordId: submitted.body.recordIds[0] });
    const closed = await send(round.id, { householdId: a.id, ruleId: dirty.id });
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('INVALID_STATE');
    const read = await request(t.http).get(`/api/v1/inspection-rounds/${round.id}`).set(auth(scorer));
    expect(read.body).toMatchObject({ status: 'SUBMITTED', entries: [{ id: first.body.id }, {}] });
  });

  it('should refuse bad input with the field named', async () => {
    const round = (await open({ gridId })).body;
    const refusals: [Record<string, unknown>, string, string][] = [
      [{ householdId: outside.id, ruleId: clean.id }, 'householdId', '这户不在本次检查的农户里'],
      [{ householdId: a.id, ruleId: deed.id }, 'ruleId', '这条细则不在本次检查的清单里'],
      [{ householdId: a.id, ruleId: dirty.id, points: 5 }, 'points', '分值应在 -30 到 -10 之间'],
      [{ householdId: a.id, ruleId: clean.id, idempotencyKey: undefined }, 'idempotencyKey', '请附上幂等键'],
      [{ householdId: 'abc', ruleId: clean.id }, 'householdId', '请选择农户'],
      [{ householdId: a.id, ruleId: clean.id, points: 1.5 }, 'points', '分值应为整数'],
    ];
    for (const [body, field, message] of refusals) {
      const res = await send(round.id, body);
      expect([res.status, res.body.error?.code, field]).toEqual([400, 'VALIDATION_FAILED', field]);
      expect(res.body.error.details[field]).toBe(message);
    }
    const openings: [Record<string, unknown>, string][] = [
      [{ category: '卫生' }, 'category'],
      [{ category: '法治' }, 'category'], // no active 法治 rule in this village
      [{ title: '检'.repeat(41) }, 'title'],
      [{ title: '  ' }, 'title'],
      [{ gridId: 999999 }, 'gridId'],
    ];
    for (const [body, field] of openings) {
      const res = await open(body);
      expect([res.status, Object.keys(res.body.error?.details ?? {})]).toEqual([400, [field]]);
    }
    expect((await submit(999999)).status).toBe(404);
    expect(await count(`SELECT COUNT(*) AS n FROM inspection_entry WHERE "roundId" = ${round.id}`)).toBe(0);
  });

  it('should submit all entries or none, naming the household that is refused', async () => {
    const leaving = await createTestHousehold(t, committee, villageId, { headName: '将迁出' });
    const round = (await open({})).body;
    expect((await send(round.id, { householdId: a.id, ruleId: clean.id })).status).toBe(201);
    expect((await send(round.id, { householdId: leaving.id, ruleId: clean.id })).status).toBe(201);
    const moved = await request(t.http)
      .post(`/api/v1/households/${leaving.id}/move-out`)
      .set(auth(committee))
      .send({});
    expect(moved.status).toBeLessThan(300);
    const before = await count('SELECT COUNT(*) AS n FROM score_record');
    const refused = await submit(round.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(leaving.code);
    expect(refused.body.error.details.householdId).toBe(leaving.id);
    expect(await count('SELECT COUNT(*) AS n FROM score_record')).toBe(before);
    const read = await request(t.http).get(`/api/v1/inspection-rounds/${round.id}`).set(auth(scorer));
    expect(read.body.status).toBe('OPEN');
    expect(read.body.entries.map((e: { recordId: number | null }) => e.recordId)).toEqual([null, null]);
  });

  it('should submit 50 entries as 50 PENDING records with their points', async () => {
    const csv = ['户主姓名,家庭人口', ...Array.from({ length: 50 }, (_, i) => `批量户${i},2`)].join('\n');
    const imported = await request(t.http)
      .post(`/api/v1/households/import?villageId=${villageId}`)
      .set(auth(committee))
      .attach('file', Buffer.from(csv, 'utf8'), 'households.csv');
    expect(imported.status).toBe(201);
    const ids = (imported.body.households as { id: number }[]).map((h) => h.id);
    const round = (await open({ title: '五十户检查' })).body;
    for (const [i, householdId] of ids.entries()) {
      const res = await send(round.id, { householdId, ruleId: dirty.id, points: -10 - (i % 21) });
      expect(res.status).toBe(201);
    }
    const started = Date.now();
    const submitted = await submit(round.id);
    const took = Date.now() - started;
    console.log(`submit of 50 inspection entries: ${took} ms`);
    expect(submitted.status).toBe(200);
    const made = await records(submitted.body.recordIds);
    expect(made).toHaveLength(50);
    expect(made.map((r) => [r.householdId, r.points, r.status])).toEqual(
      ids.map((householdId, i) => [householdId, -10 - (i % 21), 'PENDING']),
    );
  });
});

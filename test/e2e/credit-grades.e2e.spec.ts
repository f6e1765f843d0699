import request from 'supertest';
import { Clock } from '../../src/common/clock.js';
import { addDays, todayInChina } from '../../src/common/dates.js';
import { CreditGradesService } from '../../src/credit/credit-grades.service.js';
import { REPLAY_HEADER } from '../../src/common/idempotency.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import {
  auth,
  createTestUser,
  csrfFrom,
  loggedIn,
  TEST_PASSWORD,
  villagerAgent,
} from '../support/factories.js';
import { postDeeds } from '../support/ranking-fixtures.js';
import { createScoringScene, createTestHousehold, daysAgo } from '../support/scoring-fixtures.js';

/**
 * 信用户评定 (issue 22.2): the village's voted thresholds, every active household's grade of the year from its earned
 * points, stars and black list, 公示 with objections (upheld changes the grade), the township's filing (final), and the
 * village grade (信用村) on the township's overview.
 */
describe('credit grades (信用户评定)', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;
  let township: string;
  let villageId: number;
  const year = Number(todayInChina().slice(0, 4));
  /** 富: 350 points (4 stars); 黑: 250 points then on the black list; 中: 150; 零: nothing. */
  let rich: { id: number; code: string };
  let black: { id: number; code: string };
  let middle: { id: number; code: string };
  let zero: { id: number; code: string };

  const base = () => `/api/v1/villages/${villageId}`;
  const post = (path: string, token: string, body: object = {}) =>
    request(t.http).post(path).set(auth(token)).send(body);
  const grades = async (token = committee) =>
    (await request(t.http).get(`${base()}/credit-grades?year=${year}`).set(auth(token))).body;
  const gradeOf = (body: { rows: { householdId: number; grade: string }[] }, id: number) =>
    body.rows.find((r) => r.householdId === id)?.grade;
  const onDay = async <T>(day: string, act: () => Promise<T>) => {
    t.app.get(Clock).stopAt(new Date(`${day}T10:00:00+08:00`));
    try {
      return await act();
    } finally {
      t.app.get(Clock).stopAt(null);
    }
  };
  const RULES = {
    levels: [
      { name: 'AAA', minPoints: 300, minStars: 4 },
      { name: 'AA', minPoints: 200, minStars: 0 },
      { name: 'A', minPoints: 100, minStars: 0 },
      { name: 'B', minPoints: 0, minStars: 0 },
    ],
    blackListGrade: 'A',
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    scene = await createScoringScene(t);
    committee = await scene.villageAdmin.token();
    township = await scene.townshipUser.token();
    villageId = scene.village.id;
    rich = await createTestHousehold(t, committee, villageId, { headName: '富有财' });
    black = await createTestHousehold(t, committee, villageId, { headName: '黑大山' });
    middle = await createTestHousehold(t, committee, villageId, { headName: '中小河' });
    zero = await createTestHousehold(t, committee, villageId, { headName: '零春花' });
    await postDeeds(t, scene, [
      { householdId: rich.id, points: 350, occurredOn: daysAgo(0) },
      { householdId: black.id, points: 270, occurredOn: daysAgo(0) },
      { householdId: black.id, points: -20, occurredOn: daysAgo(0), blackList: true },
      { householdId: middle.id, points: 150, occurredOn: daysAgo(0) },
    ]);
    const period = todayInChina().slice(0, 7);
    const entry = await post(`${base()}/list-entries`, committee, {
      period,
      list: 'BLACK',
      householdId: black.id,
      reason: '违规占地建房',
    });
    expect(entry.status).toBe(201);
    expect((await post(`${base()}/lists/publish`, committee, { period })).status).toBe(200);
  });
  afterAll(() => t.close());

  it('should refuse a missing or malformed year with 400 and a Chinese message', async () => {
    for (const q of ['', '?year=', '?year=abc', '?year=26', '?year=2026.5', '?year=1999']) {
      const res = await request(t.http).get(`${base()}/credit-grades${q}`).set(auth(committee));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/年份/);
      expect(res.body.error.details).toHaveProperty('year');
    }
    const page = await (
      await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD)
    ).get('/credit-grades?year=20x6');
    expect(page.status).toBe(400);
    expect(page.text).toContain('年份应为');
  });

  it('should refuse to compute before the village has voted its thresholds, and refuse rules that rise downwards', async () => {
    const early = await post(`${base()}/credit-grades/compute`, committee, { year });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('信用等级标准');
    const wrong = await request(t.http)
      .put(`${base()}/credit-grade-rules`)
      .set(auth(committee))
      .send({
        levels: [
          { name: 'AAA', minPoints: 100, minStars: 0 },
          { name: 'AA', minPoints: 200, minStars: 0 },
        ],
      });
    expect(wrong.status).toBe(400);
    expect(Object.keys(wrong.body.error.details)).toEqual(
      expect.arrayContaining(['levels.0.minPoints', 'levels.1.minPoints']),
    );
    const stored = await request(t.http).get(`${base()}/credit-grade-rules`).set(auth(committee));
    expect(stored.body.voted).toBe(false);
  });

  it('should grade every active household by the voted thresholds, a black-listed one at most the configured grade', async () => {
    const set = await request(t.http).put(`${base()}/credit-grade-rules`).set(auth(committee)).send(RULES);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ voted: true, blackListGrade: 'A', levels: RULES.levels });
    const again = await request(t.http).put(`${base()}/credit-grade-rules`).set(auth(committee)).send(RULES);
    expect(again.headers[REPLAY_HEADER.toLowerCase()]).toBe('true');

    const computed = await post(`${base()}/credit-grades/compute`, committee, { year });
    expect(computed.status).toBe(200);
    expect(computed.body.status).toBe('COMPUTED');
    const body = await grades();
    expect(gradeOf(body, rich.id)).toBe('AAA');
    // 250 points would be AA; on the year's black list it gets at most A.
    expect(gradeOf(body, black.id)).toBe('A');
    expect(body.rows.find((r: { householdId: number }) => r.householdId === black.id)).toMatchObject({
      earned: 250,
      blackListed: true,
    });
    expect(gradeOf(body, middle.id)).toBe('A');
    expect(gradeOf(body, zero.id)).toBe('B');
    // A double click computes nothing new.
    const twice = await post(`${base()}/credit-grades/compute`, committee, { year });
    expect(twice.status).toBe(200);
    expect(twice.headers[REPLAY_HEADER.toLowerCase()]).toBe('true');
    // Not publicised yet: nobody may rely on it.
    expect(await t.app.get(CreditGradesService).gradeOf(rich.id, year)).toBeNull();
  });

  it('should let a township out of scope see nothing (403), and the village’s own township read it', async () => {
    const other = await createTestUser(t, { role: 'TOWNSHIP', townshipId: scene.otherTownship.id });
    const res = await request(t.http)
      .get(`${base()}/credit-grades?year=${year}`)
      .set(auth(await other.token()));
    expect(res.status).toBe(403);
    const mine = await request(t.http).get(`${base()}/credit-grades?year=${year}`).set(auth(township));
    expect(mine.status).toBe(200);
    expect(mine.body.rows.length).toBe(4);
    expect((await post(`${base()}/credit-grades/compute`, township, { year })).status).toBe(403);
  });

  it('should change the grade when an objection is upheld, with the answer as the reason', async () => {
    const publicized = await post(`${base()}/credit-grades/publicize`, committee, { year, days: 2 });
    expect(publicized.status).toBe(200);
    expect(publicized.body).toMatchObject({
      status: 'PUBLICIZING',
      windowEndsOn: addDays(todayInChina(), 1),
    });
    expect(await t.app.get(CreditGradesService).gradeOf(rich.id, year)).toBe('AAA');
    // The household objects from its own login; a second send is the same objection.
    const login = await request(t.http)
      .post('/api/v1/auth/villager-login')
      .send({ householdCode: middle.code, pin: '135790' });
    const villager = login.body.token as string;
    const objected = await post(`${base()}/credit-grades/objections`, villager, {
      year,
      reason: '去年帮扶孤寡老人的积分没有算进去',
    });
    expect(objected.status).toBe(201);
    const repeat = await post(`${base()}/credit-grades/objections`, villager, { year, reason: '再提一次' });
    expect(repeat.status).toBe(200);
    expect(repeat.body.id).toBe(objected.body.id);
    // Another household's grade is not the villager's to object to.
    expect(
      (
        await post(`${base()}/credit-grades/objections`, villager, {
          year,
          householdId: rich.id,
          reason: 'x',
        })
      ).status,
    ).toBe(403);
    const noAnswer = await post(`${base()}/credit-grades/objections/${objected.body.id}/answer`, committee, {
      decision: 'UPHOLD',
    });
    expect(noAnswer.status).toBe(400);
    const upheld = await post(`${base()}/credit-grades/objections/${objected.body.id}/answer`, committee, {
      decision: 'UPHOLD',
      grade: 'AA',
      answer: '核实有帮扶记录，调整为 AA',
    });
    expect(upheld.status).toBe(200);
    expect(upheld.body).toMatchObject({ status: 'UPHELD', gradeBefore: 'A', gradeAfter: 'AA' });
    const row = (await grades()).rows.find((r: { householdId: number }) => r.householdId === middle.id);
    expect(row).toMatchObject({
      grade: 'AA',
      computedGrade: 'A',
      note: '异议成立：核实有帮扶记录，调整为 AA',
    });
    expect(await t.app.get(CreditGradesService).gradeOf(middle.id, year)).toBe('AA');
    const audit = await t.dataSource.query(
      `SELECT action FROM audit_log WHERE action LIKE 'credit.%' AND "villageId" = ${villageId} ORDER BY id`,
    );
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'credit.rules',
      'credit.compute',
      'credit.publicize',
      'credit.object',
      'credit.answer',
    ]);
  });

  it('should refuse to submit during the 公示, then let the township file it, after which a recompute is refused', async () => {
    const early = await post(`${base()}/credit-grades/submit`, committee, { year });
    expect(early.status).toBe(409);
    const later = addDays(todayInChina(), 2);
    await onDay(later, async () => {
      const submitted = await post(`${base()}/credit-grades/submit`, committee, { year });
      expect(submitted.status).toBe(200);
      expect(submitted.body.status).toBe('SUBMITTED');
      // The township's start page counts it among what waits to be filed.
      const home = await (await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD)).get('/');
      expect(home.text).toMatch(/待备案信用户评定 <strong class="todo-count">1<\/strong>/);
      // Filing is the township's, not the committee's.
      expect((await post(`${base()}/credit-grades/file`, committee, { year })).status).toBe(403);
      const filed = await post(`${base()}/credit-grades/file`, township, { year, comment: '同意备案' });
      expect(filed.status).toBe(200);
      expect(filed.body).toMatchObject({ status: 'FILED', townshipComment: '同意备案' });
      const again = await post(`${base()}/credit-grades/file`, township, { year });
      expect(again.headers[REPLAY_HEADER.toLowerCase()]).toBe('true');
      const recompute = await post(`${base()}/credit-grades/compute`, committee, { year });
      expect(recompute.status).toBe(409);
      expect(recompute.body.error.message).toContain('已经乡镇备案');
      expect((await post(`${base()}/credit-grades/return`, township, { year, comment: '退回' })).status).toBe(
        409,
      );
    });
    expect(gradeOf(await grades(), middle.id)).toBe('AA');
  });

  it('should show the village grade (信用村) on the township’s overview', async () => {
    // 4 households: AAA, AA, A, B (3 above B = 75%, under 80%), one on the black list: not yet a credit village.
    const body = await grades(township);
    expect(body.villageGrade).toMatchObject({
      grade: '未达标',
      households: 4,
      aboveLowest: 3,
      blackListed: 1,
    });
    const agent = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
    const page = await agent.get(`/township?period=${year}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`${year}年信用村评定`);
    expect(page.text).toMatch(new RegExp(`${scene.village.name}[\\s\\S]*?未达标`));
  });

  it('should describe its routes in the OpenAPI description, with the year as a query parameter', async () => {
    const res = await request(t.http).get('/api/docs-json');
    const paths = res.body.paths as Record<string, Record<string, { parameters?: { name: string }[] }>>;
    for (const path of [
      '/api/v1/villages/{id}/credit-grade-rules',
      '/api/v1/villages/{id}/credit-grades',
      '/api/v1/villages/{id}/credit-grades/compute',
      '/api/v1/villages/{id}/credit-grades/publicize',
      '/api/v1/villages/{id}/credit-grades/objections',
      '/api/v1/villages/{id}/credit-grades/objections/{objectionId}/answer',
      '/api/v1/villages/{id}/credit-grades/submit',
      '/api/v1/villages/{id}/credit-grades/file',
      '/api/v1/villages/{id}/credit-grades/return',
    ])
      expect(Object.keys(paths)).toContain(path);
    expect(paths['/api/v1/villages/{id}/credit-grades'].get.parameters?.map((p) => p.name)).toContain('year');
  });

  it('should show the household its grade on /villager and take an objection there during the 公示', async () => {
    // A second village of the same township, its grades in 公示.
    const committee2 = await scene.neighbourAdmin.token();
    const v2 = scene.neighbour.id;
    const h = await createTestHousehold(t, committee2, v2, { headName: '邻村户' });
    await request(t.http).put(`/api/v1/villages/${v2}/credit-grade-rules`).set(auth(committee2)).send(RULES);
    expect((await post(`/api/v1/villages/${v2}/credit-grades/compute`, committee2, { year })).status).toBe(
      200,
    );
    expect(
      (await post(`/api/v1/villages/${v2}/credit-grades/publicize`, committee2, { year, days: 3 })).status,
    ).toBe(200);
    const agent = await villagerAgent(t, h.code, '135790');
    const home = await agent.get('/villager');
    expect(home.text).toContain(`${year}年信用等级`);
    expect(home.text).toContain('<strong class="credit-grade">B</strong>');
    const empty = await agent
      .post('/villager/credit-grade/objection')
      .type('form')
      .send({ _csrf: csrfFrom(home.text), year, creditReason: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('请写明异议的理由');
    const sent = await agent
      .post('/villager/credit-grade/objection')
      .type('form')
      .send({ _csrf: csrfFrom(home.text), year, creditReason: '我家今年的积分算少了' });
    expect(sent.status).toBe(303);
    // Sent twice (a double tap): the same objection, nothing written.
    const twice = await agent
      .post('/villager/credit-grade/objection')
      .type('form')
      .send({ _csrf: csrfFrom(home.text), year, creditReason: '我家今年的积分算少了' });
    expect(twice.status).toBe(303);
    expect(twice.headers[REPLAY_HEADER.toLowerCase()]).toBe('true');
    const after = await agent.get('/villager');
    expect(after.text).toContain('我家今年的积分算少了');
    expect(after.text).toContain('等待答复');
    const objections = (
      await request(t.http).get(`/api/v1/villages/${v2}/credit-grades?year=${year}`).set(auth(committee2))
    ).body.objections;
    expect(objections).toHaveLength(1);
  });

  it('should show the rules form again with what was typed and the field marked when the committee’s rules are wrong', async () => {
    const agent = await loggedIn(t, scene.neighbourAdmin.username, TEST_PASSWORD);
    const page = await agent.get('/credit-grades');
    expect(page.status).toBe(200);
    expect(page.text).toContain('公示中');
    expect(page.text).toContain('邻村户');
    const refused = await agent
      .post('/credit-grades/rules')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        year,
        level0Name: '优秀',
        level0MinPoints: '50',
        level1Name: '良好',
        level1MinPoints: '80',
        level2Name: '一般',
        level2MinPoints: '0',
      });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('value="优秀"');
    expect(refused.text).toMatch(/id="f-level0MinPoints"[^>]*aria-invalid="true"/);
    expect(refused.text).toContain('不能低于下一级');
    // Nothing changed.
    const rules = await request(t.http)
      .get(`/api/v1/villages/${scene.neighbour.id}/credit-grade-rules`)
      .set(auth(await scene.neighbourAdmin.token()));
    expect(rules.body.levels.map((l: { name: string }) => l.name)).toEqual(['AAA', 'AA', 'A', 'B']);
  });

  it('should let the township choose a village, then return its submitted grades on the page with a reason', async () => {
    const v2 = scene.neighbour.id;
    const committee2 = await scene.neighbourAdmin.token();
    const open = (
      await request(t.http).get(`/api/v1/villages/${v2}/credit-grades?year=${year}`).set(auth(committee2))
    ).body.objections[0];
    const dismissed = await post(
      `/api/v1/villages/${v2}/credit-grades/objections/${open.id}/answer`,
      committee2,
      {
        decision: 'DISMISS',
        answer: '积分核对无误',
      },
    );
    expect(dismissed.body).toMatchObject({ status: 'DISMISSED', gradeAfter: 'B' });
    const agent = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
    const chooser = await agent.get('/credit-grades');
    expect(chooser.text).toContain(`/credit-grades?villageId=${v2}`);
    await onDay(addDays(todayInChina(), 3), async () => {
      expect((await post(`/api/v1/villages/${v2}/credit-grades/submit`, committee2, { year })).status).toBe(
        200,
      );
      const page = await agent.get(`/credit-grades?villageId=${v2}&year=${year}`);
      expect(page.text).toContain('已报乡镇备案');
      const empty = await agent
        .post('/credit-grades/return')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), villageId: v2, year, returnComment: '' });
      expect(empty.status).toBe(400);
      expect(empty.text).toMatch(/id="f-returnComment"[^>]*aria-invalid="true"/);
      const returned = await agent
        .post('/credit-grades/return')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), villageId: v2, year, returnComment: 'AAA 门槛偏低，请重新表决' });
      expect(returned.status).toBe(303);
      const twice = await agent
        .post('/credit-grades/return')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), villageId: v2, year, returnComment: 'AAA 门槛偏低，请重新表决' });
      expect(twice.headers[REPLAY_HEADER.toLowerCase()]).toBe('true');
      const after = await agent.get(`/credit-grades?villageId=${v2}&year=${year}`);
      expect(after.text).toContain('乡镇退回');
      expect(after.text).toContain('AAA 门槛偏低，请重新表决');
      // Returned grades are not a village grade: the overview says where they stand instead.
      const overview = await agent.get(`/township?period=${year}`);
      expect(overview.text).toMatch(
        new RegExp(`${scene.neighbour.name}</a></td><td[^>]*>乡镇退回</td><td[^>]*><strong>—</strong>`),
      );
    });
  });
});

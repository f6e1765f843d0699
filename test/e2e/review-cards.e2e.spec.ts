import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, csrfFrom, loggedIn, TEST_PASSWORD, villagerAgent } from '../support/factories.js';
import {
  createScoringScene,
  createTestHousehold,
  createTestRule,
  daysAgo,
} from '../support/scoring-fixtures.js';

type Agent = Awaited<ReturnType<typeof loggedIn>>;

/**
 * Issue 19 items 2 and 6: each review card approves or returns its own record; the 公示 page says when it posts by
 * itself and offers no close button before it can; the committee records an objection a villager made in person,
 * which holds the record and is answered to the household as if it had filed it.
 */
describe('review cards and on-behalf objections', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;
  let villageId: number;
  let reviewer: Agent;

  const api = (path: string, token: string, body: object = {}) =>
    request(t.http).post(path).set(auth(token)).send(body);
  const statusOf = async (id: number) =>
    (await t.dataSource.query(`SELECT status FROM score_record WHERE id = ${id}`))[0].status as string;

  async function pending(householdId: number, points: number, ruleFields: object = {}) {
    const rule = await createTestRule(t, committee, villageId, {
      points,
      title: '参加志愿服务',
      ...ruleFields,
    });
    const rec = await api('/api/v1/score-records', await scene.scorer.token(), {
      householdId,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
    });
    expect(rec.status).toBe(201);
    return rec.body.id as number;
  }

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    scene = await createScoringScene(t);
    committee = await scene.villageAdmin.token();
    villageId = scene.village.id;
    reviewer = await loggedIn(t, scene.secondAdmin.username, TEST_PASSWORD);
  });
  afterAll(() => t.close());

  it('should give each card its own 通过 and a 退回 form with a reason field', async () => {
    const h = await createTestHousehold(t, committee, villageId, { headName: '卡片户' });
    const id = await pending(h.id, 15);
    const page = await reviewer.get('/scoring/review');
    expect(page.text).toContain(`formaction="/scoring/review/${id}/approve"`);
    expect(page.text).toContain(`<form method="post" action="/scoring/review/${id}/reject"`);
    expect(page.text).toMatch(
      new RegExp(`<label for="why-${id}">退回理由</label>\\s*<input id="why-${id}" name="reason${id}"`),
    );
  });

  it('should approve one record from its card and return another from its card with the reason', async () => {
    const h = await createTestHousehold(t, committee, villageId, { headName: '审核户' });
    const a = await pending(h.id, 15);
    const b = await pending(h.id, 10);
    const page = await reviewer.get('/scoring/review');
    const ok = await reviewer
      .post(`/scoring/review/${a}/approve`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(ok.status).toBe(303);
    expect(await statusOf(a)).toBe('APPROVED');
    const back = await reviewer
      .post(`/scoring/review/${b}/reject`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), [`reason${b}`]: '照片看不清，请补充' });
    expect(back.status).toBe(303);
    expect(await statusOf(b)).toBe('REJECTED');
    const after = await reviewer.get('/scoring/review');
    expect(after.text).toMatch(/已退回：\S+ 审核户家 R\d+，理由：照片看不清，请补充/);
    const [row] = await t.dataSource.query(`SELECT "rejectReason" FROM score_record WHERE id = ${b}`);
    expect(row.rejectReason).toBe('照片看不清，请补充');
    const [audit] = await t.dataSource.query(
      `SELECT "actorId", details FROM audit_log WHERE action = 'score.reject' AND "entityId" = ${b}`,
    );
    expect(audit.actorId).toBe(scene.secondAdmin.id);
    expect(JSON.parse(audit.details)).toMatchObject({ reason: '照片看不清，请补充' });
  });

  it('should bring the page back with the card’s reason marked when 退回 has no reason', async () => {
    const h = await createTestHousehold(t, committee, villageId, { headName: '无理由户' });
    const id = await pending(h.id, 15);
    const page = await reviewer.get('/scoring/review');
    const refused = await reviewer
      .post(`/scoring/review/${id}/reject`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), [`reason${id}`]: '  ' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('<h1>审核积分登记</h1>');
    expect(refused.text).toMatch(new RegExp(`id="why-${id}"[^>]*aria-invalid="true"`));
    expect(refused.text).toContain(`<p class="error" id="e-reason${id}">请填写退回理由</p>`);
    expect(await statusOf(id)).toBe('PENDING');
  });

  describe('a publication in its window', () => {
    let publicationId: number;
    let recordId: number;
    let endsOn: string;
    let objector: { id: number; code: string };
    let agent: Agent;

    beforeAll(async () => {
      const h = await createTestHousehold(t, committee, villageId, { headName: '被议户' });
      objector = await createTestHousehold(t, committee, villageId, { headName: '刘大妈', pin: '8642' });
      recordId = await pending(h.id, 15);
      await api(`/api/v1/score-records/${recordId}/approve`, committee);
      const pub = await api('/api/v1/publications', committee, { villageId, days: 3 });
      expect(pub.status).toBe(201);
      publicationId = pub.body.id;
      endsOn = pub.body.endsOn;
      agent = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    });

    it('should say when it posts by itself and offer no close button until it can close', async () => {
      const page = await agent.get(`/publications/${publicationId}`);
      expect(page.text).toContain(`公示期到 ${endsOn} 结束，结束后系统自动入账`);
      expect(page.text).not.toContain('结束公示并入账');
      expect(page.text).not.toContain(`action="/publications/${publicationId}/close"`);
    });

    it('should record a villager’s objection on the household’s behalf and hold the record as theirs', async () => {
      const page = await agent.get(`/publications/${publicationId}`);
      expect(page.text).toContain('代村民登记异议');
      const missing = await agent
        .post(`/publications/${publicationId}/objections`)
        .type('form')
        .send({
          _csrf: csrfFrom(page.text),
          recordId,
          householdId: objector.id,
          toldBy: '刘大妈',
          objectionReason: '',
        });
      expect(missing.status).toBe(400);
      expect(missing.text).toMatch(/id="f-objectionReason"[^>]*aria-invalid="true"/);
      expect(missing.text).toContain('请写明异议理由');
      expect(missing.text).toContain('value="刘大妈"');

      const res = await agent
        .post(`/publications/${publicationId}/objections`)
        .type('form')
        .send({
          _csrf: csrfFrom(page.text),
          recordId,
          householdId: objector.id,
          toldBy: '刘大妈',
          objectionReason: '那天他不在村里',
        });
      expect(res.status).toBe(303);
      expect(await statusOf(recordId)).toBe('OBJECTED');
      const after = await agent.get(`/publications/${publicationId}`);
      expect(after.text).toContain('已代 刘大妈 登记异议');
      expect(after.text).toContain('理由：那天他不在村里');

      // The household's own objection, as if filed from /villager: it sees it and a second one is refused.
      const [objection] = await t.dataSource.query(`SELECT * FROM objection WHERE "recordId" = ${recordId}`);
      expect(objection).toMatchObject({
        byHouseholdId: objector.id,
        byUserId: null,
        reason: '那天他不在村里',
      });
      const villager = await villagerAgent(t, objector.code, '8642');
      const home = await villager.get('/villager');
      expect(home.text).toContain('异议：那天他不在村里');
      const again = await villager
        .post(`/villager/objections/${recordId}`)
        .type('form')
        .send({ _csrf: csrfFrom(home.text), reason: '再说一次' });
      expect(again.status).toBe(409);

      // Who told whom: the committee member wrote it down, for the household, as told by 刘大妈.
      const [audit] = await t.dataSource.query(
        `SELECT "actorId", "actorType", details FROM audit_log WHERE action = 'objection.file' AND "entityId" = ${objection.id}`,
      );
      expect(audit).toMatchObject({ actorId: scene.villageAdmin.id, actorType: 'USER' });
      expect(JSON.parse(audit.details)).toMatchObject({
        recordId,
        reason: '那天他不在村里',
        toldBy: '刘大妈',
        onBehalfOf: { householdId: objector.id, household: `${objector.code} 刘大妈家` },
      });

      // The decision reaches the household as it would have had it objected itself.
      const resolved = await api(`/api/v1/objections/${objection.id}/resolve`, committee, {
        decision: 'DISMISS',
        reason: '经核实他当天在村',
      });
      expect(resolved.status).toBe(200);
      const [notice] = await t.dataSource.query(
        `SELECT text FROM notice WHERE "householdId" = ${objector.id} AND kind = 'OBJECTION_DECIDED'`,
      );
      expect(notice.text).toContain('异议不成立，维持原记录。理由：经核实他当天在村');
    });

    it('should keep the on-behalf form to the committee and refuse a household of another village', async () => {
      const township = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
      const seen = await township.get(`/publications/${publicationId}`);
      expect(seen.status).toBe(200);
      expect(seen.text).not.toContain('代村民登记异议');
      const refused = await township
        .post(`/publications/${publicationId}/objections`)
        .type('form')
        .send({
          _csrf: csrfFrom(seen.text),
          recordId,
          householdId: objector.id,
          toldBy: '某人',
          objectionReason: '有问题',
        });
      expect(refused.status).toBe(403);
      const neighbour = await createTestHousehold(t, await scene.neighbourAdmin.token(), scene.neighbour.id);
      const page = await agent.get(`/publications/${publicationId}`);
      const stranger = await agent
        .post(`/publications/${publicationId}/objections`)
        .type('form')
        .send({
          _csrf: csrfFrom(page.text),
          recordId,
          householdId: neighbour.id,
          toldBy: '某人',
          objectionReason: '有问题',
        });
      expect(stranger.status).toBe(400);
      expect(stranger.text).toContain('请选择本村提出异议的农户');
      expect(stranger.text).toMatch(/id="f-householdId"[^>]*aria-invalid="true"/);
    });
  });
});

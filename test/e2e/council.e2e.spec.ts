import request from 'supertest';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, createTestUser, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import {
  createScoringScene,
  createTestHousehold,
  createTestRule,
  daysAgo,
} from '../support/scoring-fixtures.js';

/**
 * 道德评议会 (issue 20.3): a record under a rule that needs the council is decided by the council's vote, never by one
 * committee member; each member votes once; the votes (not the voters) show in 公示.
 */
describe('the review council (道德评议会)', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let scorer: string;
  let committee: string;
  let villageId: number;
  let councilRule: { id: number; code: string };
  let household: { id: number; code: string };
  /** Five council members' tokens (the default quorum). */
  let members: string[];

  const post = (path: string, token: string, body: object = {}) =>
    request(t.http).post(path).set(auth(token)).send(body);
  const vote = (recordId: number, token: string, choice: string, comment?: string) =>
    post(`/api/v1/score-records/${recordId}/votes`, token, { vote: choice, ...(comment ? { comment } : {}) });
  const status = async (id: number) =>
    (await request(t.http).get(`/api/v1/score-records/${id}`).set(auth(committee))).body.status as string;

  async function councilRecord(householdId = household.id) {
    const rec = await post('/api/v1/score-records', scorer, {
      householdId,
      ruleId: councilRule.id,
      occurredOn: daysAgo(1),
      note: '照顾瘫痪婆婆十年',
    });
    expect(rec.status).toBe(201);
    return rec.body.id as number;
  }

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    scene = await createScoringScene(t);
    scorer = await scene.scorer.token();
    committee = await scene.villageAdmin.token();
    villageId = scene.village.id;
    councilRule = await createTestRule(t, committee, villageId, {
      title: '好媳妇',
      points: 30,
      needsCouncil: true,
    });
    household = await createTestHousehold(t, committee, villageId, { headName: '王秀英' });
    members = [];
    for (let i = 0; i < 6; i++) {
      // The committee names its council; the township confirms each account (as for every account a village opens).
      const member = await createTestUser(
        t,
        { role: 'COUNCIL', villageId, displayName: `评议员${i}` },
        committee,
      );
      members.push(await member.token());
    }
  });
  afterAll(async () => {
    const report = await t.app.get(LedgerService).verify([villageId]);
    expect(report).toMatchObject({ ok: true, chainValid: true });
    await t.close();
  });

  it('should keep needsCouncil on the rule and show it in the rule list', async () => {
    const rules = await request(t.http).get(`/api/v1/rules?villageId=${villageId}`).set(auth(committee));
    expect(rules.body.items.find((r: { id: number }) => r.id === councilRule.id)).toMatchObject({
      needsCouncil: true,
    });
    const plain = await createTestRule(t, committee, villageId, { points: 5 });
    expect(plain).toMatchObject({ needsCouncil: false });
  });

  it('should refuse the committee approving or rejecting a council record alone with 409 INVALID_STATE', async () => {
    const id = await councilRecord();
    const approve = await post(`/api/v1/score-records/${id}/approve`, committee);
    expect(approve.status).toBe(409);
    expect(approve.body.error.code).toBe('INVALID_STATE');
    expect(approve.body.error.message).toContain('评议会');
    const reject = await post(`/api/v1/score-records/${id}/reject`, committee, { reason: '不行' });
    expect(reject.status).toBe(409);
    const many = await post('/api/v1/score-records/review', committee, {
      recordIds: [id],
      decision: 'APPROVE',
    });
    expect(many.status).toBe(409);
    expect(await status(id)).toBe('PENDING');
  });

  it('should approve on a yes majority of five votes, then publish it with the counts on the board', async () => {
    const id = await councilRecord();
    for (const [i, choice] of ['YES', 'YES', 'ABSTAIN', 'YES'].entries()) {
      const res = await vote(id, members[i], choice);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'PENDING' });
    }
    // The committee's review page shows how far the vote has got, with no approve button for it.
    const page = await (await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD)).get('/scoring/review');
    const card = page.text.slice(page.text.indexOf(`id="record-${id}"`));
    expect(card.slice(0, card.indexOf('</li>'))).toContain('等待评议会表决（4/5）');
    expect(card.slice(0, card.indexOf('</li>'))).not.toContain(`/scoring/review/${id}/approve`);

    const fifth = await vote(id, members[4], 'YES', '邻里都知道');
    expect(fifth.status).toBe(201);
    expect(fifth.body).toEqual({ recordId: id, status: 'APPROVED', yes: 4, no: 0, abstain: 1, quorum: 5 });
    expect(await status(id)).toBe('APPROVED');
    // Decided: a sixth member's vote comes too late.
    expect((await vote(id, members[5], 'NO')).status).toBe(409);

    const pub = await post('/api/v1/publications', committee, { villageId, days: 3 });
    expect(pub.status).toBe(201);
    expect(pub.body.recordIds).toContain(id);
    const board = await request(t.http).get(`/public/villages/${villageId}`);
    expect(board.text).toContain('评议会 5 票：赞成 4，反对 0，弃权 1');
    expect(board.text).not.toContain('评议员');
    const show = await (
      await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD)
    ).get(`/publications/${pub.body.id}`);
    expect(show.text).toContain('评议会 5 票：赞成 4，反对 0，弃权 1');

    const audit = await t.dataSource.query(
      `SELECT action, details FROM audit_log WHERE "entityType" = 'score_record' AND "entityId" = ${id} ORDER BY id`,
    );
    const actions = audit.map((a: { action: string }) => a.action);
    expect(actions.filter((a: string) => a === 'council.vote')).toHaveLength(5);
    expect(actions).toContain('score.approve');
    const decided = audit.find((a: { action: string }) => a.action === 'score.approve');
    expect(JSON.parse(decided.details)).toMatchObject({ byCouncil: true, yes: 4, no: 0, abstain: 1 });
  });

  it('should reject with 评议会未通过 when the no votes are a majority after the quorum', async () => {
    const id = await councilRecord();
    for (const [i, choice] of ['NO', 'YES', 'NO', 'NO'].entries())
      expect((await vote(id, members[i], choice)).body.status).toBe('PENDING');
    const last = await vote(id, members[4], 'ABSTAIN');
    expect(last.body).toMatchObject({ status: 'REJECTED', yes: 1, no: 3, abstain: 1 });
    const record = await request(t.http).get(`/api/v1/score-records/${id}`).set(auth(committee));
    expect(record.body).toMatchObject({ status: 'REJECTED', rejectReason: '评议会未通过' });
  });

  it('should keep a tie pending until a later vote breaks it', async () => {
    await request(t.http)
      .put(`/api/v1/villages/${villageId}/council`)
      .set(auth(committee))
      .send({ quorum: 4 })
      .expect(200);
    const id = await councilRecord();
    for (const [i, choice] of ['YES', 'NO', 'YES', 'NO'].entries())
      expect((await vote(id, members[i], choice)).body.status).toBe('PENDING');
    expect((await vote(id, members[4], 'YES')).body).toMatchObject({ status: 'APPROVED', yes: 3, no: 2 });
    await request(t.http)
      .put(`/api/v1/villages/${villageId}/council`)
      .set(auth(committee))
      .send({ quorum: 5 })
      .expect(200);
  });

  it('should answer 409 DUPLICATE to a second vote and keep one vote of two sent at once', async () => {
    const id = await councilRecord();
    expect((await vote(id, members[0], 'YES')).status).toBe(201);
    const again = await vote(id, members[0], 'NO');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DUPLICATE');

    const [a, b] = await Promise.all([vote(id, members[1], 'YES'), vote(id, members[1], 'YES')]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const rows = await t.dataSource.query(`SELECT "userId" FROM council_vote WHERE "recordId" = ${id}`);
    expect(rows).toHaveLength(2);
  });

  it('should not let the recorder or a member of the household concerned vote', async () => {
    const id = await councilRecord();
    // The recorder is a scorer: the role holds no vote (403).
    expect((await vote(id, scorer, 'YES')).status).toBe(403);
    // A council member living in the household (the account's household, as every village account states): 409.
    const own = await createTestUser(t, { role: 'COUNCIL', villageId, householdId: household.id });
    const mine = await vote(id, await own.token(), 'YES');
    expect(mine.status).toBe(409);
    expect(mine.body.error.code).toBe('SAME_PERSON');
    // A recorder who later joins the council still may not vote on what they recorded: 409 SAME_PERSON.
    const recorder = await createTestUser(t, { role: 'SCORER', villageId });
    const recorderToken = await recorder.token();
    const theirs = await post('/api/v1/score-records', recorderToken, {
      householdId: household.id,
      ruleId: councilRule.id,
      occurredOn: daysAgo(2),
      note: '又一次',
    });
    await request(t.http)
      .patch(`/api/v1/users/${recorder.id}`)
      .set(auth(await t.adminToken()))
      .send({ role: 'COUNCIL' })
      .expect(200);
    const self = await vote(theirs.body.id, await recorder.token(), 'YES');
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe('SAME_PERSON');
    const rows = await t.dataSource.query(
      `SELECT id FROM council_vote WHERE "recordId" IN (${id}, ${theirs.body.id})`,
    );
    expect(rows).toHaveLength(0);
  });

  it('should refuse a council member of a neighbouring village', async () => {
    const id = await councilRecord();
    const neighbour = await createTestUser(t, { role: 'COUNCIL', villageId: scene.neighbour.id });
    const res = await vote(id, await neighbour.token(), 'YES');
    // The record exists but lies in another village: 403 (the scope guard), and no vote is written.
    expect(res.status).toBe(403);
    expect(await t.dataSource.query(`SELECT id FROM council_vote WHERE "recordId" = ${id}`)).toHaveLength(0);
  });

  it('should list the waiting records on a member’s start page and take a vote from its form', async () => {
    const id = await councilRecord();
    const member = await createTestUser(t, { role: 'COUNCIL', villageId, displayName: '李乡贤' });
    const agent = await loggedIn(t, member.username, TEST_PASSWORD);
    const home = await agent.get('/');
    expect(home.text).toContain(`/council/score-records/${id}/vote`);
    expect(home.text).toContain('好媳妇');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)![1];
    const res = await agent
      .post(`/council/score-records/${id}/vote`)
      .type('form')
      .send({ _csrf: csrf, vote: 'ABSTAIN', [`comment${id}`]: '不了解情况' })
      .redirects(1);
    expect(res.text).toContain('已投票：弃权');
    expect(res.text).not.toContain(`/council/score-records/${id}/vote`);
    const row = await t.dataSource.query(
      `SELECT vote, comment FROM council_vote WHERE "recordId" = ${id} AND "userId" = ${member.id}`,
    );
    expect(row).toEqual([{ vote: 'ABSTAIN', comment: '不了解情况' }]);
  });

  it("should show each voter's name with the vote in 公示 only while the village chooses to", async () => {
    const admin = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    const review = await admin.get('/scoring/review');
    expect(review.text).toMatch(/<input id="f-showNames" type="checkbox" name="showNames"[^>]*>/);
    expect(review.text).not.toMatch(/id="f-showNames"[^>]* checked/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(review.text)![1];
    const bad = await admin
      .post('/scoring/council-quorum')
      .type('form')
      .send({ _csrf: csrf, quorum: '0', showNames: 'on' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/id="f-showNames"[^>]* checked/);
    const saved = await admin
      .post('/scoring/council-quorum')
      .type('form')
      .send({ _csrf: csrf, quorum: '3', showNames: 'on' })
      .redirects(1);
    expect(saved.text).toContain('评议会表决人数已设为 3 人，公示显示投票人姓名');
    expect(saved.text).toMatch(/id="f-showNames"[^>]* checked/);
    const audit = await t.dataSource.query(
      `SELECT details FROM audit_log WHERE action = 'council.show-names' AND "entityId" = ${villageId} ORDER BY id`,
    );
    expect(audit.map((a: { details: string }) => JSON.parse(a.details))).toEqual([{ from: false, to: true }]);
    const township = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
    const log = await township.get('/audit?action=council.show-names');
    expect(log.text).toContain('公示时显示评议会投票人的姓名和所投的票');

    const id = await councilRecord();
    for (const [i, choice] of ['YES', 'NO', 'YES'].entries()) await vote(id, members[i], choice);
    expect(await status(id)).toBe('APPROVED');
    const pub = await post('/api/v1/publications', committee, { villageId, days: 3 });
    expect(pub.body.recordIds).toContain(id);
    const named = '评议会 3 票：赞成 2，反对 1，弃权 0（赞成：评议员0、评议员2；反对：评议员1）';
    expect((await request(t.http).get(`/public/villages/${villageId}`)).text).toContain(named);
    expect((await admin.get(`/publications/${pub.body.id}`)).text).toContain(named);

    // Off again through the API: the counts stay, no name anywhere 公示 reaches.
    const off = await request(t.http)
      .put(`/api/v1/villages/${villageId}/council`)
      .set(auth(committee))
      .send({ quorum: 5, showNames: false });
    expect(off.body).toEqual({ villageId, quorum: 5, showNames: false });
    const board = await request(t.http).get(`/public/villages/${villageId}`);
    expect(board.text).toContain('评议会 3 票：赞成 2，反对 1，弃权 0');
    expect(board.text).not.toContain('评议员');
    const show = await admin.get(`/publications/${pub.body.id}`);
    expect(show.text).toContain('评议会 3 票：赞成 2，反对 1，弃权 0');
    expect(show.text).not.toContain('评议员');
    // Left as it is when not sent; a value that is not true or false is refused.
    const kept = await request(t.http)
      .put(`/api/v1/villages/${villageId}/council`)
      .set(auth(committee))
      .send({ quorum: 5 });
    expect(kept.body).toEqual({ villageId, quorum: 5, showNames: false });
    const wrong = await request(t.http)
      .put(`/api/v1/villages/${villageId}/council`)
      .set(auth(committee))
      .send({ quorum: 5, showNames: 'yes' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.showNames).toBe('是否公开投票人姓名应为 true 或 false');
  });
});

import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, createTestUser, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import {
  createScoringScene,
  createTestHousehold,
  createTestRule,
  daysAgo,
} from '../support/scoring-fixtures.js';

/**
 * Issue 20.1: a change to a village's rule list is drafted, adopted by the 村民代表会议, submitted, and filed by the
 * village's township; only then does it apply to new records. A returned revision changes nothing.
 */
describe('rule revisions (细则修订): adoption and filing', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;
  let township: string;
  let otherTownship: string;
  let household: { id: number };
  let rule: { id: number };

  const post = (path: string, token: string, body: object = {}) =>
    request(t.http).post(`/api/v1/rule-revisions${path}`).set(auth(token)).send(body);
  const votes = { meetingOn: daysAgo(2), present: 21, votesFor: 15, votesAgainst: 4, votesAbstain: 2 };
  const adoptBody = { ...votes, minutes: '村民代表会议讨论了细则修改，举手表决。' };
  const record = (ruleId: number) =>
    request(t.http)
      .post('/api/v1/score-records')
      .set(auth(committee))
      .send({ householdId: household.id, ruleId, occurredOn: daysAgo(1) });
  const auditRows = async (id: number) =>
    (
      await t.dataSource.query(
        `SELECT action FROM audit_log WHERE "entityType" = 'rule_revision' AND "entityId" = ${id} ORDER BY id`,
      )
    ).map((r: { action: string }) => r.action);
  const draft = async (changes: object[]) => {
    const res = await post('', committee, { villageId: scene.village.id, changes });
    expect(res.status).toBe(201);
    return res.body as { id: number; status: string };
  };

  beforeAll(async () => {
    t = await createTestApp();
    scene = await createScoringScene(t);
    committee = await scene.villageAdmin.token();
    township = await scene.townshipUser.token();
    otherTownship = await (
      await createTestUser(t, { role: 'TOWNSHIP', townshipId: scene.otherTownship.id })
    ).token();
    household = await createTestHousehold(t, committee, scene.village.id);
    rule = await createTestRule(t, committee, scene.village.id, { code: 'ZZ-01', points: 5 });
  });
  afterAll(() => t.close());

  it('should file a revision so that new records use the new rule versions, and old records keep theirs', async () => {
    const before = await record(rule.id);
    expect(before.body.points).toBe(5);
    const revision = await draft([
      { op: 'ADD', rule: { code: 'DZ-09', category: '德治', title: '赡养老人表现突出', points: 10 } },
      { op: 'CHANGE', ruleId: rule.id, rule: { points: 8 } },
    ]);
    expect(revision.status).toBe('DRAFT');

    // Nothing applies before filing: no new rule, the old points.
    const listed = async () =>
      (await request(t.http).get(`/api/v1/rules?villageId=${scene.village.id}`)).body.items as {
        code: string;
        points: number;
      }[];
    expect((await listed()).map((r) => r.code)).not.toContain('DZ-09');
    expect((await record(rule.id)).body.points).toBe(5);

    expect((await post(`/${revision.id}/submit`, committee)).status).toBe(409);
    const adopted = await post(`/${revision.id}/adopt`, committee, adoptBody);
    expect(adopted.status).toBe(200);
    expect(adopted.body).toEqual({ id: revision.id, status: 'ADOPTED' });
    expect((await listed()).map((r) => r.code)).not.toContain('DZ-09');

    expect((await post(`/${revision.id}/file`, township)).status).toBe(409);
    const submitted = await post(`/${revision.id}/submit`, committee);
    expect(submitted.body).toEqual({ id: revision.id, status: 'SUBMITTED' });
    expect((await record(rule.id)).body.points).toBe(5);

    // Another township may not file it; nor may the committee.
    expect((await post(`/${revision.id}/file`, otherTownship)).status).toBe(403);
    expect((await post(`/${revision.id}/file`, committee)).status).toBe(403);
    expect((await post(`/${revision.id}/file`, await scene.neighbourAdmin.token())).status).toBe(403);

    const filed = await post(`/${revision.id}/file`, township, { comment: '同意备案' });
    expect(filed.status).toBe(200);
    expect(filed.body).toEqual({ id: revision.id, status: 'FILED' });
    expect((await post(`/${revision.id}/return`, township, { comment: '再看看' })).status).toBe(409);

    const after = await listed();
    expect(after.find((r) => r.code === 'DZ-09')?.points).toBe(10);
    expect(after.find((r) => r.code === 'ZZ-01')?.points).toBe(8);
    const fresh = await record(rule.id);
    expect(fresh.body.points).toBe(8);
    expect(fresh.body.ruleVersionId).not.toBe(before.body.ruleVersionId);
    const kept = await request(t.http).get(`/api/v1/score-records/${before.body.id}`).set(auth(committee));
    expect(kept.body.points).toBe(5);

    expect(await auditRows(revision.id)).toEqual([
      'revision.draft',
      'revision.adopt',
      'revision.submit',
      'revision.file',
    ]);
    // The rules the filing changed carry it in their own audit rows.
    const applied = await t.dataSource.query(
      `SELECT action, details FROM audit_log WHERE action IN ('rule.create', 'rule.update') ORDER BY id DESC LIMIT 2`,
    );
    expect(applied.map((r: { details: string }) => JSON.parse(r.details).revisionId)).toEqual([
      revision.id,
      revision.id,
    ]);

    // The board says when the list was adopted and filed.
    const board = await request(t.http).get(`/public/villages/${scene.village.id}?section=rules`);
    expect(board.text).toContain(`经村民代表会议通过（${votes.meetingOn}），报乡镇备案（${daysAgo(0)}）`);
  });

  it('should refuse a vote whose votes for are not a majority of those present with 409, and bad numbers with 400', async () => {
    const revision = await draft([{ op: 'RETIRE', ruleId: rule.id }]);
    const tie = await post(`/${revision.id}/adopt`, committee, {
      ...adoptBody,
      present: 20,
      votesFor: 10,
      votesAgainst: 10,
      votesAbstain: 0,
    });
    expect(tie.status).toBe(409);
    expect(tie.body.error.code).toBe('INVALID_STATE');
    expect(tie.body.error.message).toBe('赞成票 10 票，未超过到会 20 人的半数，修订未获通过');

    const cases: [object, string, string][] = [
      [
        { votesFor: 15, votesAgainst: 5, votesAbstain: 2 },
        'votesFor',
        '赞成、反对、弃权票数之和（22）不能超过到会人数（21）',
      ],
      [{ present: 0 }, 'present', '到会人数应为 1–1000 的整数'],
      [{ votesAgainst: -1 }, 'votesAgainst', '人数应为 0–1000 的整数'],
      [{ votesAbstain: 1.5 }, 'votesAbstain', '人数应为 0–1000 的整数'],
      [{ meetingOn: '2026-02-30' }, 'meetingOn', '会议日期不存在，请检查'],
      [{ meetingOn: '2999-01-01' }, 'meetingOn', '会议日期不能晚于今天'],
      [{ meetingOn: '上周' }, 'meetingOn', '会议日期应为 YYYY-MM-DD，例如 2026-11-28'],
      [{ minutes: '  ' }, 'minutes', '请填写会议记录'],
    ];
    for (const [change, field, message] of cases) {
      const res = await post(`/${revision.id}/adopt`, committee, { ...adoptBody, ...change });
      expect({ change, status: res.status, message: res.body.error?.details?.[field] }).toEqual({
        change,
        status: 400,
        message,
      });
    }
    expect(await auditRows(revision.id)).toEqual(['revision.draft']);
  });

  it('should refuse bad drafts with a Chinese message naming the change', async () => {
    const cases: [object[], string, string][] = [
      [[{ op: 'ADD' }], 'changes.0.rule', '新增细则请填写编号、类别、内容和分值'],
      [
        [{ op: 'ADD', rule: { code: 'X-1', category: '德治', title: '好事', points: 0 } }],
        'changes.0.rule.points',
        '分值不能为 0',
      ],
      [
        [{ op: 'ADD', rule: { code: 'ZZ-01', category: '德治', title: '重号', points: 5 } }],
        'changes.0.rule.code',
        '细则编号 ZZ-01 已存在',
      ],
      [[{ op: 'CHANGE', ruleId: 999999, rule: { points: 3 } }], 'changes.0.ruleId', '请选择本村的一条细则'],
      [[{ op: 'CHANGE', ruleId: rule.id }], 'changes.0.rule', '请填写要修改的内容（分值、细则内容等）'],
      [
        [
          { op: 'RETIRE', ruleId: rule.id },
          { op: 'CHANGE', ruleId: rule.id, rule: { points: 3 } },
        ],
        'changes.1.ruleId',
        'ZZ-01 在这次修订中已有一条修改',
      ],
      [[{ op: 'DROP' }], 'changes.0.op', '修改方式应为 ADD（新增）、CHANGE（修改）或 RETIRE（停用）'],
      [[], 'changes', '请至少填写一条修改'],
    ];
    for (const [changes, field, message] of cases) {
      const res = await post('', committee, { villageId: scene.village.id, changes });
      expect({ changes, status: res.status, message: res.body.error?.details?.[field] }).toEqual({
        changes,
        status: 400,
        message,
      });
    }
    const neighbour = await post('', await scene.neighbourAdmin.token(), {
      villageId: scene.village.id,
      changes: [{ op: 'RETIRE', ruleId: rule.id }],
    });
    expect(neighbour.status).toBe(403);
  });

  it('should change nothing when the township returns a revision, and ask why', async () => {
    const revision = await draft([
      { op: 'RETIRE', ruleId: rule.id },
      { op: 'ADD', rule: { code: 'HJ-01', category: '人居环境', title: '庭院整洁', points: 3 } },
    ]);
    await post(`/${revision.id}/adopt`, committee, adoptBody);
    await post(`/${revision.id}/submit`, committee);
    const silent = await post(`/${revision.id}/return`, township, {});
    expect(silent.status).toBe(400);
    expect(silent.body.error.details.comment).toBe('退回时请写明原因');
    const returned = await post(`/${revision.id}/return`, township, { comment: '停用 ZZ-01 需说明理由' });
    expect(returned.body).toEqual({ id: revision.id, status: 'RETURNED' });
    expect((await post(`/${revision.id}/file`, township)).status).toBe(409);
    expect((await post(`/${revision.id}/submit`, committee)).status).toBe(409);

    const items = (await request(t.http).get(`/api/v1/rules?villageId=${scene.village.id}`)).body.items as {
      code: string;
    }[];
    expect(items.map((r) => r.code)).toContain('ZZ-01');
    expect(items.map((r) => r.code)).not.toContain('HJ-01');
    expect((await record(rule.id)).status).toBe(201);
    expect(await auditRows(revision.id)).toEqual([
      'revision.draft',
      'revision.adopt',
      'revision.submit',
      'revision.return',
    ]);
  });

  it("should let the village's staff and its township read its revisions with changes, adoption and filing", async () => {
    const revision = await draft([
      { op: 'ADD', rule: { code: 'WM-07', category: '德治', title: '移风易俗简办红白事', points: 6 } },
    ]);
    await post(`/${revision.id}/adopt`, committee, adoptBody);
    await post(`/${revision.id}/submit`, committee);
    await post(`/${revision.id}/file`, township, { comment: '材料齐全，同意备案' });
    const waiting = await draft([{ op: 'RETIRE', ruleId: rule.id }]);
    const get = (path: string, token: string) => request(t.http).get(`/api/v1${path}`).set(auth(token));

    const one = await get(`/rule-revisions/${revision.id}`, await scene.scorer.token());
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: revision.id,
      villageId: scene.village.id,
      villageName: scene.village.name,
      status: 'FILED',
      changes: [{ op: 'ADD', code: 'WM-07', title: '移风易俗简办红白事' }],
      ...votes,
      minutes: adoptBody.minutes,
      comment: '材料齐全，同意备案',
    });
    expect(one.body.submittedAt).toEqual(expect.any(String));
    expect(one.body.decidedAt).toEqual(expect.any(String));

    const list = await get(`/villages/${scene.village.id}/rule-revisions`, township);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(list.body.items.length);
    const statuses = new Map(
      (list.body.items as { id: number; status: string }[]).map((r) => [r.id, r.status]),
    );
    expect(statuses.get(revision.id)).toBe('FILED');
    expect(statuses.get(waiting.id)).toBe('DRAFT');
    expect(list.body.items[0].id).toBe(waiting.id);
    const draftShown = list.body.items[0];
    expect([draftShown.meetingOn, draftShown.present, draftShown.decidedAt]).toEqual([null, null, null]);
    expect(
      (await get(`/villages/${scene.village.id}/rule-revisions`, await scene.clerk.token())).status,
    ).toBe(200);

    // Another township, a neighbouring village's committee and nobody logged in may not read them.
    for (const token of [otherTownship, await scene.neighbourAdmin.token()]) {
      expect((await get(`/rule-revisions/${revision.id}`, token)).status).toBe(403);
      expect((await get(`/villages/${scene.village.id}/rule-revisions`, token)).status).toBe(403);
    }
    expect((await request(t.http).get(`/api/v1/rule-revisions/${revision.id}`)).status).toBe(401);
    const missing = await get('/rule-revisions/999999', township);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it('should walk the pages: the committee drafts and adopts, the township sees the count and files', async () => {
    const admin = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    const csrf = async (path: string) =>
      /name="_csrf" value="([^"]+)"/.exec((await admin.get(path)).text)![1];
    const bad = await admin
      .post('/rule-revisions')
      .type('form')
      .send({ _csrf: await csrf('/rule-revisions/new'), op: 'ADD', code: 'YF-01', category: '移风易俗' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('请填写细则内容');
    expect(bad.text).toContain('value="YF-01"');
    const made = await admin
      .post('/rule-revisions')
      .type('form')
      .send({
        _csrf: await csrf('/rule-revisions/new'),
        op: 'ADD',
        code: 'YF-01',
        category: '移风易俗',
        title: '婚事新办',
        points: '6',
      });
    expect(made.status).toBe(303);
    const path = String(made.headers.location);
    const failed = await admin
      .post(`${path}/adopt`)
      .type('form')
      .send({ _csrf: await csrf(path), ...adoptBody, votesFor: '5' });
    expect(failed.status).toBe(409);
    expect(failed.text).toContain('未超过到会 21 人的半数');
    const adopted = await admin
      .post(`${path}/adopt`)
      .type('form')
      .send({ _csrf: await csrf(path), ...adoptBody });
    expect(adopted.status).toBe(303);
    await admin
      .post(`${path}/submit`)
      .type('form')
      .send({ _csrf: await csrf(path) });
    expect((await admin.get(path)).text).toContain('已报乡镇，待备案');

    const reviewer = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
    const home = await reviewer.get('/');
    expect(home.text).toMatch(/待备案细则修订[\s\S]{0,200}1/);
    const list = await reviewer.get('/rule-revisions');
    expect(list.text).toContain('婚事新办');
    const token = /name="_csrf" value="([^"]+)"/.exec(list.text)![1];
    const filed = await reviewer.post(`${path}/file`).type('form').send({ _csrf: token });
    expect(filed.status).toBe(303);
    expect((await reviewer.get('/rule-revisions')).text).toContain('没有等待备案的细则修订');
    const items = (await request(t.http).get(`/api/v1/rules?villageId=${scene.village.id}`)).body.items as {
      code: string;
    }[];
    expect(items.map((r) => r.code)).toContain('YF-01');
  });
});

import { jest } from '@jest/globals';
import request from 'supertest';
import { PublicationsService } from '../../src/publications/publications.service.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, createTestUser, csrfFrom, TEST_PASSWORD } from '../support/factories.js';
import { invariantProblems } from '../support/invariants.js';
import { createTestHousehold, createTestRule, daysAgo } from '../support/scoring-fixtures.js';
import { newKey } from '../support/supermarket-fixtures.js';
import { createWorld } from '../support/world.js';

jest.setTimeout(120_000);

/**
 * 村务监督委员会 (issue 20 item 2): a village role that reads everything of its village, changes nothing, and raises
 * 监督意见 — one on a record in 公示 holds it from posting until the committee (村两委) answers.
 */
describe('the supervision committee', () => {
  let t: TestApp;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let supervisor: string;
  let committee: string;
  let scorer: string;
  let villageId: number;

  const api = (method: 'get' | 'post', url: string, token: string, body?: object) =>
    request(t.http)[method](url).set(auth(token)).send(body);

  /** A record approved and put on a board of its own whose window runs until today. */
  async function recordOnBoard(points = 10) {
    const rule = await createTestRule(t, committee, villageId, { points });
    const made = await api('post', '/api/v1/score-records', scorer, {
      householdId: world.household.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
    });
    expect(made.status).toBe(201);
    expect((await api('post', `/api/v1/score-records/${made.body.id}/approve`, committee, {})).status).toBe(
      200,
    );
    const pub = await api('post', '/api/v1/publications', committee, { villageId, days: 1 });
    expect(pub.status).toBe(201);
    return { recordId: made.body.id as number, publicationId: pub.body.id as number };
  }

  const recordStatus = async (id: number) =>
    (await api('get', `/api/v1/score-records/${id}`, committee)).body.status as string;
  /** How many entries the household's passbook has (a posting adds one). */
  const passbookEntries = async () =>
    (await api('get', `/api/v1/households/${world.household.id}/passbook`, supervisor)).body.entries
      .length as number;
  /** The audit rows of an action, their details read. */
  const auditRows = async (action: string) =>
    (
      (await api('get', `/api/v1/audit-logs?action=${action}`, await t.adminToken())).body.items as {
        entityId: number;
        villageId: number;
        details: string;
      }[]
    ).map((a) => ({ ...a, details: JSON.parse(a.details) as Record<string, unknown> }));

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    world = await createWorld(t);
    supervisor = world.tokens.SUPERVISOR;
    committee = world.tokens.VILLAGE_ADMIN;
    scorer = world.tokens.SCORER;
    villageId = world.ids.village;
  });
  afterAll(() => t.close());

  it('should let the supervisor read its village: records, 公示, passbooks, goods, redemptions, the audit log', async () => {
    const reads = [
      `/api/v1/score-records?villageId=${villageId}`,
      `/api/v1/score-records/${world.ids.record}`,
      `/api/v1/publications/${world.ids.publication}`,
      `/api/v1/households/${world.ids.household}/passbook`,
      `/api/v1/goods/${world.ids.goods}`,
      `/api/v1/goods/${world.ids.goods}/movements`,
      `/api/v1/redemptions/${world.ids.redemption}`,
      `/api/v1/villages/${villageId}/supervision-opinions`,
      '/api/v1/audit-logs',
    ];
    for (const url of reads) expect([url, (await api('get', url, supervisor)).status]).toEqual([url, 200]);
    const page = await (await world.agent('SUPERVISOR')).get('/supermarket/reports');
    expect(page.status).toBe(200);
    expect(page.text).toContain('超市报表');
    // Its own village's rows only, even when it asks for another village's.
    const log = await api('get', '/api/v1/audit-logs', supervisor);
    expect(log.body.items.length).toBeGreaterThan(0);
    expect(log.body.items.every((a: { villageId: number }) => a.villageId === villageId)).toBe(true);
    const other = await api('get', `/api/v1/audit-logs?villageId=${world.scene.neighbour.id}`, supervisor);
    expect(other.body.items).toEqual([]);
  });

  it('should refuse the supervisor every write but an opinion: record, approve, 公示, objection, redeem, stock in', async () => {
    const writes: [string, object][] = [
      [
        '/api/v1/score-records',
        { householdId: world.household.id, ruleId: world.ids.rule, occurredOn: daysAgo(1) },
      ],
      [`/api/v1/score-records/${world.ids.record}/approve`, {}],
      [`/api/v1/score-records/${world.ids.record}/reject`, { reason: '不对' }],
      ['/api/v1/publications', { villageId, days: 3 }],
      [`/api/v1/score-records/${world.ids.record}/objections`, { reason: '有疑问' }],
      [`/api/v1/objections/${world.ids.objection}/resolve`, { decision: 'DISMISS', reason: '无误' }],
      [`/api/v1/supervision-opinions/${world.ids.opinion}/answer`, { text: '自己答复自己' }],
      ['/api/v1/redemptions', { householdId: world.household.id, items: [], idempotencyKey: 'k-1' }],
      [`/api/v1/goods/${world.ids.goods}/stock-in`, { quantity: 5, source: 'PURCHASE' }],
      [`/api/v1/households`, { villageId, headName: '新户', memberCount: 2, pin: '135790' }],
    ];
    for (const [url, body] of writes)
      expect([url, (await api('post', url, supervisor, body)).status]).toEqual([url, 403]);
  });

  it("should keep the supervisor out of a neighbouring village's things", async () => {
    const neighbourAdmin = await world.scene.neighbourAdmin.token();
    const theirs = await createTestHousehold(t, neighbourAdmin, world.scene.neighbour.id);
    for (const url of [
      `/api/v1/households/${theirs.id}/passbook`,
      `/api/v1/villages/${world.scene.neighbour.id}/supervision-opinions`,
    ])
      expect([403, 404]).toContain((await api('get', url, supervisor)).status);
    const rule = await createTestRule(t, neighbourAdmin, world.scene.neighbour.id);
    const record = await api('post', '/api/v1/score-records', neighbourAdmin, {
      householdId: theirs.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
    });
    const raised = await api(
      'post',
      `/api/v1/score-records/${record.body.id}/supervision-opinions`,
      supervisor,
      {
        text: '看看',
      },
    );
    expect([403, 404]).toContain(raised.status);
  });

  it('should leave opening a supervisor account to the township: the committee it watches cannot', async () => {
    const refused = await api('post', '/api/v1/users', committee, {
      username: 'jiandu_by_committee',
      displayName: '监督员',
      password: TEST_PASSWORD,
      role: 'SUPERVISOR',
      villageId,
      noHousehold: true,
    });
    expect(refused.status).toBe(400);
    const opened = await createTestUser(
      t,
      { role: 'SUPERVISOR', villageId, username: 'jiandu_by_township' },
      await world.scene.townshipUser.token(),
    );
    expect(opened.role).toBe('SUPERVISOR');
  });

  it('should hold a record with an opinion past its window, and post it once the committee answers', async () => {
    const { recordId, publicationId } = await recordOnBoard(12);
    const raised = await api('post', `/api/v1/score-records/${recordId}/supervision-opinions`, supervisor, {
      text: '登记那天这户在外地，请核实',
    });
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({ status: 'OPEN', targetType: 'SCORE_RECORD', targetId: recordId });
    // A second open opinion on the same record waits for the first answer.
    const second = await api('post', `/api/v1/score-records/${recordId}/supervision-opinions`, supervisor, {
      text: '再提一次',
    });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('DUPLICATE');

    const before = await passbookEntries();
    // The window ends; the scheduler's tick closes the publication but does not post the held record.
    await t.dataSource.query(
      `UPDATE publication SET "startsOn" = '${daysAgo(2)}', "endsOn" = '${daysAgo(1)}' WHERE id = ${publicationId}`,
    );
    expect(await t.app.get(PublicationsService).closeEnded()).toContain(publicationId);
    expect(await recordStatus(recordId)).toBe('OBJECTED');
    expect(await passbookEntries()).toBe(before);
    expect(await invariantProblems(t.app)).toEqual([]);

    // Too late for a new opinion on a closed board.
    const late = await api('post', `/api/v1/score-records/${recordId}/supervision-opinions`, supervisor, {
      text: '又一条',
    });
    expect(late.status).toBe(409);

    const answered = await api('post', `/api/v1/supervision-opinions/${raised.body.id}/answer`, committee, {
      text: '已核实：组长有照片为证，照常入账',
    });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ status: 'ANSWERED', answer: '已核实：组长有照片为证，照常入账' });
    expect(await recordStatus(recordId)).toBe('POSTED');
    expect(await passbookEntries()).toBe(before + 1);
    // A second answer is refused.
    const again = await api('post', `/api/v1/supervision-opinions/${raised.body.id}/answer`, committee, {
      text: '再答一次',
    });
    expect(again.status).toBe(409);

    const raise = (await auditRows('supervision.raise')).find((a) => a.entityId === raised.body.id);
    const answer = (await auditRows('supervision.answer')).find((a) => a.entityId === raised.body.id);
    expect(raise).toMatchObject({ villageId, details: expect.objectContaining({ recordId }) });
    expect(answer).toMatchObject({ villageId, details: expect.objectContaining({ recordStatus: 'POSTED' }) });
    expect(await invariantProblems(t.app)).toEqual([]);
  });

  it('should keep a record answered within its window on the board, and post it at the close', async () => {
    const { recordId, publicationId } = await recordOnBoard(8);
    const raised = await api('post', `/api/v1/score-records/${recordId}/supervision-opinions`, supervisor, {
      text: '分值是否偏高？',
    });
    expect(raised.status).toBe(201);
    const board = async () => (await request(t.http).get(`/public/villages/${villageId}`)).text;
    expect(await board()).toContain('分值是否偏高？');
    expect((await board()).match(/监督委员会提出意见，待答复/g)).toHaveLength(2);
    expect(await board()).toContain('村两委尚未答复');

    await api('post', `/api/v1/supervision-opinions/${raised.body.id}/answer`, committee, {
      text: '按细则上限核定，无误',
    });
    expect(await recordStatus(recordId)).toBe('PUBLICIZING');
    const shown = await board();
    expect(shown).toContain('分值是否偏高？');
    expect(shown).toContain('村两委答复：按细则上限核定，无误');
    // Its row on the board no longer says it waits (the world's other record still does).
    const marks = (html: string) => (html.match(/监督委员会提出意见，待答复/g) ?? []).length;
    expect(marks(shown)).toBe(1);

    // The staff page shows both too.
    const page = await (await world.agent('VILLAGE_ADMIN')).get(`/publications/${publicationId}`);
    expect(page.text).toContain('分值是否偏高？');
    expect(page.text).toContain('按细则上限核定，无误');

    await t.dataSource.query(
      `UPDATE publication SET "startsOn" = '${daysAgo(2)}', "endsOn" = '${daysAgo(1)}' WHERE id = ${publicationId}`,
    );
    await t.app.get(PublicationsService).closeEnded();
    expect(await recordStatus(recordId)).toBe('POSTED');
  });

  it('should hold a record until both an objection and an opinion on it are settled', async () => {
    const { recordId, publicationId } = await recordOnBoard(6);
    const objection = await api('post', `/api/v1/score-records/${recordId}/objections`, committee, {
      reason: '核实一下',
    });
    const opinion = await api('post', `/api/v1/score-records/${recordId}/supervision-opinions`, supervisor, {
      text: '一并核实',
    });
    await api('post', `/api/v1/objections/${objection.body.id}/resolve`, committee, {
      decision: 'DISMISS',
      reason: '无误',
    });
    expect(await recordStatus(recordId)).toBe('OBJECTED');
    await t.dataSource.query(
      `UPDATE publication SET "startsOn" = '${daysAgo(2)}', "endsOn" = '${daysAgo(1)}' WHERE id = ${publicationId}`,
    );
    await t.app.get(PublicationsService).closeEnded();
    expect(await recordStatus(recordId)).toBe('OBJECTED');
    await api('post', `/api/v1/supervision-opinions/${opinion.body.id}/answer`, committee, { text: '无误' });
    expect(await recordStatus(recordId)).toBe('POSTED');
    expect(await invariantProblems(t.app)).toEqual([]);
  });

  it('should record and answer an opinion on a redemption and on a stock movement, holding nothing', async () => {
    const onRedemption = await api(
      'post',
      `/api/v1/redemptions/${world.ids.redemption}/supervision-opinions`,
      supervisor,
      {
        text: '这笔兑换的商品单价请公开',
      },
    );
    expect(onRedemption.status).toBe(201);
    expect(onRedemption.body).toMatchObject({ targetType: 'REDEMPTION', status: 'OPEN' });
    const onMovement = await api(
      'post',
      `/api/v1/stock-movements/${world.ids.movement}/supervision-opinions`,
      supervisor,
      { text: '入库单据请附上' },
    );
    expect(onMovement.status).toBe(201);
    const answered = await api(
      'post',
      `/api/v1/supervision-opinions/${onRedemption.body.id}/answer`,
      committee,
      {
        text: '单价见超市商品目录',
      },
    );
    expect(answered.body.status).toBe('ANSWERED');
    const redemption = await api('get', `/api/v1/redemptions/${world.ids.redemption}`, supervisor);
    expect(redemption.body.status).toBe('DONE');
    const open = await api(
      'get',
      `/api/v1/villages/${villageId}/supervision-opinions?status=OPEN`,
      supervisor,
    );
    expect(open.body.items.map((o: { id: number }) => o.id)).toContain(onMovement.body.id);
    expect(open.body.items.map((o: { id: number }) => o.id)).not.toContain(onRedemption.body.id);
    // Both on the board's supermarket section, the answered one with the committee's answer.
    const board = await request(t.http).get(`/public/villages/${villageId}?section=books`);
    expect(board.text).toContain('这笔兑换的商品单价请公开');
    expect(board.text).toContain('村两委答复：单价见超市商品目录');
    expect(board.text).toMatch(/入库单据请附上<br>等待村两委答复/);
  });

  /** A page form sent as a browser would: the page's CSRF token, then the fields. */
  async function sendForm(
    agent: Awaited<ReturnType<typeof world.agent>>,
    page: string,
    action: string,
    fields: Record<string, string>,
  ) {
    const shown = await agent.get(page);
    expect(shown.status).toBe(200);
    return agent
      .post(action)
      .type('form')
      .send({ _csrf: csrfFrom(shown.text), ...fields })
      .redirects(0);
  }

  it('should let the supervisor raise an opinion on a redemption page and the committee answer it there', async () => {
    const made = await api('post', '/api/v1/redemptions', world.tokens.CLERK, {
      householdId: world.household.id,
      items: [{ goodsId: world.ids.goods, quantity: 1 }],
      idempotencyKey: newKey(),
    });
    expect(made.status).toBe(201);
    const page = `/supermarket/redemptions/${made.body.id}`;
    const watcher = await world.agent('SUPERVISOR');
    const before = await watcher.get(page);
    expect(before.text).toContain('没有监督意见');
    expect(before.text).toContain(`action="${page}/supervision-opinions"`);
    // The clerk sees the receipt but no form to raise or answer.
    const clerkPage = await (await world.agent('CLERK')).get(page);
    expect(clerkPage.text).not.toContain('supervision-opinions');

    const empty = await sendForm(watcher, page, `${page}/supervision-opinions`, { opinionText: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toMatch(/id="f-opinionText"[^>]*aria-invalid="true"/);
    expect(empty.text).toContain('请写明监督意见');

    const raised = await sendForm(watcher, page, `${page}/supervision-opinions`, {
      opinionText: '这张单子换了两桶油，请核对库存',
    });
    expect([raised.status, raised.headers.location]).toEqual([303, page]);
    const shown = await watcher.get(page);
    expect(shown.text).toContain('村务监督委员会：这张单子换了两桶油，请核对库存');
    expect(shown.text).toContain('待答复');
    // One opinion at a time: the form is gone until the answer.
    expect(shown.text).not.toContain(`action="${page}/supervision-opinions"`);
    expect(shown.text).not.toContain('/answer"');

    const admin = await world.agent('VILLAGE_ADMIN');
    const [opinion] = (await api('get', `/api/v1/villages/${villageId}/supervision-opinions`, supervisor))
      .body.items as { id: number; targetType: string }[];
    expect(opinion.targetType).toBe('REDEMPTION');
    const answerAction = `/supermarket/supervision-opinions/${opinion.id}/answer`;
    const blank = await sendForm(admin, page, answerAction, { [`answer${opinion.id}`]: '' });
    expect(blank.status).toBe(400);
    expect(blank.text).toMatch(new RegExp(`id="a-${opinion.id}"[^>]*aria-invalid="true"`));
    expect(blank.text).toContain('请写明答复');
    const answered = await sendForm(admin, page, answerAction, {
      [`answer${opinion.id}`]: '已核对，只换了一桶，库存无误',
    });
    expect([answered.status, answered.headers.location]).toEqual([303, page]);
    const after = await watcher.get(page);
    expect(after.text).toContain('已答复。村两委答复：已核对，只换了一桶，库存无误');
    expect((await auditRows('supervision.answer')).map((a) => a.entityId)).toContain(opinion.id);
  });

  it("should let the supervisor raise an opinion on a stock movement's row of the goods page", async () => {
    const stocked = await api('post', `/api/v1/goods/${world.ids.goods}/stock-in`, committee, {
      quantity: 7,
      source: 'PURCHASE',
    });
    expect(stocked.status).toBe(200);
    const movements = (await api('get', `/api/v1/goods/${world.ids.goods}/movements`, supervisor)).body
      .items as { id: number; quantity: number }[];
    const movement = movements.find((m) => m.quantity === 7)!;
    const page = `/supermarket/goods/${world.ids.goods}`;
    const action = `/supermarket/stock-movements/${movement.id}/supervision-opinions`;
    const watcher = await world.agent('SUPERVISOR');
    expect((await watcher.get(page)).text).toContain(`action="${action}"`);

    const empty = await sendForm(watcher, page, action, { [`opinion${movement.id}`]: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toMatch(new RegExp(`id="o-${movement.id}"[^>]*aria-invalid="true"`));
    expect(empty.text).toMatch(
      new RegExp(`<details open>\\s*<summary>提出监督意见</summary>\\s*<form[^>]*action="${action}"`),
    );

    const raised = await sendForm(watcher, page, action, {
      [`opinion${movement.id}`]: '这 7 桶的进货单在哪',
    });
    expect([raised.status, raised.headers.location]).toEqual([303, page]);
    const shown = await (await world.agent('VILLAGE_ADMIN')).get(page);
    const row = new RegExp(`<tr id="m-${movement.id}">[\\s\\S]*?</tr>`).exec(shown.text)![0];
    expect(row).toContain('村务监督委员会：这 7 桶的进货单在哪');
    expect(row).toContain('/answer"');
    const opinionId = Number(/supervision-opinions\/(\d+)\/answer/.exec(row)![1]);
    const answered = await sendForm(
      await world.agent('VILLAGE_ADMIN'),
      page,
      `/supermarket/supervision-opinions/${opinionId}/answer`,
      {
        [`answer${opinionId}`]: '进货单已贴在超市墙上',
      },
    );
    expect([answered.status, answered.headers.location]).toEqual([303, page]);
    const after = await watcher.get(page);
    expect(after.text).toContain('村两委答复：进货单已贴在超市墙上');
    // The supervisor may not answer, on the page as in the API.
    const itself = await sendForm(watcher, page, `/supermarket/supervision-opinions/${opinionId}/answer`, {
      [`answer${opinionId}`]: '自己答复',
    });
    expect(itself.status).toBe(403);
  });

  it("should show the supervisor's start page: records on the board and its opinions waiting", async () => {
    const { recordId } = await recordOnBoard(5);
    await api('post', `/api/v1/score-records/${recordId}/supervision-opinions`, supervisor, {
      text: '首页能看到这条意见吗',
    });
    const home = await (await world.agent('SUPERVISOR')).get('/');
    expect(home.text).toContain('村务监督委员会');
    expect(home.text).toContain('公示中');
    expect(home.text).toContain('等待答复的监督意见');
    expect(home.text).toContain('首页能看到这条意见吗');
    // What it may read is in its navigation; what it may not do is not.
    expect(home.text).toContain('href="/publications"');
    expect(home.text).toContain('href="/supermarket/reports"');
    expect(home.text).toContain('href="/audit"');
    expect(home.text).not.toContain('href="/scoring/new"');
    expect(home.text).not.toContain('href="/supermarket/counter"');
    const committeeHome = await (await world.agent('VILLAGE_ADMIN')).get('/');
    expect(committeeHome.text).toMatch(/监督意见 <strong class="todo-count">\d+<\/strong> 待答复/);
  });
});

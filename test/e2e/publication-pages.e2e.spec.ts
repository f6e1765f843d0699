import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, csrfFrom, loggedIn, TEST_PASSWORD, villagerAgent } from '../support/factories.js';
import {
  createScoringScene,
  createTestHousehold,
  createTestRule,
  daysAgo,
} from '../support/scoring-fixtures.js';

describe('pages: 公示, the public board, the passbook, /villager', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;
  let villageId: number;

  const api = (path: string, token: string, body: object = {}) =>
    request(t.http).post(path).set(auth(token)).send(body);

  /** A record of `points` for the household, recorded by the scorer and approved by the committee. */
  async function approved(householdId: number, points: number, note = '打扫村道') {
    const rule = await createTestRule(t, committee, villageId, {
      points,
      title: points > 0 ? '参加志愿服务' : '乱倒垃圾',
    });
    const rec = await api('/api/v1/score-records', await scene.scorer.token(), {
      householdId,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
      note,
    });
    await api(`/api/v1/score-records/${rec.body.id}/approve`, committee);
    return { rule, recordId: rec.body.id as number };
  }

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    scene = await createScoringScene(t);
    committee = await scene.villageAdmin.token();
    villageId = scene.village.id;
  });
  afterAll(() => t.close());

  it('should open a publication from the page and show it on the public board with no login and no notes', async () => {
    const h = await createTestHousehold(t, committee, villageId, { headName: '公示户' });
    await approved(h.id, 15, '悄悄话不公开');
    const agent = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    const list = await agent.get('/publications');
    expect(list.text).toContain('条已审核、待公示的记录');
    const tooLong = await agent
      .post('/publications')
      .type('form')
      .send({ _csrf: csrfFrom(list.text), days: '30' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('公示天数最多 15 天');
    const opened = await agent
      .post('/publications')
      .type('form')
      .send({ _csrf: csrfFrom(list.text), days: '7' });
    expect(opened.status).toBe(303);
    const page = await agent.get(opened.headers.location);
    expect(page.text).toContain('公示户');
    expect(page.text).toContain('+15');
    const board = await request(t.http).get(`/public/villages/${villageId}`);
    expect(board.status).toBe(200);
    expect(board.text).toContain(`${scene.village.name}公示栏`);
    expect(board.text).toContain('公示户');
    expect(board.text).toContain('参加志愿服务');
    expect(board.text).not.toContain('悄悄话不公开');
    expect((await request(t.http).get('/public/villages/999999')).status).toBe(404);
  });

  it('should refuse to close a window that has not ended with the message on the page, and post once it has', async () => {
    const h = await createTestHousehold(t, committee, villageId, { headName: '入账户' });
    await approved(h.id, 20);
    const pub = await api('/api/v1/publications', committee, { villageId, days: 1 });
    const agent = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    const page = await agent.get(`/publications/${pub.body.id}`);
    const early = await agent
      .post(`/publications/${pub.body.id}/close`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(early.status).toBe(409);
    expect(early.text).toContain('结束后才能入账');
    await t.dataSource.query(
      `UPDATE publication SET "startsOn" = '${daysAgo(1)}', "endsOn" = '${daysAgo(1)}' WHERE id = ${pub.body.id}`,
    );
    const closed = await agent
      .post(`/publications/${pub.body.id}/close`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(closed.status).toBe(303);
    expect((await agent.get(closed.headers.location)).text).toContain('记入积分存折');
    const book = await agent.get(`/households/${h.id}/passbook`);
    expect(book.status).toBe(200);
    expect(book.text).toContain('入账户家的积分存折');
    expect(book.text).toContain('参加志愿服务');
    expect(book.text).toMatch(
      /<td data-label="积分" class="plus">\+20<\/td>\s*<td data-label="可用余额">20<\/td>/,
    );
    const filtered = await agent.get(`/households/${h.id}/passbook?kind=SCORE_CORRECTION`);
    expect(filtered.text).toContain('没有符合条件的记录');
    expect((await agent.get(`/households/${h.id}/passbook?from=abc`)).status).toBe(400);
  });

  it('should let a villager object from /villager and the committee settle it from the publication page', async () => {
    const mine = await createTestHousehold(t, committee, villageId, { headName: '异议户', pin: '8642' });
    const other = await createTestHousehold(t, committee, villageId, { headName: '被议户' });
    const a = await approved(other.id, 15);
    const b = await approved(other.id, -10);
    const c = await approved(other.id, 15);
    const pub = await api('/api/v1/publications', committee, { villageId, days: 3 });
    const villager = await villagerAgent(t, mine.code, '8642');
    const home = await villager.get('/villager');
    expect(home.text).toMatch(/正在公示（\d+ 条）/);
    expect(home.text).not.toContain('被议户');
    const board = await villager.get('/villager/publicity');
    expect(board.text).toContain('正在公示的积分');
    expect(board.text).toContain('被议户');
    const empty = await villager
      .post(`/villager/objections/${a.recordId}`)
      .type('form')
      .send({ _csrf: csrfFrom(home.text), reason: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('请写明异议理由');
    for (const r of [a, b, c]) {
      const res = await villager
        .post(`/villager/objections/${r.recordId}`)
        .type('form')
        .send({ _csrf: csrfFrom(home.text), reason: '那天他不在家' });
      expect(res.status).toBe(303);
    }
    const agent = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    const page = await agent.get(`/publications/${pub.body.id}`);
    expect(page.text).toContain('那天他不在家');
    const ids: { id: number; recordId: number }[] = await t.dataSource.query(
      `SELECT id, "recordId" FROM objection WHERE "recordId" IN (${a.recordId}, ${b.recordId}, ${c.recordId}) ORDER BY "recordId"`,
    );
    const resolve = (objectionId: number, body: Record<string, string>) =>
      agent
        .post(`/objections/${objectionId}/resolve`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), publicationId: String(pub.body.id), ...body });
    const noPoints = await resolve(ids[0].id, { decision: 'CORRECT', points: '' });
    expect(noPoints.status).toBe(400);
    expect(noPoints.text).toContain('采纳并改分时请填写新的分值');
    expect((await resolve(ids[0].id, { decision: 'CORRECT', points: '15' })).status).toBe(303);
    expect((await resolve(ids[1].id, { decision: 'REVOKE' })).status).toBe(303);
    const noReason = await resolve(ids[2].id, { decision: 'DISMISS', reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('驳回异议时请写明理由');
    expect(noReason.text).toMatch(new RegExp(`id="r-${ids[2].id}"[^>]*aria-invalid="true"`));
    expect((await resolve(ids[2].id, { decision: 'DISMISS', reason: '经核实登记无误' })).status).toBe(303);
    const statuses = await t.dataSource.query(
      `SELECT status FROM score_record WHERE id IN (${a.recordId}, ${b.recordId}, ${c.recordId}) ORDER BY id`,
    );
    expect(statuses.map((r: { status: string }) => r.status)).toEqual([
      'PUBLICIZING',
      'REVOKED',
      'PUBLICIZING',
    ]);
    expect((await resolve(ids[2].id, { decision: 'DISMISS', reason: '再驳一次' })).status).toBe(409);
    const publicBoard = await request(t.http).get(`/public/villages/${villageId}`);
    expect(publicBoard.text).toContain('经核实已撤销，不入账');
    const after = await villager.get('/villager/publicity');
    expect(after.text).not.toContain(`action="/villager/objections/${b.recordId}"`);
    expect(after.text).toContain(`action="/villager/objections/${c.recordId}"`);
    // The objector sees each decision and its reason on its own page, and was told of each.
    const mineNow = await villager.get('/villager');
    expect(mineNow.text).toContain('异议成立，分值更正为 15');
    expect(mineNow.text).toContain('异议成立，记录已撤销');
    expect(mineNow.text).toContain('异议不成立');
    expect(mineNow.text).toContain('处理理由：经核实登记无误');
    expect(mineNow.text).toContain('通知（3 条未读）');
    // The household whose records they were hears of the correction and the revocation.
    const told: { kind: string; text: string }[] = await t.dataSource.query(
      `SELECT kind, text FROM notice WHERE "householdId" = ${other.id} ORDER BY id`,
    );
    expect(told.map((n) => n.kind)).toEqual([
      'RECORD_PUBLICIZING',
      'RECORD_PUBLICIZING',
      'RECORD_PUBLICIZING',
      'RECORD_REVOKED',
    ]);
    expect(told[3].text).toContain('乱倒垃圾 -10 分经核实已撤销');
  });

  it('should show the villager the balances, this month’s rank and the passbook', async () => {
    const h = await createTestHousehold(t, committee, villageId, { headName: '看存折', pin: '7531' });
    await approved(h.id, 50);
    const pub = await api('/api/v1/publications', committee, { villageId, days: 0 });
    await api(`/api/v1/publications/${pub.body.id}/close`, committee);
    const villager = await villagerAgent(t, h.code, '7531');
    const home = await villager.get('/villager');
    expect(home.text).toContain('看存折家的积分');
    expect(home.text).toContain('本月（');
    const [points] = await t.dataSource.query(`SELECT available FROM household WHERE id = ${h.id}`);
    expect(points.available).toBe(50);
    const month = daysAgo(1).slice(0, 7) === daysAgo(0).slice(0, 7);
    if (month) expect(home.text).toContain('第 1 名');
    else expect(home.text).toContain('本月还没有得分');
    expect(home.text).toMatch(
      /<strong class="plus">\+50<\/strong> <span class="entry-balance">余额 50<\/span>/,
    );
    expect((await villager.get(`/households/${h.id}/passbook`)).status).toBe(403);
    const full = await villager.get('/villager/passbook');
    expect(full.status).toBe(200);
    expect(full.text).toContain('看存折家的积分存折');
    expect(full.text).toContain('+50');
    expect((await villager.get('/villager/passbook?kind=OPENING')).text).toContain('没有符合条件的记录');
  });

  it('should take a villager’s declaration when the village allows it, refuse a fake photo, and not when the committee turned it off', async () => {
    const h = await createTestHousehold(t, committee, villageId, { headName: '申报户', pin: '9517' });
    await createTestRule(t, committee, villageId, { points: 10, title: '帮扶孤寡老人' });
    const villager = await villagerAgent(t, h.code, '9517');
    const form = await villager.get('/villager/declare');
    expect(form.text).toContain('帮扶孤寡老人');
    expect(form.text).not.toContain('乱倒垃圾');
    const token = csrfFrom(form.text);
    const ruleId = /<option value="(\d+)"[^>]*>帮扶孤寡老人/.exec(form.text)![1];
    const fake = await villager
      .post(`/villager/declare?_csrf=${encodeURIComponent(token)}`)
      .field('ruleId', ruleId)
      .field('occurredOn', daysAgo(1))
      .field('note', '给五保户送米')
      .attach('photo', Buffer.from('not an image at all'), 'photo.jpg');
    expect(fake.status).toBe(400);
    expect(fake.text).toContain('照片只能是 JPEG 或 PNG 图片');
    expect(fake.text).toContain('给五保户送米');
    const ok = await villager
      .post(`/villager/declare?_csrf=${encodeURIComponent(token)}`)
      .field('ruleId', ruleId)
      .field('occurredOn', daysAgo(1))
      .field('note', '给五保户送米');
    expect(ok.status).toBe(303);
    const [rec] = await t.dataSource.query(
      `SELECT status, "declaredBy" FROM score_record WHERE "householdId" = ${h.id}`,
    );
    expect(rec).toEqual({ status: 'PENDING', declaredBy: h.id });

    const admin = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    const village = await admin.get(`/admin/villages/${villageId}`);
    const off = await admin
      .post(`/admin/villages/${villageId}/settings`)
      .type('form')
      .send({ _csrf: csrfFrom(village.text), declarationsEnabled: 'false' });
    expect(off.status).toBe(303);
    expect((await villager.get('/villager/declare')).text).toContain('本村暂未开放村民申报');
    const refused = await villager
      .post(`/villager/declare?_csrf=${encodeURIComponent(token)}`)
      .field('ruleId', ruleId)
      .field('occurredOn', daysAgo(1))
      .field('note', '又一件');
    expect(refused.status).toBe(409);
    const audit = await t.dataSource.query(`SELECT details FROM audit_log WHERE action = 'village.settings'`);
    expect(JSON.parse(audit[0].details)).toEqual({ declarationsEnabled: false });
    await admin
      .post(`/admin/villages/${villageId}/settings`)
      .type('form')
      .send({ _csrf: csrfFrom(village.text), declarationsEnabled: 'true' });
  });

  it('should say on the verify page that all is well, and list an entry changed behind the app’s back', async () => {
    const h = await createTestHousehold(t, committee, villageId, { headName: '核对户' });
    await approved(h.id, 5);
    const pub = await api('/api/v1/publications', committee, { villageId, days: 0 });
    await api(`/api/v1/publications/${pub.body.id}/close`, committee);
    const agent = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
    const clean = await agent.get('/ledger/verify');
    expect(clean.status).toBe(200);
    expect(clean.text).toContain('账本无误');
    const [entry] = await t.dataSource.query(`SELECT id FROM ledger_entry WHERE "householdId" = ${h.id}`);
    await t.dataSource.query(`UPDATE ledger_entry SET amount = amount + 5 WHERE id = ${entry.id}`);
    const tampered = await agent.get(`/ledger/verify?villageId=${villageId}`);
    expect(tampered.text).toContain('记录链被破坏');
    expect(tampered.text).toContain(`<td>${entry.id}</td>`);
    await t.dataSource.query(`UPDATE ledger_entry SET amount = amount - 5 WHERE id = ${entry.id}`);
    expect(
      (await (await loggedIn(t, scene.scorer.username, TEST_PASSWORD)).get('/ledger/verify')).status,
    ).toBe(403);
  });
});

import request from 'supertest';
import { createTestApp, TEST_ADMIN, type TestApp } from '../support/create-test-app.js';
import { auth, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { postDeeds } from '../support/ranking-fixtures.js';
import {
  createScoringScene,
  createTestHousehold,
  createTestRule,
  daysAgo,
} from '../support/scoring-fixtures.js';
import { createTestGoods } from '../support/supermarket-fixtures.js';

/** The to-do on a start page as a person reads it: each line's title (`待审核 1`) and where it leads. */
function todoOf(html: string): { title: string; href: string; hint: string }[] {
  const decode = (s: string) => s.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
  const text = (s: string) =>
    decode(
      s
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  return [
    ...html.matchAll(
      /<a class="todo-item[^"]*" href="([^"]+)">\s*<span class="todo-title">([\s\S]*?)<\/span>\s*<span class="todo-hint">([\s\S]*?)<\/span>/g,
    ),
  ].map((m) => ({ href: decode(m[1]), title: text(m[2]), hint: text(m[3]) }));
}

/** The start page's text without tags, to read the recorder's own list. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('the start page: each role’s to-do, with counts that link to the work', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let rejectedHousehold: number;
  /** The last ended month, YYYY-MM. */
  const lastMonth = daysAgo(Number(daysAgo(0).slice(8, 10))).slice(0, 7);

  const post = (path: string, token: string, body: object = {}) =>
    request(t.http).post(path).set(auth(token)).send(body);
  const startPage = async (username: string, password = TEST_PASSWORD) =>
    (await (await loggedIn(t, username, password)).get('/').expect(200)).text;

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    scene = await createScoringScene(t);
    const committee = await scene.villageAdmin.token();
    const scorer = await scene.scorer.token();
    const villageId = scene.village.id;
    const [h1, h2, h3] = await Promise.all(
      ['甲户', '乙户', '丙户'].map((headName) => createTestHousehold(t, committee, villageId, { headName })),
    );
    rejectedHousehold = h2.id;
    // Last month's points, posted through the real path (recorded by the scorer this month).
    await postDeeds(t, scene, [{ householdId: h1.id, points: 10, occurredOn: `${lastMonth}-15` }]);
    const snapshot = await post(`/api/v1/villages/${villageId}/ranking-snapshots`, committee, {
      period: lastMonth,
    }).expect(201);
    const township = await scene.townshipUser.token();
    expect(todoOf(await startPage(scene.townshipUser.username))).toContainEqual(
      expect.objectContaining({ title: '待审核排名 1', href: '/township/reviews' }),
    );
    await post(`/api/v1/ranking-snapshots/${snapshot.body.id}/return`, township, {
      comment: '请核实',
    }).expect(200);

    const rule = await createTestRule(t, committee, villageId, { points: 15, title: '打扫村道' });
    const record = async (householdId: number) =>
      (
        await post('/api/v1/score-records', scorer, {
          householdId,
          ruleId: rule.id,
          occurredOn: daysAgo(0),
        }).expect(201)
      ).body.id as number;
    await record(h1.id);
    const toReject = await record(h2.id);
    const toObject = await record(h3.id);
    await post(`/api/v1/score-records/${toReject}/reject`, committee, {
      reason: '照片看不清，请补拍',
    }).expect(200);
    await post(`/api/v1/score-records/${toObject}/approve`, committee).expect(200);
    await post('/api/v1/publications', committee, { villageId, days: 1 }).expect(201);
    await post(`/api/v1/score-records/${toObject}/objections`, committee, { reason: '不是他家扫的' }).expect(
      201,
    );
    // The window ended yesterday; the open objection keeps it from being posted.
    await t.dataSource.query(
      `UPDATE publication SET "endsOn" = '${daysAgo(1)}' WHERE "villageId" = ${villageId}`,
    );

    await createTestGoods(t, committee, villageId, { name: '洗衣粉', stock: 2, lowStockThreshold: 5 });
    await createTestGoods(t, committee, villageId, { name: '香皂', stock: 50, lowStockThreshold: 5 });
  });
  afterAll(() => t.close());

  it('should show the committee 待审核, 异议, 期满待入账, the returned ranking and low stock, each linking to the work', async () => {
    const todo = todoOf(await startPage(scene.villageAdmin.username));
    expect(todo.map(({ title, href }) => [title, href])).toEqual([
      ['待审核 1', '/scoring/review'],
      ['异议 1 待处理', '/publications'],
      ['期满待入账 1', '/publications'],
      ['乡镇退回的排名 1', '/rankings'],
      ['库存不足 1', '/supermarket/goods'],
    ]);
    expect(todo[3].hint).toContain(lastMonth);
    expect(todo[4].hint).toBe('洗衣粉');
  });

  it('should count only the committee’s own village', async () => {
    const todo = todoOf(await startPage(scene.neighbourAdmin.username));
    expect(todo.map((i) => i.title)).toEqual([
      '待审核 0',
      '异议 0 待处理',
      '期满待入账 0',
      '乡镇退回的排名 0',
      '库存不足 0',
    ]);
  });

  it('should show the scorer this month’s records by status and the rejected one with its reason, to record again', async () => {
    const html = await startPage(scene.scorer.username);
    expect(todoOf(html)).toEqual([]);
    const text = textOf(html);
    expect(text).toContain('我登记的（4 条）');
    expect(text).toContain('待审核 1 已通过 1 已入账 1 被退回 1');
    expect(text).toContain('退回原因：照片看不清，请补拍');
    expect(text).toMatch(/乙户 · 打扫村道 \+15/);
    expect(html).toContain(`href="/scoring/new?householdId&#x3D;${rejectedHousehold}">重新登记</a>`);
  });

  it('should show the clerk the counter first, then low stock', async () => {
    const todo = todoOf(await startPage(scene.clerk.username));
    expect(todo.map(({ title, href }) => [title, href])).toEqual([
      ['兑换柜台', '/supermarket/counter'],
      ['库存不足 1', '/supermarket/goods'],
    ]);
  });

  it('should show the township the rankings waiting for review and last month’s signals, as the dashboard counts them', async () => {
    const township = await scene.townshipUser.token();
    const signals = await request(t.http)
      .get(`/api/v1/townships/${scene.township.id}/fairness?period=${lastMonth}`)
      .set(auth(township))
      .expect(200);
    const todo = todoOf(await startPage(scene.townshipUser.username));
    expect(todo.map(({ title, href }) => [title, href])).toEqual([
      ['待审核排名 0', '/township/reviews'],
      ['待备案细则修订 0', '/rule-revisions'],
      ['待备案评选结果 0', '/honours'],
      ['待备案信用户评定 0', '/credit-grades'],
      [`值得关注 ${signals.body.items.length} 条`, `/township?period=${lastMonth}`],
    ]);
  });

  it('should show the admin no to-do, only the tiles', async () => {
    const html = await startPage(TEST_ADMIN.username, TEST_ADMIN.password);
    expect(todoOf(html)).toEqual([]);
    expect(html).not.toContain('待办');
    expect(html).toContain('常用功能');
  });
});

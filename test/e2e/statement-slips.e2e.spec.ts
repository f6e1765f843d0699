import request from 'supertest';
import { todayInChina } from '../../src/common/dates.js';
import { NoticesService } from '../../src/notices/notices.service.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, csrfFrom, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { createScoringScene, createTestHousehold } from '../support/scoring-fixtures.js';
import { postDeeds } from '../support/ranking-fixtures.js';
import { createTestGoods, newKey } from '../support/supermarket-fixtures.js';

/**
 * 积分对账单: a village's monthly slips, one per household, for households without a phone. The figures must be the
 * passbook's own; a household with no points this month shows no rank; the group filter narrows the slips.
 */
describe('monthly statement slips', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let rich: { id: number; code: string };
  let idle: { id: number; code: string };
  let elsewhere: { id: number; code: string };
  let committee: ReturnType<typeof loggedIn> extends Promise<infer A> ? A : never;
  const month = todayInChina().slice(0, 7);
  const path = () => `/villages/${scene.village.id}/slips`;

  /** The slip of one household, cut out of the page. */
  const slipOf = (html: string, householdId: number) => {
    const start = html.indexOf(`data-household="${householdId}"`);
    if (start < 0) return null;
    const end = html.indexOf('</section>', start);
    return html.slice(start, end);
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    scene = await createScoringScene(t);
    const token = await scene.villageAdmin.token();
    const [first, second] = scene.village.groups;
    rich = await createTestHousehold(t, token, scene.village.id, { headName: '周富贵', groupId: first.id });
    idle = await createTestHousehold(t, token, scene.village.id, { headName: '吴清闲', groupId: first.id });
    elsewhere = await createTestHousehold(t, token, scene.village.id, {
      headName: '郑二组',
      groupId: second.id,
    });
    await postDeeds(t, scene, [
      { householdId: rich.id, points: 200, occurredOn: todayInChina() },
      { householdId: elsewhere.id, points: 50, occurredOn: todayInChina() },
    ]);
    // Ten redemptions: with the opening, eleven lines this month, more than a slip holds.
    const goods = await createTestGoods(t, token, scene.village.id, { pricePoints: 3, stock: 100 });
    const clerk = await scene.clerk.token();
    for (let i = 0; i < 10; i++) {
      const res = await request(t.http)
        .post('/api/v1/redemptions')
        .set(auth(clerk))
        .send({
          idempotencyKey: newKey(),
          householdId: rich.id,
          items: [{ goodsId: goods.id, quantity: 1 }],
        });
      expect(res.status).toBe(201);
    }
    await t.dataSource.transaction((manager) =>
      t.app.get(NoticesService).add(
        manager,
        ['一', '二', '三', '四', '五'].map((n) => ({
          villageId: scene.village.id,
          householdId: idle.id,
          kind: 'RECORD_POSTED' as const,
          text: `第${n}条通知：您家的积分已入账`,
          eventKey: `slip-test-${idle.id}-${n}`,
        })),
      ),
    );
    committee = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
  });
  afterAll(() => t.close());

  it('should show the passbook’s own balances and the month’s newest lines on the household’s slip', async () => {
    const book = await request(t.http)
      .get(`/api/v1/households/${rich.id}/passbook`)
      .set(auth(await scene.villageAdmin.token()));
    expect(book.status).toBe(200);
    const res = await committee.get(`${path()}?month=${month}`);
    expect(res.status).toBe(200);
    const slip = slipOf(res.text, rich.id) as string;
    expect(slip).toContain(rich.code);
    expect(slip).toContain('户主 周富贵');
    expect(slip).toContain(`<strong class="slip-available">${book.body.household.available}</strong>`);
    expect(slip).toContain(`<strong class="slip-earned">${book.body.household.earned}</strong>`);
    expect(book.body.household.available).toBe(170);
    expect(book.body.household.earned).toBe(200);
    // Eleven lines this month: the newest eight, oldest of them first, and the rest counted.
    const rows = [
      ...slip.matchAll(
        /<tr><td>(\d{4}-\d{2}-\d{2})<\/td><td>[^<]*<\/td><td[^>]*>([^<]+)<\/td><td>(-?\d+)<\/td><\/tr>/g,
      ),
    ];
    expect(rows).toHaveLength(8);
    const newest = (book.body.entries as { amount: number; balanceAfter: number }[]).slice(0, 8).reverse();
    expect(rows.map((r) => Number(r[3]))).toEqual(newest.map((e) => e.balanceAfter));
    expect(rows.at(-1)?.[3]).toBe('170');
    expect(slip).toContain('另有 3 条，见存折');
    expect(slip).toContain('本月得分 +200，全村第 1 名');
    expect(slipOf(res.text, elsewhere.id)).toContain('本月得分 +50，全村第 2 名');
  });

  it('should show no rank for a household without points this month, and its unread notices', async () => {
    const res = await committee.get(path());
    expect(res.status).toBe(200);
    const slip = slipOf(res.text, idle.id) as string;
    expect(slip).toContain('本月还没有得分');
    expect(slip).not.toMatch(/第 \d+ 名/);
    expect(slip).toContain('本月存折没有变动');
    // The newest three unread notices, newest first; the older two are counted.
    expect(slip).toContain('第五条通知');
    expect(slip.indexOf('第五条通知')).toBeLessThan(slip.indexOf('第三条通知'));
    expect(slip).toContain('第四条通知');
    expect(slip).not.toContain('第二条通知');
    expect(slip).not.toContain('第一条通知');
    expect(slip).toContain('另有 2 条通知');
  });

  it('should mark the notices on handed-out slips delivered on paper (PRINT), once', async () => {
    const [first, second] = scene.village.groups;
    const printRows = async (householdId: number) =>
      (await t.dataSource.query(
        `SELECT d.status FROM notice_delivery d JOIN notice n ON n.id = d."noticeId"
          WHERE n."householdId" = ${householdId} AND d.channel = 'PRINT' ORDER BY d.id`,
      )) as { status: string }[];
    expect((await printRows(idle.id)).map((r) => r.status)).toEqual(Array(5).fill('PENDING'));
    const page = await committee.get(`${path()}?groupId=${second.id}`);
    const handOut = (groupId: number) =>
      committee
        .post(`${path()}/handed-out`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), month, groupId: String(groupId) });
    // Another group's slips leave this household's notices waiting.
    expect((await handOut(second.id)).status).toBe(303);
    expect((await printRows(idle.id)).map((r) => r.status)).toEqual(Array(5).fill('PENDING'));
    const done = await handOut(first.id);
    expect(done.status).toBe(303);
    expect((await printRows(idle.id)).map((r) => r.status)).toEqual(Array(5).fill('SENT'));
    const again = await handOut(first.id);
    expect(again.status).toBe(303);
    const audits: { details: string }[] = await t.dataSource.query(
      `SELECT details FROM audit_log WHERE action = 'notice.printed' ORDER BY id`,
    );
    const counts = audits.map((a) => JSON.parse(a.details).notices as number);
    expect(counts).toHaveLength(3);
    expect(counts[1]).toBeGreaterThanOrEqual(5);
    expect(counts[2]).toBe(0);
    const bad = await committee
      .post(`${path()}/handed-out`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), month: '2026-13' });
    expect(bad.status).toBe(400);
  });

  it('should narrow the slips to one group', async () => {
    const [first, second] = scene.village.groups;
    const one = await committee.get(`${path()}?groupId=${first.id}`);
    expect(one.status).toBe(200);
    expect(slipOf(one.text, rich.id)).not.toBeNull();
    expect(slipOf(one.text, idle.id)).not.toBeNull();
    expect(slipOf(one.text, elsewhere.id)).toBeNull();
    const two = await committee.get(`${path()}?groupId=${second.id}`);
    expect(slipOf(two.text, elsewhere.id)).not.toBeNull();
    expect(slipOf(two.text, rich.id)).toBeNull();
    const neighbourGroup = scene.neighbour.groups[0].id;
    expect((await committee.get(`${path()}?groupId=${neighbourGroup}`)).status).toBe(404);
  });

  it('should refuse a month that is not one with a 400 page in Chinese', async () => {
    for (const bad of ['2026-13', 'abc', '2026-1', '2026-00']) {
      const res = await committee.get(`${path()}?month=${bad}`);
      expect([bad, res.status]).toEqual([bad, 400]);
      expect(res.text).toContain('月份应写成 2026-11');
    }
    expect((await committee.get(`${path()}?groupId=abc`)).status).toBe(400);
  });

  it('should let the scorer, the clerk and the township print, and refuse a neighbouring committee', async () => {
    for (const user of [scene.scorer, scene.clerk, scene.townshipUser]) {
      const agent = await loggedIn(t, user.username, TEST_PASSWORD);
      expect((await agent.get(path())).status).toBe(200);
    }
    const neighbour = await loggedIn(t, scene.neighbourAdmin.username, TEST_PASSWORD);
    expect((await neighbour.get(path())).status).toBe(403);
    expect((await neighbour.get(`/villages/${scene.neighbour.id}/slips`)).status).toBe(200);
  });

  it('should be linked from the village’s household list', async () => {
    const list = await committee.get(`/households?villageId=${scene.village.id}`);
    expect(list.text).toContain(`href="/villages/${scene.village.id}/slips"`);
  });
});

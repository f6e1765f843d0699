import { jest } from '@jest/globals';
import request from 'supertest';
import { Clock } from '../../src/common/clock.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, createTestUser, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { createScoringScene } from '../support/scoring-fixtures.js';
import { createHouseholdWithPoints, createTestGoods, newKey } from '../support/supermarket-fixtures.js';

jest.setTimeout(180_000);

/** 超市月度账目公开 (issue 20 item 4): October 2026 of a village, with movements before, in and after it. */
describe('the supermarket monthly statement', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;
  let clerk: string;
  let supervisor: string;
  let villager: string;
  let redeemedInOctober: number;
  const at = (moment: string) => t.app.get(Clock).stopAt(new Date(`${moment}+08:00`));
  const statement = (villageId: number, month: string, token?: string) => {
    const req = request(t.http).get(`/api/v1/villages/${villageId}/supermarket-statements?month=${month}`);
    return token ? req.set(auth(token)) : req;
  };

  beforeAll(async () => {
    t = await createTestApp();
    scene = await createScoringScene(t);
    const villageId = scene.village.id;
    committee = await scene.villageAdmin.token();
    clerk = await scene.clerk.token();
    supervisor = await (await createTestUser(t, { role: 'SUPERVISOR', villageId })).token();
    const household = await createHouseholdWithPoints(t, committee, villageId, 500);
    villager = (
      await request(t.http)
        .post('/api/v1/auth/villager-login')
        .send({ householdCode: household.code, pin: '135790' })
    ).body.token as string;
    const redeem = async (items: { goodsId: number; quantity: number }[]) => {
      const res = await request(t.http)
        .post('/api/v1/redemptions')
        .set(auth(clerk))
        .send({ householdId: household.id, items, idempotencyKey: newKey() });
      expect(res.status).toBe(201);
      return res.body as { id: number; totalPoints: number };
    };
    const stockIn = async (goodsId: number, body: object) =>
      expect(
        (await request(t.http).post(`/api/v1/goods/${goodsId}/stock-in`).set(auth(clerk)).send(body)).status,
      ).toBe(200);

    at('2026-09-15T10:00:00');
    const rice = await createTestGoods(t, clerk, villageId, {
      name: '大米',
      unit: '袋',
      pricePoints: 30,
      stock: 20,
    });
    await redeem([{ goodsId: rice.id, quantity: 1 }]);

    at('2026-10-08T10:00:00');
    await stockIn(rice.id, { quantity: 10, source: 'PURCHASE' });
    const oil = await createTestGoods(t, clerk, villageId, {
      name: '食用油',
      unit: '桶',
      pricePoints: 50,
      stock: 5,
    });
    await stockIn(oil.id, { quantity: 6, source: 'DONATION', donor: '县供销社' });
    const kept = await redeem([
      { goodsId: rice.id, quantity: 2 },
      { goodsId: oil.id, quantity: 1 },
    ]);
    const cancelled = await redeem([{ goodsId: rice.id, quantity: 1 }]);
    at('2026-10-09T10:00:00');
    expect(
      (await request(t.http).post(`/api/v1/redemptions/${cancelled.id}/cancel`).set(auth(clerk)).send({}))
        .status,
    ).toBe(200);
    at('2026-10-20T10:00:00');
    expect(
      (
        await request(t.http)
          .post(`/api/v1/goods/${rice.id}/stock-take`)
          .set(auth(clerk))
          .send({ counted: 24, reason: '受潮损坏' })
      ).status,
    ).toBe(200);
    redeemedInOctober = kept.totalPoints;

    at('2026-11-02T10:00:00');
    await redeem([{ goodsId: rice.id, quantity: 1 }]);
    await stockIn(oil.id, { quantity: 3, source: 'DONATION', donor: '县供销社' });
    at('2026-11-03T10:00:00');
  });
  afterAll(async () => {
    t.app.get(Clock).stopAt(null);
    await t.close();
  });

  it("should give the figures the month's stock movements and redemptions add up to", async () => {
    const res = await statement(scene.village.id, '2026-10', committee);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ villageId: scene.village.id, month: '2026-10', status: 'PREPARED' });
    const f = res.body.figures;
    expect([f.from, f.to]).toEqual(['2026-10-01', '2026-10-31']);

    // Computed here from the movements themselves, not through the reports.
    const moves: {
      goodsId: number;
      kind: string;
      quantity: number;
      occurredOn: string;
      id: number;
      stockAfter: number;
    }[] = await t.dataSource.query(
      `SELECT id, "goodsId", kind, quantity, "occurredOn", "stockAfter" FROM stock_movement WHERE "villageId" = ${scene.village.id} ORDER BY id`,
    );
    const inOct = (m: { occurredOn: string }) => m.occurredOn >= '2026-10-01' && m.occurredOn <= '2026-10-31';
    const sum = (rows: typeof moves) => rows.reduce((s, m) => s + Number(m.quantity), 0);
    expect((f.goods as { name: string }[]).map((g) => g.name).sort()).toEqual(['大米', '食用油'].sort());
    for (const g of f.goods as Record<string, number>[]) {
      const own = moves.filter((m) => Number(m.goodsId) === g.goodsId);
      const of = (kind: string) => sum(own.filter((m) => inOct(m) && m.kind === kind));
      const lastByEnd = own.filter((m) => m.occurredOn <= '2026-10-31').at(-1);
      expect(g).toMatchObject({
        opening: sum(own.filter((m) => m.occurredOn < '2026-10-01')),
        purchased: of('PURCHASE'),
        donated: of('DONATION'),
        initial: of('INITIAL'),
        stockIn: of('PURCHASE') + of('DONATION') + of('INITIAL'),
        out: -of('REDEMPTION'),
        returned: of('CANCEL'),
        adjusted: of('ADJUSTMENT'),
        closing: sum(own.filter((m) => m.occurredOn <= '2026-10-31')),
      });
      expect(g.closing).toBe(Number(lastByEnd?.stockAfter ?? 0));
    }
    const bySource = Object.fromEntries(
      (f.stockIn.bySource as { source: string; quantity: number }[]).map((r) => [r.source, r.quantity]),
    );
    const octIn = (kind: string) => sum(moves.filter((m) => inOct(m) && m.kind === kind));
    expect(bySource).toEqual({
      PURCHASE: octIn('PURCHASE'),
      DONATION: octIn('DONATION'),
      INITIAL: octIn('INITIAL'),
    });
    expect(bySource).toEqual({ PURCHASE: 10, DONATION: 6, INITIAL: 5 });
    expect(f.stockIn.byDonor).toEqual([
      { donor: '县供销社', goods: '食用油', unit: '桶', quantity: 6, points: 300 },
    ]);
    const [done] = await t.dataSource.query(
      `SELECT COUNT(*) AS n, COALESCE(SUM("totalPoints"), 0) AS points FROM redemption WHERE "villageId" = ${scene.village.id} AND status = 'DONE' AND "occurredOn" BETWEEN '2026-10-01' AND '2026-10-31'`,
    );
    expect(f.redemptions).toMatchObject({ count: Number(done.n), points: Number(done.points) });
    expect(f.redemptions).toMatchObject({ count: 1, points: redeemedInOctober });
  });

  it('should refuse the running month and months to come with 409, and a mistyped month with 400', async () => {
    const running = await statement(scene.village.id, '2026-11', committee);
    expect(running.status).toBe(409);
    expect(running.body.error.code).toBe('INVALID_STATE');
    expect(running.body.error.message).toContain('还没有结束');
    expect((await statement(scene.village.id, '2027-01', committee)).status).toBe(409);
    for (const month of ['2026-13', 'abc', '2026-Q4']) {
      const res = await statement(scene.village.id, month, committee);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('should make one statement when two people open the month at once', async () => {
    const [a, b] = await Promise.all([
      statement(scene.village.id, '2026-08', committee),
      statement(scene.village.id, '2026-08', clerk),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.id).toBe(b.body.id);
    const [{ n }] = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM monthly_statement WHERE "villageId" = ${scene.village.id} AND month = '2026-08'`,
    );
    expect(Number(n)).toBe(1);
  });

  it('should show an unsigned statement to the village staff and its township only', async () => {
    expect((await statement(scene.village.id, '2026-10', await scene.townshipUser.token())).status).toBe(200);
    expect((await statement(scene.village.id, '2026-10', supervisor)).status).toBe(200);
    expect((await statement(scene.village.id, '2026-10')).status).toBe(404);
    expect((await statement(scene.village.id, '2026-10', villager)).status).toBe(404);
    expect((await statement(scene.village.id, '2026-10', await scene.neighbourAdmin.token())).status).toBe(
      404,
    );
    const board = await request(t.http).get(`/public/villages/${scene.village.id}?section=books`);
    expect(board.text).toContain('还没有经村务监督委员会签字公开的超市账目');
  });

  it("should list the village on the township's to-do once past the 5th while October is not signed", async () => {
    const township = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
    const late = `${scene.village.name} 10月超市账目未公开`;
    expect((await township.get('/')).text).not.toContain(late);
    at('2026-11-06T08:00:00');
    const home = await township.get('/');
    expect(home.text).toContain(late);
    // The neighbour has no supermarket: nothing to publish.
    expect(home.text).not.toContain(`${scene.neighbour.name} 10月超市账目未公开`);
  });

  it('should let the supervision committee alone sign, once, and publish the figures as signed', async () => {
    const { id, figures } = (await statement(scene.village.id, '2026-10', committee)).body;
    for (const token of [committee, clerk, await scene.townshipUser.token()])
      expect(
        (await request(t.http).post(`/api/v1/supermarket-statements/${id}/sign`).set(auth(token))).status,
      ).toBe(403);
    const neighbourSupervisor = await (
      await createTestUser(t, { role: 'SUPERVISOR', villageId: scene.neighbour.id })
    ).token();
    expect(
      (await request(t.http).post(`/api/v1/supermarket-statements/${id}/sign`).set(auth(neighbourSupervisor)))
        .status,
    ).toBe(403);

    // A double click: one signature, the other refused.
    const [a, b] = await Promise.all([
      request(t.http).post(`/api/v1/supermarket-statements/${id}/sign`).set(auth(supervisor)),
      request(t.http).post(`/api/v1/supermarket-statements/${id}/sign`).set(auth(supervisor)),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const signed = a.status === 200 ? a : b;
    expect(signed.body).toMatchObject({ id, status: 'SIGNED', figures });
    expect((a.status === 409 ? a : b).body.error.code).toBe('INVALID_STATE');
    const again = await request(t.http)
      .post(`/api/v1/supermarket-statements/${id}/sign`)
      .set(auth(supervisor));
    expect(again.status).toBe(409);
    const audit = await t.dataSource.query(
      `SELECT action FROM audit_log WHERE "entityType" = 'monthly_statement' AND "entityId" = ${id}`,
    );
    expect(audit.map((r: { action: string }) => r.action)).toEqual(['statement.sign']);

    // Public now, for anyone; the township's to-do lets the village go.
    const open = await statement(scene.village.id, '2026-10');
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ status: 'SIGNED', figures });
    expect((await statement(scene.village.id, '2026-10', villager)).body.status).toBe('SIGNED');
    const township = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
    expect((await township.get('/')).text).not.toContain('10月超市账目未公开');
    const board = await request(t.http).get(`/public/villages/${scene.village.id}?section=books`);
    expect(board.status).toBe(200);
    expect(board.text).toContain('2026年10月');
    expect(board.text).toContain('县供销社');
    expect(board.text).toContain(`共 <strong>${redeemedInOctober}</strong> 分`);
  });

  it('should keep the signed figures when a redemption of the month is cancelled later', async () => {
    const [kept] = await t.dataSource.query(
      `SELECT id FROM redemption WHERE "villageId" = ${scene.village.id} AND status = 'DONE' AND "occurredOn" = '2026-10-08'`,
    );
    expect(
      (await request(t.http).post(`/api/v1/redemptions/${kept.id}/cancel`).set(auth(clerk)).send({})).status,
    ).toBe(200);
    const res = await statement(scene.village.id, '2026-10');
    expect(res.body.figures.redemptions).toMatchObject({ count: 1, points: redeemedInOctober });
  });
});

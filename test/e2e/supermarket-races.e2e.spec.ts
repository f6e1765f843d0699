import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';
import { createScoringScene } from '../support/scoring-fixtures.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createHouseholdWithPoints, createTestGoods, newKey } from '../support/supermarket-fixtures.js';

const onPostgres = !!process.env.TEST_DATABASE_URL;

interface Answer {
  status: number;
  body: { id?: number; receiptNo?: string; error?: { code: string } };
}

/**
 * Many redemptions at one moment against one household's points and one goods' last units. Whatever order they run
 * in: never below zero, never more sold than stocked, every success exactly one entry and one receipt, no 5xx.
 */
describe('redemption races', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;
  let clerk: string;

  beforeAll(async () => {
    t = await createTestApp();
    scene = await createScoringScene(t);
    committee = await scene.villageAdmin.token();
    clerk = await scene.clerk.token();
  });
  afterAll(() => t.close());

  const one = async (sql: string) => (await t.dataSource.query(sql))[0] as Record<string, string | number>;

  /** Every successful answer has exactly one REDEMPTION entry and one receipt; the refused left nothing. */
  async function expectExactlyApplied(answers: Answer[], householdIds: number[]) {
    const won = answers.filter((a) => a.status === 201);
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    const ids = won.map((a) => a.body.id as number);
    const receipts = await t.dataSource.query(
      `SELECT id, "receiptNo" FROM redemption WHERE "householdId" IN (${householdIds.join(',')})`,
    );
    expect(receipts.map((r: { id: number }) => Number(r.id)).sort((a: number, b: number) => a - b)).toEqual(
      [...ids].sort((a, b) => a - b),
    );
    expect(new Set(receipts.map((r: { receiptNo: string }) => r.receiptNo)).size).toBe(receipts.length);
    const entries = await t.dataSource.query(
      `SELECT "refId" FROM ledger_entry WHERE kind = 'REDEMPTION' AND "householdId" IN (${householdIds.join(',')})`,
    );
    expect(
      entries.map((e: { refId: number }) => Number(e.refId)).sort((a: number, b: number) => a - b),
    ).toEqual([...ids].sort((a, b) => a - b));
    return won.length;
  }

  it('should sell exactly what the points cover when 100 redemptions hit one household at once', async () => {
    const h = await createHouseholdWithPoints(t, committee, scene.village.id, 250);
    const goods = await createTestGoods(t, clerk, scene.village.id, { pricePoints: 10, stock: 1000 });
    const answers = (await Promise.all(
      Array.from({ length: 100 }, () =>
        request(t.http)
          .post('/api/v1/redemptions')
          .set(auth(clerk))
          .send({ householdId: h.id, items: [{ goodsId: goods.id, quantity: 1 }], idempotencyKey: newKey() }),
      ),
    )) as Answer[];
    const refused = answers.filter((a) => a.status === 409);
    expect(refused.every((a) => a.body.error?.code === 'INSUFFICIENT_POINTS')).toBe(true);
    expect(await expectExactlyApplied(answers, [h.id])).toBe(25);
    expect(await one(`SELECT available, earned FROM household WHERE id = ${h.id}`)).toEqual({
      available: 0,
      earned: 250,
    });
    expect(Number((await one(`SELECT stock FROM goods WHERE id = ${goods.id}`)).stock)).toBe(975);
  });

  it('should sell exactly the last units when 100 redemptions from ten households want them at once', async () => {
    const households: { id: number; code: string }[] = [];
    for (let i = 0; i < 10; i++)
      households.push(await createHouseholdWithPoints(t, committee, scene.village.id, 1000));
    const goods = await createTestGoods(t, clerk, scene.village.id, {
      name: '最后几桶油',
      pricePoints: 5,
      stock: 7,
    });
    const answers = (await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        request(t.http)
          .post('/api/v1/redemptions')
          .set(auth(clerk))
          .send({
            householdId: households[i % 10].id,
            items: [{ goodsId: goods.id, quantity: 1 }],
            idempotencyKey: newKey(),
          }),
      ),
    )) as Answer[];
    const refused = answers.filter((a) => a.status === 409);
    expect(refused.every((a) => a.body.error?.code === 'OUT_OF_STOCK')).toBe(true);
    expect(
      await expectExactlyApplied(
        answers,
        households.map((h) => h.id),
      ),
    ).toBe(7);
    expect(Number((await one(`SELECT stock FROM goods WHERE id = ${goods.id}`)).stock)).toBe(0);
    const spent = await one(
      `SELECT SUM(available) AS total FROM household WHERE id IN (${households.map((h) => h.id).join(',')})`,
    );
    expect(Number(spent.total)).toBe(10 * 1000 - 7 * 5);
  });

  (onPostgres ? describe : describe.skip)('two server processes on one PostgreSQL database', () => {
    let other: ServerProcess;
    beforeAll(async () => {
      other = await startServerProcess(t);
    }, 60_000);
    afterAll(() => other?.stop());

    it('should never overspend one household when both servers take its redemptions at once', async () => {
      const h = await createHouseholdWithPoints(t, committee, scene.village.id, 300);
      const goods = await createTestGoods(t, clerk, scene.village.id, { pricePoints: 10, stock: 1000 });
      const send = (target: Parameters<typeof request>[0]) =>
        request(target)
          .post('/api/v1/redemptions')
          .set(auth(clerk))
          .send({ householdId: h.id, items: [{ goodsId: goods.id, quantity: 1 }], idempotencyKey: newKey() });
      const answers = (await Promise.all(
        Array.from({ length: 80 }, (_, i) => send(i % 2 === 0 ? t.http : other.baseUrl)),
      )) as Answer[];
      expect(await expectExactlyApplied(answers, [h.id])).toBe(30);
      expect(await one(`SELECT available, earned FROM household WHERE id = ${h.id}`)).toEqual({
        available: 0,
        earned: 300,
      });
      // A retry of a receipt on the other server gives the same receipt back.
      const first = answers.find((a) => a.status === 201) as Answer;
      const row = await one(`SELECT "idempotencyKey" FROM redemption WHERE id = ${first.body.id}`);
      const replay = await request(other.baseUrl)
        .post('/api/v1/redemptions')
        .set(auth(clerk))
        .send({
          householdId: h.id,
          items: [{ goodsId: goods.id, quantity: 1 }],
          idempotencyKey: row.idempotencyKey,
        });
      expect(replay.status).toBe(200);
      expect(replay.body.id).toBe(first.body.id);
    });
  });
});

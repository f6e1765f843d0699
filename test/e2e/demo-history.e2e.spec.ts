import request from 'supertest';
import { DEMO_PASSWORD, DEMO_VILLAGES } from '../../seeds/demo-county.js';
import { DemoHistory } from '../../seeds/demo-history.js';
import { SeedsService } from '../../seeds/seeds.service.js';
import { Clock } from '../../src/common/clock.js';
import { addDays, todayInChina } from '../../src/common/dates.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, loggedIn } from '../support/factories.js';
import { invariantProblems } from '../support/invariants.js';
import { newKey } from '../support/supermarket-fixtures.js';

/** SEED=demo brings six months of true history, so that every page has something to show on first start. */
describe('the demo county’s six months of history', () => {
  let t: TestApp;
  const today = todayInChina();

  // Six months of history go through the services: some 600 units of work, each a commit (PostgreSQL syncs each).
  beforeAll(async () => {
    t = await createTestApp({ seed: 'demo' });
  }, 120_000);
  afterAll(() => t.close());

  const monthsAgo = (k: number) => {
    const [y, m] = today.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1 - k, 1)).toISOString().slice(0, 7);
  };

  it('should have posted records in each of the last six months in every village, and work in progress now', async () => {
    for (const village of await t.dataSource.query('SELECT id, code FROM village ORDER BY id')) {
      for (let k = 1; k <= 6; k++) {
        const [row] = await t.dataSource.query(
          `SELECT COUNT(*) AS n FROM score_record WHERE "villageId" = ${village.id} AND status = 'POSTED' AND "occurredOn" LIKE '${monthsAgo(k)}%'`,
        );
        expect([village.code, k, Number(row.n) >= 10]).toEqual([village.code, k, true]);
      }
      const statuses = await t.dataSource.query(
        `SELECT status, COUNT(*) AS n FROM score_record WHERE "villageId" = ${village.id} GROUP BY status`,
      );
      const of = (s: string) => Number(statuses.find((r: { status: string }) => r.status === s)?.n ?? 0);
      expect([of('PENDING') > 0, of('APPROVED') > 0, of('PUBLICIZING') > 0, of('REJECTED') > 0]).toEqual([
        true,
        true,
        true,
        true,
      ]);
      const open = await t.dataSource.query(
        `SELECT id FROM publication WHERE "villageId" = ${village.id} AND status = 'OPEN'`,
      );
      expect(open).toHaveLength(1);
    }
  });

  it('should have redemptions with receipts of past days, one cancelled, and objections dismissed and upheld', async () => {
    const receipts = await t.dataSource.query(`SELECT "receiptNo", status, "occurredOn" FROM redemption`);
    expect(receipts.length).toBeGreaterThan(20);
    expect(receipts.every((r: { occurredOn: string }) => r.occurredOn < today)).toBe(true);
    expect(
      receipts.filter((r: { status: string }) => r.status === 'CANCELLED').length,
    ).toBeGreaterThanOrEqual(1);
    const objections = await t.dataSource.query(`SELECT status FROM objection`);
    expect(objections.map((o: { status: string }) => o.status)).toEqual(
      expect.arrayContaining(['DISMISSED', 'UPHELD']),
    );
    expect(await invariantProblems(t.app)).toEqual([]);
  });

  it('should open every month’s stock report of every village with no stock below zero, each line adding up', async () => {
    /** The stock table as a clerk reads it: goods, 期初, 入库, 兑换出库, 撤销退回, 盘点调整, 期末 (with its unit). */
    const stockRows = (html: string) => {
      const section = html.slice(html.indexOf('id="h-stock"'), html.indexOf('id="h-donors"'));
      return [...section.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
        .map((row) => [...row[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => cell[1]))
        .filter((cells) => cells.length === 7)
        .map(([name, ...numbers]) => {
          return [name, ...numbers.map((cell) => Number.parseInt(cell, 10))] as [string, ...number[]];
        });
    };
    const lastDay = (month: string) => addDays(`${addDays(`${month}-28`, 4).slice(0, 7)}-01`, -1);
    for (const village of DEMO_VILLAGES) {
      const clerk = await loggedIn(t, `${village.code.toLowerCase()}_clerk`, DEMO_PASSWORD);
      let closingBefore = new Map<string, number>();
      for (let k = 6; k >= 0; k--) {
        const month = monthsAgo(k);
        const page = await clerk.get(`/supermarket/reports?from=${month}-01&to=${lastDay(month)}`);
        expect(page.status).toBe(200);
        const rows = stockRows(page.text);
        expect([village.code, month, rows.length]).toEqual([village.code, month, 10]);
        for (const [name, opening, stockIn, out, returned, adjusted, closing] of rows) {
          const line = { village: village.code, month, name };
          expect({ ...line, opening: opening >= 0, closing: closing >= 0 }).toEqual({
            ...line,
            opening: true,
            closing: true,
          });
          expect({ ...line, sum: opening + stockIn - out + returned + adjusted }).toEqual({
            ...line,
            sum: closing,
          });
          if (closingBefore.has(name))
            expect({ ...line, opening }).toEqual({ ...line, opening: closingBefore.get(name) });
        }
        closingBefore = new Map(rows.map(([name, , , , , , closing]) => [name, closing]));
      }
      const [{ sold }] = await t.dataSource.query(
        `SELECT COUNT(*) AS sold FROM redemption r JOIN village v ON v.id = r."villageId" WHERE v.code = '${village.code}'`,
      );
      expect([village.code, Number(sold) > 0]).toEqual([village.code, true]);
    }
  });

  it('should add nothing when the seeds run again, and take today’s first real redemption with a new receipt', async () => {
    const count = async () =>
      Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM ledger_entry'))[0].n);
    const before = await count();
    await t.app.get(SeedsService).onApplicationBootstrap();
    expect(await count()).toBe(before);
    const [household] = await t.dataSource.query(
      `SELECT h.id FROM household h JOIN village v ON v.id = h."villageId" WHERE v.code = 'TY' AND h.available >= 5 ORDER BY h.id LIMIT 1`,
    );
    const [goods] = await t.dataSource.query(
      `SELECT g.id FROM goods g JOIN village v ON v.id = g."villageId" WHERE v.code = 'TY' AND g.name = '香皂'`,
    );
    const res = await request(t.http)
      .post('/api/v1/redemptions')
      .set(auth(await t.token('ty_clerk', DEMO_PASSWORD)))
      .send({
        householdId: household.id,
        items: [{ goodsId: goods.id, quantity: 1 }],
        idempotencyKey: newKey(),
      });
    expect(res.status).toBe(201);
    expect(res.body.receiptNo).toMatch(new RegExp(`${today.replaceAll('-', '')}-0001$`));
  });

  it('should date a record, and refuse a deed after its day, by the clock when the clock is stopped at a past day', async () => {
    const clock = t.app.get(Clock);
    const day = addDays(today, -3);
    const [household] = await t.dataSource.query(
      `SELECT h.id FROM household h JOIN village v ON v.id = h."villageId" WHERE v.code = 'TY' AND h.code = 'TY-0001'`,
    );
    const [rule] = await t.dataSource.query(
      `SELECT r.id FROM scoring_rule r JOIN village v ON v.id = r."villageId" WHERE v.code = 'TY' AND r.code = 'ZZ-05'`,
    );
    const scorer = auth(await t.token('ty_scorer', DEMO_PASSWORD));
    const record = (occurredOn: string) =>
      request(t.http)
        .post('/api/v1/score-records')
        .set(scorer)
        .send({ householdId: household.id, ruleId: rule.id, occurredOn });
    clock.stopAt(new Date(`${day}T10:00:00+08:00`));
    try {
      const made = await record(day);
      expect(made.status).toBe(201);
      expect(todayInChina(new Date(made.body.createdAt))).toBe(day);
      const later = await record(addDays(day, 1));
      expect(later.body.error?.details?.fields?.occurredOn ?? later.text).toContain('日期不能晚于今天');
    } finally {
      clock.stopAt(null);
    }
    expect((await record(addDays(day, 1))).status).toBe(201);
  });

  it('should date nothing on or after the day it is seeded, even on the 1st after a short February', async () => {
    const first = await createTestApp({ seed: 'demo', env: { DEMO_HISTORY: 'off' } });
    try {
      const day = '2027-03-01';
      await first.app.get(DemoHistory).ensure(
        DEMO_VILLAGES.map((v) => v.code),
        day,
      );
      const latest = async (sql: string) => (await first.dataSource.query(sql))[0].latest as string;
      expect(await latest('SELECT MAX("occurredOn") AS latest FROM redemption')).toMatch(/^2027-02-/);
      expect(await latest('SELECT MAX("occurredOn") AS latest FROM ledger_entry')).toMatch(/^2027-02-/);
      expect(
        await latest('SELECT MAX("endsOn") AS latest FROM publication WHERE status = \'CLOSED\''),
      ).toMatch(/^2027-02-/);
    } finally {
      await first.close();
    }
  }, 120_000);
});

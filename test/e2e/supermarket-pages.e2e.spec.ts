import ExcelJS from 'exceljs';
import request from 'supertest';
import { todayInChina } from '../../src/common/dates.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { csrfFrom, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { createScoringScene } from '../support/scoring-fixtures.js';
import { createHouseholdWithPoints, createTestGoods } from '../support/supermarket-fixtures.js';

/** The supermarket's pages as the clerk and the committee use them: counter, receipts, goods and stock, reports. */
describe('supermarket pages', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let clerk: Awaited<ReturnType<typeof loggedIn>>;
  let household: { id: number; code: string };

  const count = async (table: string, where = '1 = 1') =>
    Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`))[0].n);
  const form = async (
    agent: typeof clerk,
    getPath: string,
    postPath: string,
    body: Record<string, string>,
  ) => {
    const page = await agent.get(getPath);
    return agent
      .post(postPath)
      .type('form')
      .send({ ...body, _csrf: csrfFrom(page.text) });
  };

  beforeAll(async () => {
    t = await createTestApp();
    scene = await createScoringScene(t);
    clerk = await loggedIn(t, scene.clerk.username, TEST_PASSWORD);
    household = await createHouseholdWithPoints(t, await scene.villageAdmin.token(), scene.village.id, 100, {
      headName: '王秀英',
    });
  });
  afterAll(() => t.close());

  describe('goods and stock', () => {
    it('should add goods from the form and show them in the list', async () => {
      const res = await form(clerk, '/supermarket/goods/new', '/supermarket/goods/new', {
        name: '洗洁精',
        unit: '瓶',
        pricePoints: '10',
        stock: '12',
        lowStockThreshold: '3',
      });
      expect(res.status).toBe(303);
      const list = await clerk.get('/supermarket/goods');
      expect(list.text).toMatch(/洗洁精<\/a><\/td>\s*<td>10 分\/瓶<\/td>\s*<td>12 瓶/);
    });

    it('should bring the form back with 400, the typed name and a Chinese message when the price is wrong', async () => {
      const res = await form(clerk, '/supermarket/goods/new', '/supermarket/goods/new', {
        name: '酱油',
        unit: '瓶',
        pricePoints: '零',
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain('value="酱油"');
      expect(res.text).toContain('所需积分应为整数');
      expect(await count('goods', `name = '酱油'`)).toBe(0);
    });

    it('should refuse a donation without its donor, then take it in with the donor, and take stock with a reason', async () => {
      const goods = await createTestGoods(t, await scene.clerk.token(), scene.village.id, {
        name: '大米',
        stock: 5,
      });
      const path = `/supermarket/goods/${goods.id}/stock-in`;
      const refused = await form(clerk, path, path, { quantity: '10', source: 'DONATION', donor: '' });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('捐赠入库请写明捐赠单位');
      expect(
        (await form(clerk, path, path, { quantity: '10', source: 'DONATION', donor: '县农商银行' })).status,
      ).toBe(303);
      const take = `/supermarket/goods/${goods.id}/stock-take`;
      expect((await form(clerk, take, take, { counted: '14', reason: '受潮 1 袋' })).status).toBe(303);
      const history = await clerk.get(`/supermarket/goods/${goods.id}`);
      expect(history.text).toContain('捐赠入库');
      expect(history.text).toContain('县农商银行');
      expect(history.text).toContain('受潮 1 袋');
      const report = await clerk.get('/supermarket/reports');
      expect(report.text).toMatch(/县农商银行<\/td><td>大米<\/td><td>10 袋<\/td>/);
    });
  });

  describe('the counter', () => {
    it('should find a household by code, by name and by the URL a door-plate QR code holds', async () => {
      for (const q of [household.code, '王秀英', `http://127.0.0.1/villager?code=${household.code}`]) {
        const page = await clerk.get(`/supermarket/counter?q=${encodeURIComponent(q)}`);
        expect(page.status).toBe(200);
        expect(page.text).toContain(`${household.code} 王秀英家`);
        expect(page.text).toMatch(/可用积分<\/p><p class="balance-value" id="available">100</);
      }
    });

    it('should check the basket, then redeem once even when confirm is sent twice, and show the receipt', async () => {
      const soap = await createTestGoods(t, await scene.clerk.token(), scene.village.id, {
        name: '香皂',
        pricePoints: 5,
      });
      const counter = await clerk.get(`/supermarket/counter?householdId=${household.id}`);
      const key = /name="idempotencyKey" value="([^"]+)"/.exec(counter.text)?.[1] as string;
      const body = { householdId: String(household.id), idempotencyKey: key, [`qty${soap.id}`]: '3' };
      const review = await clerk
        .post('/supermarket/counter/review')
        .type('form')
        .send({ ...body, _csrf: csrfFrom(counter.text) });
      expect(review.status).toBe(200);
      expect(review.text).toContain('合计 <strong>15</strong> 分');
      const confirm = () =>
        clerk
          .post('/supermarket/counter/confirm')
          .type('form')
          .send({ ...body, _csrf: csrfFrom(review.text) });
      const first = await confirm();
      const second = await confirm();
      expect(first.status).toBe(303);
      expect(second.headers.location).toBe(first.headers.location);
      expect(await count('redemption', `"householdId" = ${household.id}`)).toBe(1);
      const receipt = await clerk.get(first.headers.location);
      const day = todayInChina().replaceAll('-', '');
      expect(receipt.text).toMatch(new RegExp(`DH-${scene.village.name}-${day}-\\d{4}`));
      expect(receipt.text).toContain('<td>香皂</td><td>3 袋</td>');
      const thermal = await clerk.get(`${first.headers.location}?format=thermal`);
      expect(thermal.text).toContain('class="thermal"');
      expect(thermal.text).not.toContain('site-header');
    });

    it('should bring the counter back with 409 and the message when the points do not cover the basket', async () => {
      const tv = await createTestGoods(t, await scene.clerk.token(), scene.village.id, {
        name: '电饭煲',
        pricePoints: 500,
      });
      const counter = await clerk.get(`/supermarket/counter?householdId=${household.id}`);
      const before = await count('redemption');
      const res = await clerk
        .post('/supermarket/counter/review')
        .type('form')
        .send({
          householdId: String(household.id),
          idempotencyKey: 'key-0000-insufficient',
          [`qty${tv.id}`]: '1',
          _csrf: csrfFrom(counter.text),
        });
      expect(res.status).toBe(409);
      expect(res.text).toContain('可用积分不足');
      expect(res.text).toMatch(new RegExp(`id="qty${tv.id}"[^>]*value="1"`));
      expect(await count('redemption')).toBe(before);
    });

    it('should cancel a receipt once with its reason and refuse a second cancellation with 409', async () => {
      const [latest] = await t.dataSource.query(
        `SELECT id FROM redemption WHERE "householdId" = ${household.id} AND status = 'DONE' ORDER BY id DESC LIMIT 1`,
      );
      const path = `/supermarket/redemptions/${latest.id}`;
      const noReason = await form(clerk, path, `${path}/cancel`, { reason: '' });
      expect(noReason.status).toBe(400);
      expect(noReason.text).toContain('请填写撤销原因');
      const done = await form(clerk, path, `${path}/cancel`, { reason: '拿错了' });
      expect(done.status).toBe(303);
      expect((await clerk.get(path)).text).toContain('此兑换单已撤销');
      const again = await clerk
        .post(`${path}/cancel`)
        .type('form')
        .send({ reason: '再撤一次', _csrf: csrfFrom((await clerk.get(path)).text) });
      expect(again.status).toBe(409);
      expect(again.text).toContain('已经撤销过了');
      const [h] = await t.dataSource.query(`SELECT available FROM household WHERE id = ${household.id}`);
      expect(Number(h.available)).toBe(100);
    });

    it('should keep the counter, goods and reports from a scorer and a villager', async () => {
      const scorer = await loggedIn(t, scene.scorer.username, TEST_PASSWORD);
      for (const path of ['/supermarket/counter', '/supermarket/goods/new', '/supermarket/settings'])
        expect((await scorer.get(path)).status).toBe(403);
      const villager = request.agent(t.http);
      const login = await villager.get('/villager');
      await villager
        .post('/villager/login')
        .type('form')
        .send({ _csrf: csrfFrom(login.text), householdCode: household.code, pin: '135790' });
      expect((await villager.get('/supermarket/counter')).status).toBe(403);
    });
  });

  describe('reports and settings', () => {
    it('should export the redemptions report as CSV and .xlsx, and refuse bad dates with 400', async () => {
      const today = todayInChina();
      const csv = await clerk.get(`/supermarket/reports/redemptions.csv?from=${today}&to=${today}`);
      expect(csv.status).toBe(200);
      expect(csv.text.charCodeAt(0)).toBe(0xfeff);
      expect(csv.text).toContain('按商品');
      const xlsx = await clerk
        .get(`/supermarket/reports/stock.xlsx?from=${today}&to=${today}`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.body as never);
      expect(book.worksheets[0].getRow(1).getCell(1).value).toBe('商品');
      const bad = await clerk.get('/supermarket/reports?from=2026-02-30&to=2026-03-01');
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('日期应为 YYYY-MM-DD');
    });

    it('should let the committee turn the yearly reset on, and refuse 02-29', async () => {
      const committee = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
      const bad = await form(committee, '/supermarket/settings', '/supermarket/settings', {
        resetEnabled: 'on',
        resetOn: '02-29',
        resetKeep: '20',
      });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('不能是 2 月 29 日');
      const ok = await form(committee, '/supermarket/settings', '/supermarket/settings', {
        resetEnabled: 'on',
        resetOn: '12-31',
        resetKeep: '20',
      });
      expect(ok.status).toBe(303);
      const [v] = await t.dataSource.query(
        `SELECT "resetEnabled", "resetOn", "resetKeep" FROM village WHERE id = ${scene.village.id}`,
      );
      expect([Boolean(v.resetEnabled), v.resetOn, Number(v.resetKeep)]).toEqual([true, '12-31', 20]);
    });
  });
});

import ExcelJS from 'exceljs';
import request from 'supertest';
import { addDays, todayInChina } from '../../src/common/dates.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, csrfFrom, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { createScoringScene } from '../support/scoring-fixtures.js';
import { createHouseholdWithPoints, createTestGoods, newKey } from '../support/supermarket-fixtures.js';

/** The text of every table row of a page, cell by cell, as a reader sees the tables. */
const tableRows = (html: string): string[][] =>
  [...html.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) =>
      cell[1]
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );

/** A download as bytes, whatever its content type. */
const bytesOf = (req: request.Test) =>
  req.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

const xlsxRows = async (bytes: Buffer) => {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as never);
  return (book.worksheets[0].getSheetValues() as unknown[][]).filter(Boolean).map((row) => row.slice(1));
};

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
    it('should show new goods in the list when the clerk adds them from the form', async () => {
      const res = await form(clerk, '/supermarket/goods/new', '/supermarket/goods/new', {
        name: '洗洁精',
        unit: '瓶',
        pricePoints: '10',
        stock: '12',
        lowStockThreshold: '3',
      });
      expect(res.status).toBe(303);
      const list = await clerk.get('/supermarket/goods');
      expect(list.text).toMatch(/洗洁精<\/a><\/td>\s*<td[^>]*>10 分\/瓶<\/td>\s*<td[^>]*>12 瓶/);
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

    it('should refuse a donation when its donor is missing, then take it in with the donor and take stock', async () => {
      const goods = await createTestGoods(t, await scene.clerk.token(), scene.village.id, {
        name: '大米',
        stock: 5,
      });
      const path = `/supermarket/goods/${goods.id}/stock-in`;
      const refused = await form(clerk, path, path, { quantity: '10', source: 'DONATION', donor: '' });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('捐赠入库请写明捐赠单位');
      expect(refused.text).toMatch(
        /id="f-donor"[^>]*aria-invalid="true"[^>]*aria-describedby="h-donor e-donor"/,
      );
      const noSource = await form(clerk, path, path, { quantity: '10' });
      expect(noSource.status).toBe(400);
      expect(noSource.text).toMatch(/<fieldset[^>]*aria-describedby="e-source"/);
      expect(noSource.text).toContain('<p class="error" id="e-source">请选择来源：采购或捐赠</p>');
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
      expect(report.text).toMatch(/县农商银行<\/td><td[^>]*>大米<\/td><td[^>]*>10 袋<\/td>/);
    });
  });

  describe('the counter', () => {
    it('should find a household when the clerk types its code or name or scans its door-plate QR code', async () => {
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

    it('should cancel a receipt with its reason, and refuse with 409 when it is cancelled again', async () => {
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

    it('should answer 403 when a scorer or a villager opens the counter, a goods form or the settings', async () => {
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
    it('should export the redemptions report as CSV and .xlsx, and answer 400 when a date is not real', async () => {
      const today = todayInChina();
      const csv = await clerk.get(`/supermarket/reports/redemptions.csv?from=${today}&to=${today}`);
      expect(csv.status).toBe(200);
      expect(csv.text.charCodeAt(0)).toBe(0xfeff);
      expect(csv.text).toContain('按商品');
      const xlsx = await bytesOf(clerk.get(`/supermarket/reports/stock.xlsx?from=${today}&to=${today}`));
      expect((await xlsxRows(xlsx.body))[0][0]).toBe('商品');
      const bad = await clerk.get('/supermarket/reports?from=2026-02-30&to=2026-03-01');
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('日期应为 YYYY-MM-DD');
    });

    it('should turn the yearly reset on when the committee saves it, and refuse 02-29', async () => {
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
        `SELECT "resetEnabled", "resetOn", "resetKeep" FROM supermarket_settings WHERE "villageId" = ${scene.village.id}`,
      );
      expect([Boolean(v.resetEnabled), v.resetOn, Number(v.resetKeep)]).toEqual([true, '12-31', 20]);
    });
  });

  /**
   * A village of its own, so that the numbers below are only what this block does: two goods, a donation, a
   * purchase, three redemptions through the API of which one is cancelled, and a stock-take.
   */
  describe('reports after a day at the counter', () => {
    const today = todayInChina();
    let quiet: Awaited<ReturnType<typeof createScoringScene>>;
    let desk: Awaited<ReturnType<typeof loggedIn>>;
    let oil: { id: number };
    let salt: { id: number };
    let wang: { id: number; code: string };
    let li: { id: number; code: string };

    const report = (from: string, to: string) => desk.get(`/supermarket/reports?from=${from}&to=${to}`);
    const redeem = async (householdId: number, items: { goodsId: number; quantity: number }[]) => {
      const res = await request(t.http)
        .post('/api/v1/redemptions')
        .set(auth(await quiet.clerk.token()))
        .send({ householdId, items, idempotencyKey: newKey() });
      if (res.status !== 201) throw new Error(`redeem: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: number };
    };

    beforeAll(async () => {
      quiet = await createScoringScene(t);
      desk = await loggedIn(t, quiet.clerk.username, TEST_PASSWORD);
      const committee = await quiet.villageAdmin.token();
      wang = await createHouseholdWithPoints(t, committee, quiet.village.id, 300, { headName: '王大山' });
      li = await createHouseholdWithPoints(t, committee, quiet.village.id, 100, { headName: '李桂兰' });

      const created = await form(desk, '/supermarket/goods/new', '/supermarket/goods/new', {
        name: '花生油',
        unit: '桶',
        pricePoints: '30',
        stock: '10',
        lowStockThreshold: '2',
      });
      expect(created.status).toBe(303);
      [oil] = await t.dataSource.query(
        `SELECT id FROM goods WHERE name = '花生油' AND "villageId" = ${quiet.village.id}`,
      );
      salt = await createTestGoods(t, await quiet.clerk.token(), quiet.village.id, {
        name: '食盐',
        unit: '袋',
        pricePoints: 3,
        stock: 40,
      });
      const oilIn = `/supermarket/goods/${oil.id}/stock-in`;
      const saltIn = `/supermarket/goods/${salt.id}/stock-in`;
      expect(
        (
          await form(desk, oilIn, oilIn, {
            quantity: '5',
            source: 'DONATION',
            donor: '县供销社',
            note: '结对帮扶',
          })
        ).status,
      ).toBe(303);
      expect((await form(desk, saltIn, saltIn, { quantity: '10', source: 'PURCHASE' })).status).toBe(303);

      await redeem(wang.id, [
        { goodsId: oil.id, quantity: 2 },
        { goodsId: salt.id, quantity: 5 },
      ]);
      await redeem(li.id, [{ goodsId: oil.id, quantity: 1 }]);
      const mistaken = await redeem(wang.id, [{ goodsId: salt.id, quantity: 2 }]);
      const cancelled = await request(t.http)
        .post(`/api/v1/redemptions/${mistaken.id}/cancel`)
        .set(auth(await quiet.clerk.token()))
        .send({ reason: '拿错了' });
      expect(cancelled.status).toBe(200);
    });

    it('should change the stock and show it in the history when the clerk saves a stock-take', async () => {
      const take = `/supermarket/goods/${salt.id}/stock-take`;
      const page = await desk.get(take);
      expect(page.text).toContain('账面库存 45 袋');
      expect((await form(desk, take, take, { counted: '43', reason: '破损 2 袋' })).status).toBe(303);
      const history = tableRows((await desk.get(`/supermarket/goods/${salt.id}`)).text);
      expect(history).toContainEqual([today, '盘点调整', '-2', '43', '破损 2 袋']);
      expect(history).toContainEqual([today, '撤销退回', '2', '45', '拿错了']);
      expect(history).toContainEqual([today, '建档库存', '40', '40', '']);
      const list = tableRows((await desk.get('/supermarket/goods')).text);
      expect(list).toContainEqual(['食盐', '3 分/袋', '43 袋', '不限', '在售', '入库 盘点 修改']);
    });

    it('should show in, out, returns, stock-takes and stock on hand per goods when the period is today', async () => {
      const rows = tableRows((await report(today, today)).text);
      expect(rows).toContainEqual(['花生油', '0', '15', '3', '0', '0', '12 桶']);
      expect(rows).toContainEqual(['食盐', '0', '50', '7', '2', '-2', '43 袋']);
    });

    it("should open a period with the last period's stock on hand when the period starts later", async () => {
      const tomorrow = addDays(today, 1);
      const page = await report(tomorrow, tomorrow);
      const rows = tableRows(page.text);
      expect(rows).toContainEqual(['花生油', '12', '0', '0', '0', '0', '12 桶']);
      expect(rows).toContainEqual(['食盐', '43', '0', '0', '0', '0', '43 袋']);
      expect(page.text).toContain('这段时间没有兑换。');
      expect(page.text).toContain('这段时间没有捐赠。');
    });

    it('should count only the redemptions that stand, by day, goods and household, when one was cancelled', async () => {
      const page = await report(today, today);
      expect(page.text).toContain('共 105 分');
      const rows = tableRows(page.text);
      expect(rows).toContainEqual([today, '2', '105']);
      expect(rows).toContainEqual(['花生油', '3 桶', '90']);
      expect(rows).toContainEqual(['食盐', '5 袋', '15']);
      expect(rows).toContainEqual([wang.code, '王大山', '1', '75']);
      expect(rows).toContainEqual([li.code, '李桂兰', '1', '30']);
    });

    it('should list the donation by donor with its value in points when a donor gave goods', async () => {
      const rows = tableRows((await report(today, today)).text);
      expect(rows).toContainEqual(['县供销社', '花生油', '5 桶', '150', today]);
    });

    it('should export each report as CSV with a BOM and as .xlsx with the same rows when asked', async () => {
      const period = `from=${today}&to=${today}`;
      const csv = await desk.get(`/supermarket/reports/redemptions.csv?${period}`);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-disposition']).toContain(`redemptions-${today}-${today}.csv`);
      expect(csv.text.charCodeAt(0)).toBe(0xfeff);
      expect(csv.text).toContain('\r\n花生油,桶,3,90\r\n');
      expect(csv.text).toContain(`\r\n${wang.code},王大山,1,75\r\n`);
      const donors = await desk.get(`/supermarket/reports/donors.csv?${period}`);
      expect(donors.text).toContain(`\r\n县供销社,花生油,桶,5,150,${today},${today}\r\n`);

      const stock = await xlsxRows(
        (await bytesOf(desk.get(`/supermarket/reports/stock.xlsx?${period}`))).body,
      );
      expect(stock[0]).toEqual(['商品', '单位', '期初', '入库', '兑换出库', '撤销退回', '盘点调整', '期末']);
      expect(stock).toContainEqual(['食盐', '袋', 0, 50, 7, 2, -2, 43]);
      const sold = await xlsxRows(
        (await bytesOf(desk.get(`/supermarket/reports/redemptions.xlsx?${period}`))).body,
      );
      expect(sold).toContainEqual([today, 2, 105]);
      expect(sold).toContainEqual(['花生油', '桶', 3, 90]);
      expect(sold).toContainEqual([li.code, '李桂兰', 1, 30]);
    });

    it('should answer 400 with a Chinese message, never a 500, when the dates are wrong', async () => {
      for (const query of ['from=2026-13-01&to=2026-12-01', `from=${today}&to=${addDays(today, -1)}`]) {
        const page = await desk.get(`/supermarket/reports?${query}`);
        expect(page.status).toBe(400);
        expect(page.text).toMatch(/日期应为 YYYY-MM-DD|结束日期不能早于开始日期/);
        expect((await desk.get(`/supermarket/reports/stock.csv?${query}`)).status).toBe(400);
      }
      for (const query of [
        'from=2026-11-01&from=2026-11-02&to=2026-11-30',
        `from=${today}%0A&to=${today}`,
        'to=%00',
      ]) {
        const page = await desk.get(`/supermarket/reports?${query}`);
        const file = await desk.get(`/supermarket/reports/donors.xlsx?${query}`);
        expect({ query, page: page.status, file: file.status }).toEqual({ query, page: 400, file: 400 });
      }
      expect((await desk.get('/supermarket/reports/stock.csv')).status).toBe(400);
    });

    it('should take goods off the shelf and lift the monthly limit when 上架 is unticked and the limit left empty', async () => {
      const edit = `/supermarket/goods/${oil.id}/edit`;
      const page = await desk.get(edit);
      expect(page.text).toMatch(/id="f-active"[^>]*checked/);
      const saved = await form(desk, edit, edit, {
        name: '花生油',
        unit: '桶',
        pricePoints: '30',
        lowStockThreshold: '12',
        monthlyLimit: '',
      });
      expect(saved.status).toBe(303);
      const list = tableRows((await desk.get('/supermarket/goods')).text);
      expect(list).toContainEqual([
        '花生油',
        '30 分/桶',
        '12 桶 库存不足',
        '不限',
        '已下架',
        '入库 盘点 修改',
      ]);
      const [row] = await t.dataSource.query(`SELECT active, "monthlyLimit" FROM goods WHERE id = ${oil.id}`);
      expect([Boolean(row.active), row.monthlyLimit]).toEqual([false, null]);
    });

    it('should refuse goods of another village with 403 or 404 when the clerk opens or posts to them', async () => {
      const theirs = await createTestGoods(t, await quiet.neighbourAdmin.token(), quiet.neighbour.id, {
        name: '邻村的米',
      });
      for (const path of ['', '/edit', '/stock-in', '/stock-take']) {
        const res = await desk.get(`/supermarket/goods/${theirs.id}${path}`);
        expect([403, 404]).toContain(res.status);
        expect(res.text).not.toContain('邻村的米');
      }
      const own = await desk.get('/supermarket/goods');
      const posted = await desk
        .post(`/supermarket/goods/${theirs.id}/stock-in`)
        .type('form')
        .send({ quantity: '5', source: 'PURCHASE', _csrf: csrfFrom(own.text) });
      expect([403, 404]).toContain(posted.status);
      const [row] = await t.dataSource.query(`SELECT stock FROM goods WHERE id = ${theirs.id}`);
      expect(Number(row.stock)).toBe(50);
      expect((await desk.get('/supermarket/goods/999999')).status).toBe(404);
    });

    it('should answer 403 when a scorer or a villager opens goods, reports or exports, or a clerk the reset setting', async () => {
      const scorer = await loggedIn(t, quiet.scorer.username, TEST_PASSWORD);
      const villager = request.agent(t.http);
      const login = await villager.get('/villager');
      await villager
        .post('/villager/login')
        .type('form')
        .send({ _csrf: csrfFrom(login.text), householdCode: li.code, pin: '135790' });
      expect((await villager.get('/villager')).status).toBe(200);
      const paths = [
        '/supermarket/goods',
        `/supermarket/goods/${salt.id}`,
        `/supermarket/goods/${salt.id}/stock-in`,
        `/supermarket/reports?from=${today}&to=${today}`,
        `/supermarket/reports/redemptions.csv?from=${today}&to=${today}`,
      ];
      for (const agent of [scorer, villager])
        for (const path of paths)
          expect({ path, status: (await agent.get(path)).status }).toEqual({ path, status: 403 });
      expect((await desk.get('/supermarket/settings')).status).toBe(403);
    });

    it('should explain the yearly reset and keep it off when the committee saves with the box unticked', async () => {
      const committee = await loggedIn(t, quiet.villageAdmin.username, TEST_PASSWORD);
      const page = await committee.get('/supermarket/settings');
      expect(page.text).toContain('年度清零默认关闭');
      expect(page.text).toContain('“累计积分”不变');
      expect(page.text).toContain('30 天');
      expect(page.text).not.toMatch(/id="f-resetEnabled"[^>]*checked/);
      const saved = await form(committee, '/supermarket/settings', '/supermarket/settings', {
        resetOn: '01-15',
        resetKeep: '50',
      });
      expect(saved.status).toBe(303);
      const [v] = await t.dataSource.query(
        `SELECT "resetEnabled", "resetOn", "resetKeep" FROM supermarket_settings WHERE "villageId" = ${quiet.village.id}`,
      );
      expect([Boolean(v.resetEnabled), v.resetOn, Number(v.resetKeep)]).toEqual([false, '01-15', 50]);
      expect((await committee.get('/supermarket/settings')).text).toMatch(/id="f-resetOn"[^>]*value="01-15"/);
    });
  });
});

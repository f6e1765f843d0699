import ExcelJS from 'exceljs';
import request from 'supertest';
import { Household } from '../../src/households/household.entity.js';
import { parseCsv } from '../../src/households/spreadsheet.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { csrfFrom, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { createScoringScene } from '../support/scoring-fixtures.js';
import { createHouseholdWithPoints, createTestGoods } from '../support/supermarket-fixtures.js';

/** The banners a page shows: the one box at the top that says what went wrong. */
const banners = (html: string) =>
  [...html.matchAll(/<[^>]+role="alert"[^>]*>([\s\S]*?)<\/(?:div|p)>/g)].map((m) => m[1]);

/** The fields a page marks red, by id. */
const marked = (html: string) =>
  [...html.matchAll(/<input[^>]*id="([^"]+)"[^>]*aria-invalid="true"/g)].map((m) => m[1]);

/** A download as bytes, whatever its content type. */
const bytesOf = (req: request.Test) =>
  req.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

/** The header row the household import reads, as the import page lists it. */
const IMPORT_HEADER = ['户主姓名', '村民小组', '家庭人口', '联系电话', '密码(PIN)'];

describe('forms say what is wrong where it is wrong; the import page offers its template', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let clerk: Awaited<ReturnType<typeof loggedIn>>;
  let committee: Awaited<ReturnType<typeof loggedIn>>;
  let household: { id: number; code: string };
  let soap: { id: number };

  beforeAll(async () => {
    t = await createTestApp();
    scene = await createScoringScene(t);
    clerk = await loggedIn(t, scene.clerk.username, TEST_PASSWORD);
    committee = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    household = await createHouseholdWithPoints(t, await scene.villageAdmin.token(), scene.village.id, 40, {
      headName: '赵红梅',
    });
    soap = await createTestGoods(t, await scene.clerk.token(), scene.village.id, {
      name: '香皂',
      pricePoints: 5,
      stock: 6,
    });
  });
  afterAll(() => t.close());

  describe('the counter', () => {
    const basket = async (step: 'review' | 'confirm', quantities: Record<string, string>, extra = {}) => {
      const counter = await clerk.get(`/supermarket/counter?householdId=${household.id}`);
      const key = /name="idempotencyKey" value="([^"]+)"/.exec(counter.text)?.[1] as string;
      return clerk
        .post(`/supermarket/counter/${step}`)
        .type('form')
        .send({
          householdId: String(household.id),
          idempotencyKey: key,
          ...quantities,
          ...extra,
          _csrf: csrfFrom(counter.text),
        });
    };

    it('should mark a quantity of 0 red with its own message under one banner', async () => {
      const res = await basket('review', { [`qty${soap.id}`]: '0' });
      expect(res.status).toBe(400);
      expect(banners(res.text)).toHaveLength(1);
      expect(marked(res.text)).toEqual([`qty${soap.id}`]);
      expect(res.text).toMatch(new RegExp(`<p class="error" id="e-qty${soap.id}">数量至少 1`));
      expect(res.text).toMatch(new RegExp(`id="qty${soap.id}"[^>]*aria-describedby="e-qty${soap.id}"`));
    });

    it('should mark a negative or non-number quantity on its own line, not a hidden "items.0.quantity"', async () => {
      const res = await basket('review', { [`qty${soap.id}`]: '-2' });
      expect(res.status).toBe(400);
      expect(banners(res.text)).toEqual(['填写的内容有误，请检查标红的项目']);
      expect(marked(res.text)).toEqual([`qty${soap.id}`]);
      expect(res.text).toMatch(new RegExp(`id="e-qty${soap.id}">数量至少 1</p>`));
    });

    it('should mark the goods a basket takes more of than the shelf holds, at review and at confirm', async () => {
      for (const step of ['review', 'confirm'] as const) {
        const res = await basket(step, { [`qty${soap.id}`]: '7' });
        expect(res.status).toBe(409);
        expect(banners(res.text)).toEqual(['香皂库存不足：还剩 6袋']);
        expect(marked(res.text)).toEqual([`qty${soap.id}`]);
        expect(res.text).toContain(`<p class="error" id="e-qty${soap.id}">香皂库存不足：还剩 6袋</p>`);
        expect(res.text).toMatch(new RegExp(`id="qty${soap.id}"[^>]*value="7"`));
      }
    });

    it('should mark the basket red when it costs more than the household has', async () => {
      const tv = await createTestGoods(t, await scene.clerk.token(), scene.village.id, {
        name: '电水壶',
        pricePoints: 50,
      });
      const res = await basket('review', { [`qty${tv.id}`]: '1' });
      expect(res.status).toBe(409);
      expect(banners(res.text)).toEqual(['可用积分不足：需要 50 分，只有 40 分']);
      expect(res.text).toMatch(/<fieldset class="form-set has-error" aria-describedby="e-items">/);
      expect(res.text).toContain('<p class="error" id="e-items">可用积分不足：需要 50 分，只有 40 分</p>');
    });

    it('should say the message itself, not "请检查标红的项目", when the page has no field for it', async () => {
      const res = await basket('review', { [`qty${soap.id}`]: '1' }, { householdId: '' });
      expect(res.status).toBe(400);
      expect(marked(res.text)).toEqual([]);
      expect(banners(res.text)).toEqual(['请选择农户']);
      expect(res.text).not.toContain('标红');
    });
  });

  it('should show one banner on a form page refused by its DTO, with the field marked', async () => {
    const page = await clerk.get('/supermarket/goods/new');
    const res = await clerk
      .post('/supermarket/goods/new')
      .type('form')
      .send({ name: '酱油', unit: '瓶', pricePoints: '零', _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(400);
    expect(banners(res.text)).toEqual(['填写的内容有误，请检查标红的项目']);
    expect(marked(res.text)).toContain('f-pricePoints');
  });

  describe('the import template', () => {
    const importPage = () => committee.get('/households/import');
    const upload = async (file: Buffer, name: string) => {
      const page = await importPage();
      const action = /action="(\/households\/import\?_csrf=[^"]+)"/.exec(page.text)?.[1] as string;
      return committee.post(action.replace(/&amp;/g, '&')).attach('file', file, name);
    };
    const named = (headName: string) =>
      t.dataSource.getRepository(Household).findOneBy({ villageId: scene.village.id, headName });

    it('should link both templates from the import page', async () => {
      const page = await importPage();
      expect(page.text).toContain('href="/households/import/template.xlsx"');
      expect(page.text).toContain('href="/households/import/template.csv"');
    });

    it("should give a CSV template with the importer's header and one example, which imports once edited", async () => {
      const res = await bytesOf(committee.get('/households/import/template.csv'));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/attachment/);
      const rows = parseCsv((res.body as Buffer).toString('utf8').replace(/^\uFEFF/, '')).filter((r) =>
        r.some(Boolean),
      );
      expect(rows[0]).toEqual(IMPORT_HEADER);
      expect(rows).toHaveLength(2);
      const edited = (res.body as Buffer).toString('utf8').replace('张三', '钱模板');
      const imported = await upload(Buffer.from(edited, 'utf8'), '导入农户模板.csv');
      expect(imported.status).toBeLessThan(400);
      const made = await named('钱模板');
      expect(made?.memberCount).toBe(4);
      expect(made?.phone).toBe('13800000000');
    });

    it('should give an .xlsx template with the same header and text columns for phone and PIN, which imports once edited', async () => {
      const res = await bytesOf(committee.get('/households/import/template.xlsx'));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.body as never);
      const sheet = book.worksheets[0];
      expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(IMPORT_HEADER);
      expect(sheet.actualRowCount).toBe(2);
      expect(sheet.getColumn(4).numFmt).toBe('@');
      expect(sheet.getColumn(5).numFmt).toBe('@');
      sheet.getCell('A2').value = '孙模板';
      sheet.getCell('E2').value = '0123';
      sheet.addRow(['周模板', '', '2', '', '']);
      const imported = await upload(Buffer.from(await book.xlsx.writeBuffer()), '导入农户模板.xlsx');
      expect(imported.status).toBeLessThan(400);
      expect((await named('孙模板'))?.phone).toBe('13800000000');
      expect((await named('周模板'))?.memberCount).toBe(2);
      const sun = await named('孙模板');
      const login = await request(t.http)
        .post('/api/v1/auth/villager-login')
        .send({ householdCode: sun?.code, pin: '0123' });
      expect(login.status).toBe(200);
    });

    it('should refuse the templates to a clerk, who may not import', async () => {
      expect((await clerk.get('/households/import/template.csv')).status).toBe(403);
      expect((await clerk.get('/households/import/template.xlsx')).status).toBe(403);
    });
  });
});

import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { DEMO_PASSWORD, DEMO_PIN } from '../../seeds/demo-county.js';
import { todayInChina } from '../../src/common/dates.js';
import { browserWindow, launchBrowser, listenOnFreePort, saveScreenshot } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';
import { afterPeriodEnds } from '../support/ranking-fixtures.js';

jest.setTimeout(120000);

/**
 * What the village publishes, in a real browser on the demo county: the board with an approved ranking, red and black
 * lists and star households, each section printing on one A4 sheet; the villager's page with rank and stars.
 */
let t: TestApp;
let browser: Browser;
let baseUrl: string;
let villageId: number;
const url = (path: string) => `${baseUrl}${path}`;
const month = todayInChina().slice(0, 7);

/** Pages in a PDF (each page object carries `/Type /Page`, the page tree `/Type /Pages`). */
const pdfPages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo', env: { PUBLICATION_MIN_DAYS: '0' } });
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
  villageId = (await t.dataSource.query(`SELECT id FROM village WHERE code = 'TY'`))[0].id;
  const committee = await t.token('ty_admin', DEMO_PASSWORD);
  const snap = await afterPeriodEnds(t, month, () =>
    request(t.http)
      .post(`/api/v1/villages/${villageId}/ranking-snapshots`)
      .set(auth(committee))
      .send({ period: month }),
  );
  if (snap.status === 201)
    await request(t.http)
      .post(`/api/v1/ranking-snapshots/${snap.body.id}/approve`)
      .set(auth(await t.token('qs_township', DEMO_PASSWORD)));
  const [first] = await t.dataSource.query(`SELECT id FROM household WHERE code = 'TY-0001'`);
  await request(t.http)
    .put(`/api/v1/villages/${villageId}/ranking-settings`)
    .set(auth(committee))
    .send({ starThresholds: '1,2,3,4,5', blackListMode: 'NAMED', redListSize: 30 });
  const candidates = await request(t.http)
    .get(`/api/v1/villages/${villageId}/list-candidates?period=${month}`)
    .set(auth(committee));
  const red = candidates.body.red[0] ?? null;
  if (red) {
    await request(t.http)
      .post(`/api/v1/villages/${villageId}/list-entries`)
      .set(auth(committee))
      .send({ period: month, list: 'RED', householdId: red.householdId, reason: '热心公益，带头清理河道' });
    await request(t.http)
      .post(`/api/v1/villages/${villageId}/lists/publish`)
      .set(auth(committee))
      .send({ period: month });
  }
  expect(first).toBeDefined();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe.each([
  [390, 844],
  [1280, 800],
])('the public board at %i px', (width, height) => {
  const w = browserWindow(() => ({ browser, baseUrl }), width, height);
  beforeAll(() => w.open());
  afterAll(() => w.context?.close());

  it('should show every section with no login and no accessibility problem', async () => {
    await w.page.goto(url(`/public/villages/${villageId}`));
    expect(await w.h1().innerText()).toBe('桃源村公示栏');
    for (const heading of ['积分公示', '积分排名', '红黑榜', '星级文明户', '积分超市商品'])
      expect(await w.page.getByRole('heading', { level: 2, name: new RegExp(heading) }).count()).toBe(1);
    await w.look(`board-${width}`);
    w.expectNoProblems();
  });
});

describe('printing the board', () => {
  it('should print each section on one A4 sheet without the site header', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    for (const section of ['ranking', 'lists', 'stars', 'catalogue']) {
      await page.goto(url(`/public/villages/${villageId}?section=${section}`));
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.site-header').isVisible()).toBe(false);
      expect(await page.locator('.board-print').isVisible()).toBe(false);
      await saveScreenshot(page, `board-print-${section}`);
      const pdf = await page.pdf({ format: 'A4' });
      expect([section, pdfPages(pdf)]).toEqual([section, 1]);
      await page.emulateMedia({ media: 'screen' });
    }
    await context.close();
  });
});

describe('a villager on a phone', () => {
  const phone = browserWindow(() => ({ browser, baseUrl }), 390, 844);
  beforeAll(() => phone.open());
  afterAll(() => phone.context?.close());

  it('should see the month rank and this year’s stars on the villager page', async () => {
    const { page } = phone;
    await page.goto(url('/villager'));
    await page.getByLabel('户号').fill('TY-0001');
    await page.getByLabel('密码(PIN)').fill(DEMO_PIN);
    await page.getByRole('button', { name: '查看我的积分' }).click();
    await page.waitForURL(url('/villager'));
    const balances = await page.locator('.balances').innerText();
    // A rank only with points this month (issue 10).
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const [total] = await t.dataSource.query(
      `SELECT t.points FROM period_total t JOIN household h ON h.id = t."householdId" WHERE h.code = 'TY-0001' AND t.period = '${month}'`,
    );
    if (Number(total?.points ?? 0) !== 0) expect(balances).toMatch(/本月（\d{4}-\d{2}）\s*第 \d+ 名/);
    else expect(balances).toMatch(/本月（\d{4}-\d{2}）\s*本月还没有得分/);
    expect(balances).toMatch(/\d{4} 年星级\s*(★+ \d 星|未评星)/);
    await phone.look('villager-rank-stars');
    phone.expectNoProblems();
  });
});

import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seeds/demo-county.js';
import { browserWindow, launchBrowser, listenOnFreePort, saveScreenshot } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { createHouseholdWithPoints } from '../support/supermarket-fixtures.js';

jest.setTimeout(120000);

/** The clerk at the counter, in Chromium on the demo county: find a household, redeem two goods, print, cancel. */
let t: TestApp;
let browser: Browser;
let baseUrl: string;
let code: string;
const url = (path: string) => `${baseUrl}${path}`;

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' });
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
  // A household with points to spend: carried over from paper (uploaded, approved by another member, 公示, posted).
  const committee = await t.token('ty_admin', DEMO_PASSWORD);
  const village = (await t.dataSource.query(`SELECT id FROM village WHERE code = 'TY'`))[0].id;
  const created = await createHouseholdWithPoints(t, committee, village, 80, {
    headName: '周桂芳',
    memberCount: 3,
    pin: '246810',
  });
  code = created.code;
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe.each([
  [390, 844],
  [1280, 800],
])('the clerk at %i px', (width, height) => {
  const w = browserWindow(() => ({ browser, baseUrl }), width, height);
  beforeAll(async () => {
    await w.open();
    await w.logIn('ty_clerk');
  });
  afterAll(() => w.context?.close());

  it('should look a household up, redeem two goods, print the receipt and cancel it', async () => {
    const { page } = w;
    page.on('dialog', (d) => void d.accept());
    await w.navTo('兑换');
    await page.waitForURL(url('/supermarket/counter'));
    await w.look(`counter-${width}`);
    await page.getByLabel('找农户：户号、户主姓名，或扫门牌二维码').fill(code);
    await page.getByRole('button', { name: '查找' }).click();
    const available = Number(await page.locator('#available').innerText());
    await page.getByLabel(/^香皂/).fill('2');
    await page.getByLabel(/^牙膏/).fill('1');
    expect(await page.locator('[data-basket-total]').innerText()).toContain('18');
    await w.look(`counter-basket-${width}`);
    await page.getByRole('button', { name: '下一步：核对' }).click();
    expect(await w.h1().innerText()).toBe('核对兑换单');
    expect(await page.locator('.big-line').innerText()).toContain(`兑换后剩 ${available - 18} 分`);
    await w.look(`counter-review-${width}`);
    await page.getByRole('button', { name: '确认兑换' }).click();
    await page.waitForURL(/\/supermarket\/redemptions\/\d+$/);
    expect(await page.getByRole('status').innerText()).toContain('兑换成功');
    const receiptNo = /DH-桃源村-\d{8}-\d{4}/.exec(await page.locator('.facts').innerText())?.[0];
    expect(receiptNo).toBeDefined();
    await w.look(`receipt-${width}`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    await saveScreenshot(page, `receipt-print-${width}`);
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('link', { name: '小票（58 mm）' }).click();
    expect(await page.locator('.thermal-receipt').innerText()).toContain(receiptNo as string);
    expect(
      await page.locator('.thermal-receipt').evaluate((el) => el.getBoundingClientRect().width),
    ).toBeLessThan(200);
    await w.look(`receipt-thermal-${width}`);
    await page.goBack();
    await page.getByLabel('撤销原因').fill('农户要换别的');
    await page.getByRole('button', { name: '撤销兑换' }).click();
    await page.waitForURL(/\/supermarket\/redemptions\/\d+$/);
    expect(await page.getByRole('status').innerText()).toContain('已撤销兑换单');
    expect(await page.locator('.receipt').innerText()).toContain('此兑换单已撤销');
    await page.goto(url(`/supermarket/counter?q=${code}`));
    expect(Number(await page.locator('#available').innerText())).toBe(available);
    w.expectNoProblems();
  });
});

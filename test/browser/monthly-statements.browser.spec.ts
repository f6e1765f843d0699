import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { Clock } from '../../src/common/clock.js';
import { currentPeriod, parsePeriod, type Period } from '../../src/common/periods.js';
import { browserWindow, launchBrowser, listenOnFreePort } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { auth, TEST_PASSWORD } from '../support/factories.js';
import { createTestGoods, newKey } from '../support/supermarket-fixtures.js';
import { createWorld } from '../support/world.js';

jest.setTimeout(180000);

/**
 * 超市月度账目 on a 390×844 phone: the supervision committee reads last month's statement in the supermarket menu and
 * signs it (签字确认), then the public board's 超市账目 section shows it, amounts on the screen, axe-clean.
 */
let t: TestApp;
let browser: Browser;
let baseUrl: string;
let world: Awaited<ReturnType<typeof createWorld>>;
let month: Period;
let redeemed: number;
const url = (path: string) => `${baseUrl}${path}`;

beforeAll(async () => {
  t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
  world = await createWorld(t);
  const clerk = world.tokens.CLERK;
  month = parsePeriod(currentPeriod('month').previous) as Period;
  // Last month's books: a donation and a redemption on its 15th.
  t.app.get(Clock).stopAt(new Date(`${month.start.slice(0, 8)}15T10:00:00+08:00`));
  try {
    const soap = await createTestGoods(t, clerk, world.ids.village, {
      name: '洗衣皂',
      unit: '块',
      pricePoints: 8,
      stock: 40,
    });
    await request(t.http)
      .post(`/api/v1/goods/${soap.id}/stock-in`)
      .set(auth(clerk))
      .send({ quantity: 25, source: 'DONATION', donor: '县妇联' });
    const res = await request(t.http)
      .post('/api/v1/redemptions')
      .set(auth(clerk))
      .send({
        householdId: world.household.id,
        items: [{ goodsId: soap.id, quantity: 3 }],
        idempotencyKey: newKey(),
      });
    expect(res.status).toBe(201);
    redeemed = res.body.totalPoints as number;
  } finally {
    t.app.get(Clock).stopAt(null);
  }
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the monthly statement at 390 px', () => {
  const w = browserWindow(() => ({ browser, baseUrl }), 390, 844);
  beforeAll(() => w.open());
  afterAll(() => w.context?.close());

  it('should let the supervision committee read last month and sign it, once', async () => {
    await w.page.goto(url('/login'));
    await w.page.getByLabel('用户名').fill(world.supervisor.username);
    await w.page.getByLabel('密码').fill(TEST_PASSWORD);
    await w.page.getByRole('button', { name: '登录', exact: true }).click();
    await w.page.waitForURL(url('/'));
    await w.navTo('月度账目');
    await w.page.waitForURL(url('/supermarket/statements'));
    const main = w.page.locator('main');
    expect(await main.innerText()).toContain(`${month.label}超市账目`);
    expect(await main.innerText()).toContain('待签字确认');
    // The amounts of a goods' card are on the screen, not cut off to the right.
    const closing = w.page
      .getByRole('cell', { name: /月末库存/ })
      .filter({ hasText: '块' })
      .first();
    const box = (await closing.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await w.look('statement-prepared');
    w.expectNoProblems();

    const sign = w.page.getByRole('button', { name: `签字确认 ${month.label}账目` });
    expect((await sign.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await sign.click();
    await w.page.waitForURL(url(`/supermarket/statements?month=${month.key}`));
    expect(await w.page.getByRole('status').innerText()).toContain(`已签字确认${month.label}超市账目`);
    expect(await main.innerText()).toContain('已签字公开');
    expect(await w.page.getByRole('button', { name: /签字确认/ }).count()).toBe(0);
    await w.look('statement-signed');
    w.expectNoProblems();
  });

  it('should show the signed statement on the public board, printable on its own', async () => {
    await w.context.clearCookies();
    await w.page.goto(url(`/public/villages/${world.ids.village}?section=books`));
    const section = w.page.getByRole('region', { name: '积分超市月度账目' });
    const text = await section.innerText();
    expect(text).toContain(month.label);
    expect(text).toContain('县妇联');
    expect(text).toContain(`兑换 1 笔，共 ${redeemed} 分`);
    expect(text).toContain('村务监督委员会');
    // Only this section on the sheet.
    expect(await w.page.getByRole('heading', { name: '积分细则' }).count()).toBe(0);
    await w.look('statement-board');
    w.expectNoProblems();
  });
});

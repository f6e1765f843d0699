import { jest } from '@jest/globals';
import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seeds/demo-county.js';
import { browserWindow, launchBrowser, listenOnFreePort, seriousAxeViolations } from '../support/browser.js';
import { createTestApp, TEST_ADMIN, type TestApp } from '../support/create-test-app.js';

jest.setTimeout(120000);

/**
 * Staff tables on a phone (issue 19 item 7): at 390 px the number that matters (a good's stock, a household's
 * balance) and the row's actions are on the screen, not in a column scrolled out of sight, and the actions are
 * big enough to tap. At 1280 px the same pages are still tables.
 */
let t: TestApp;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' });
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** The cells of the column headed `heading`, one per body row (found by the header's position). */
async function column(page: Page, heading: string): Promise<Locator> {
  const headings = await page.locator('table thead th').allInnerTexts();
  const index = headings.findIndex((text) => text.trim() === heading);
  expect(index).toBeGreaterThanOrEqual(0);
  return page.locator(`table tbody tr > td:nth-child(${index + 1})`);
}

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error(`not shown: ${await locator.evaluate((el) => el.outerHTML)}`);
  return found;
}

/** Page-level checks for both widths: no sideways scrolling, no serious accessibility problems. */
async function expectTidyPage(page: Page, name: string, width: number) {
  const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
  expect(scrollWidth).toBeLessThanOrEqual(width);
  expect(await seriousAxeViolations(page, name)).toEqual([]);
}

describe('at 390 px', () => {
  const w = browserWindow(() => ({ browser, baseUrl }), 390, 844);
  beforeAll(async () => {
    await w.open();
    await w.logIn('ty_admin');
  });
  afterAll(() => w.context?.close());

  it("should show every good's stock and its 入库 / 盘点 / 修改 on the screen, each at least 44 px tall", async () => {
    const { page } = w;
    await page.goto(`${baseUrl}/supermarket/goods`);
    const rows = page.locator('table tbody tr');
    const count = await rows.count();
    expect(count).toBeGreaterThanOrEqual(3);
    const stock = await column(page, '库存');
    expect(await stock.count()).toBe(count);
    for (let i = 0; i < count; i++) {
      const cell = stock.nth(i);
      expect(await cell.innerText()).toMatch(/-?\d+/);
      const where = await box(cell);
      expect(where.x).toBeGreaterThanOrEqual(0);
      expect(where.x + where.width).toBeLessThanOrEqual(390);
      for (const name of ['入库', '盘点', '修改']) {
        const action = await box(rows.nth(i).getByRole('link', { name, exact: true }));
        expect(action.x).toBeGreaterThanOrEqual(0);
        expect(action.x + action.width).toBeLessThanOrEqual(390);
        expect(action.height).toBeGreaterThanOrEqual(44);
      }
    }
    await w.look('phone-goods');
    await expectTidyPage(page, 'goods', 390);
    w.expectNoProblems();
  });

  it("should show every household's balance on the screen", async () => {
    const { page } = w;
    await page.goto(`${baseUrl}/households`);
    const rows = page.locator('table tbody tr');
    const count = await rows.count();
    expect(count).toBeGreaterThanOrEqual(3);
    const balances = await column(page, '可用积分');
    expect(await balances.count()).toBe(count);
    // Shown as cards, it is still a table to a screen reader: rows, and cells named with their column.
    expect(await page.getByRole('table').getByRole('row').count()).toBe(count + 1);
    expect(await page.getByRole('cell', { name: /^可用积分\s*\d+$/ }).count()).toBe(count);
    for (let i = 0; i < count; i++) {
      const cell = balances.nth(i);
      expect(await cell.innerText()).toMatch(/\d+/);
      const where = await box(cell);
      expect(where.x).toBeGreaterThanOrEqual(0);
      expect(where.x + where.width).toBeLessThanOrEqual(390);
      const open = await box(rows.nth(i).getByRole('link').first());
      expect(open.height).toBeGreaterThanOrEqual(44);
    }
    await w.look('phone-households');
    await expectTidyPage(page, 'households', 390);
    w.expectNoProblems();
  });
});

describe('a passbook at 390 px', () => {
  const w = browserWindow(() => ({ browser, baseUrl }), 390, 844);
  beforeAll(async () => {
    await w.open();
    await w.logIn('ty_admin');
  });
  afterAll(() => w.context?.close());

  it('should show every line’s points and balance on the screen, with no sideways scrolling', async () => {
    const { page } = w;
    const [household] = await t.dataSource.query(`SELECT id FROM household WHERE code = 'TY-0001'`);
    await page.goto(`${baseUrl}/households/${household.id}/passbook`);
    const rows = page.locator('table.passbook-table tbody tr');
    const count = await rows.count();
    expect(count).toBeGreaterThanOrEqual(3);
    for (const heading of ['积分', '可用余额']) {
      const cells = await column(page, heading);
      expect(await cells.count()).toBe(count);
      for (let i = 0; i < count; i++) {
        const cell = cells.nth(i);
        expect(await cell.innerText()).toMatch(/\d/);
        const where = await box(cell);
        expect(where.x).toBeGreaterThanOrEqual(0);
        expect(where.x + where.width).toBeLessThanOrEqual(390);
      }
    }
    await w.look('phone-passbook');
    await expectTidyPage(page, 'passbook', 390);
    w.expectNoProblems();
  });
});

describe('other staff lists at 390 px', () => {
  const w = browserWindow(() => ({ browser, baseUrl }), 390, 844);
  afterAll(() => w.context?.close());

  it.each([
    ['ty_admin', '/supermarket/goods/1'],
    ['ty_admin', '/supermarket/redemptions'],
    ['ty_admin', '/supermarket/reports'],
    ['ty_admin', '/admin/users'],
    [TEST_ADMIN.username, '/admin/users'],
    [TEST_ADMIN.username, '/admin/townships'],
  ])("should keep every cell of %s's %s on the screen and its actions tap-sized", async (user, path) => {
    await w.context?.close();
    await w.open();
    const { page } = w;
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('用户名').fill(user);
    await page.getByLabel('密码').fill(user === TEST_ADMIN.username ? TEST_ADMIN.password : DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}${path}`);
    const cells = page.locator('table tbody td');
    const count = await cells.count();
    expect(count).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < count; i++) {
      const where = await box(cells.nth(i));
      expect(where.x + where.width).toBeLessThanOrEqual(390);
    }
    // Actions: whatever sits in an 操作 cell, and every 修改 link in a table.
    const actions = page
      .locator('table td.row-actions a, table td.row-actions button')
      .or(page.locator('table tbody').getByRole('link', { name: '修改', exact: true }));
    if (path.startsWith('/admin/')) expect(await actions.count()).toBeGreaterThan(0);
    for (let i = 0; i < (await actions.count()); i++) {
      expect((await box(actions.nth(i))).height).toBeGreaterThanOrEqual(44);
    }
    await w.look(`phone-${user}${path.replace(/\W+/g, '-')}`);
    await expectTidyPage(page, path, 390);
    w.expectNoProblems();
  });
});

describe('at 1280 px', () => {
  const w = browserWindow(() => ({ browser, baseUrl }), 1280, 800);
  beforeAll(async () => {
    await w.open();
    await w.logIn('ty_admin');
  });
  afterAll(() => w.context?.close());

  it.each([
    ['/supermarket/goods', '库存'],
    ['/households', '可用积分'],
  ])('should still show %s as a table with its column headings', async (path, heading) => {
    const { page } = w;
    await page.goto(`${baseUrl}${path}`);
    // A table: the heading is shown full size, and every row's cell sits in a column right under it.
    const head = await box(page.getByRole('columnheader', { name: heading }));
    expect(head.height).toBeGreaterThan(20);
    const cells = await column(page, heading);
    for (let i = 0; i < (await cells.count()); i++) {
      const cell = await box(cells.nth(i));
      expect(Math.abs(cell.x - head.x)).toBeLessThan(1);
      expect(cell.width).toBeCloseTo(head.width, 0);
    }
    await w.look(`wide-${path.split('/').pop()}`);
    await expectTidyPage(page, path, 1280);
    w.expectNoProblems();
  });
});

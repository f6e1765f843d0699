import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { DEMO_PIN } from '../../seeds/demo-county.js';
import { browserWindow, launchBrowser, listenOnFreePort } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

jest.setTimeout(180000);

/**
 * 党员量化积分 in a real browser (issue 22.1), on the demo's 桃源村党支部: the second branch member approves the record
 * the first made, a member logs in with their own login and sees their own book, and every page passes axe at 390 px
 * and 1280 px without sideways scrolling.
 */
let t: TestApp;
let browser: Browser;
let baseUrl: string;
const url = (path: string) => `${baseUrl}${path}`;
const windowOf = (width: number, height: number) =>
  browserWindow(() => ({ browser, baseUrl }), width, height);

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo', env: { DEMO_HISTORY: 'off' } });
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe.each([
  ['phone', 390, 844],
  ['desktop', 1280, 900],
])('the party branch’s pages on a %s', (name, width, height) => {
  const screen = windowOf(width, height);
  beforeEach(() => screen.open());
  afterEach(() => screen.context?.close());

  it('should let the second branch member approve, with the form back and marked when a field is wrong', async () => {
    const { page } = screen;
    await screen.logIn('ty_party2');
    await page.getByRole('link', { name: '党员量化积分' }).first().click();
    await page.waitForURL(url('/party'));
    await screen.look(`party-${name}`);
    screen.expectNoProblems();
    // A wrong day brings the form back, marked, with what was typed.
    await page.locator('#f-partyMemberId').selectOption({ index: 1 });
    await page.locator('#f-ruleId').selectOption({ index: 1 });
    await page.locator('#f-occurredOn').fill('2099-01-01');
    await page.locator('#f-note').fill('带头清雪');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    expect(await page.locator('#f-occurredOn').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-note').inputValue()).toBe('带头清雪');
    await screen.look(`party-refused-${name}`);
    screen.expectNoProblems();
    if (name === 'phone') {
      const approve = page.getByRole('button', { name: /^审核通过/ }).first();
      const box = await approve.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      await approve.click();
      await page.waitForURL(/\/party#queue$/);
      expect(await page.locator('.flash').innerText()).toContain('已审核通过');
    }
  });

  it('should show a party member their own book, with last month’s base posted', async () => {
    const { page } = screen;
    const [member] = await t.dataSource.query(
      `SELECT p.id FROM party_member p JOIN household h ON h.id = p."householdId" WHERE h.code = 'TY-0001'`,
    );
    await page.goto(url('/login'));
    await page.getByLabel('用户名').fill('ty-0001-dy1');
    await page.getByLabel('密码').fill(DEMO_PIN);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL(url('/'));
    await page.getByRole('link', { name: '我的党员积分' }).first().click();
    await page.waitForURL(url(`/party/members/${member.id}`));
    const text = await page.locator('main').innerText();
    expect(text).toContain('党员积分存折');
    expect(text).toContain('基础分');
    await screen.look(`party-member-${name}`);
    screen.expectNoProblems();
  });
});

import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { todayInChina } from '../../src/common/dates.js';
import { DEMO_PASSWORD, DEMO_PIN } from '../../seeds/demo-county.js';
import { browserWindow, launchBrowser, listenOnFreePort } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';

jest.setTimeout(180000);

/**
 * 银行授权查询 (issue 22 point 3) on a 390×844 phone and a 1280×900 desk: a household makes a consent code on its page,
 * the bank's loan officer types it on /bank (a wrong one first), sees the household and records the outcome, and the
 * household finds the officer's look on its page. Each page is checked with axe-core and for sideways scrolling.
 */
let t: TestApp;
let browser: Browser;
let baseUrl: string;
const url = (path: string) => `${baseUrl}${path}`;

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo', env: { DEMO_HISTORY: 'off' } });
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
  const [village] = await t.dataSource.query(`SELECT "townshipId" FROM village WHERE code = 'TY'`);
  const officer = await request(t.http)
    .post('/api/v1/users')
    .set(auth(await t.adminToken()))
    .send({
      username: 'bank_zhang',
      displayName: '农商行张信贷',
      password: DEMO_PASSWORD,
      role: 'BANK',
      townshipId: village.townshipId,
    });
  if (officer.status !== 201) throw new Error(`officer: ${officer.status} ${JSON.stringify(officer.body)}`);
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe.each([
  ['a 390×844 phone', 390, 844, 'TY-0004'],
  ['a 1280×900 desk', 1280, 900, 'TY-0002'],
])('the bank view with consent on %s', (name, width, height, householdCode) => {
  const screen = browserWindow(() => ({ browser, baseUrl }), width, height);
  let code = '';
  beforeEach(() => screen.open());
  afterEach(() => screen.context?.close());

  it('should let the household make a code on its own page, shown once', async () => {
    const { page } = screen;
    await page.goto(url('/villager'));
    await page.getByLabel('户号').fill(householdCode);
    await page.getByLabel('密码(PIN)').fill(DEMO_PIN);
    await page.getByRole('button', { name: '查看我的积分' }).click();
    await page.waitForURL(url('/villager'));
    await page.getByRole('button', { name: '生成授权码' }).click();
    await page.waitForURL(/\/villager/);
    const flash = await page.getByRole('status').innerText();
    code = /授权码是 (\d{6})/.exec(flash)![1];
    const section = page.locator('#bank-consents');
    expect(await section.innerText()).toContain(`尾号 ${code.slice(-2)} 的授权码`);
    expect(await section.innerText()).toContain('有效');
    await screen.look('villager-consents');
    screen.expectNoProblems();
  });

  it('should let the officer see the household with the code, after a wrong one is refused', async () => {
    const { page } = screen;
    await screen.logIn('bank_zhang');
    await page
      .getByRole('link', { name: /积分贷查询/ })
      .first()
      .click();
    await page.waitForURL(url('/bank'));
    await screen.look('bank');
    await page.locator('#f-consentCode').fill(code === '000000' ? '000001' : '000000');
    await page.getByRole('button', { name: '查看' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('授权码不对');
    expect(await page.locator('#f-consentCode').getAttribute('aria-invalid')).toBe('true');
    await screen.look('bank-refused');
    await page.locator('#f-consentCode').fill(code);
    await page.getByRole('button', { name: '查看' }).click();
    const found = page.locator('#found');
    expect(await found.innerText()).toContain(householdCode);
    expect(await found.innerText()).toContain('累计积分');
    await screen.look('bank-found');
    await page.locator('#f-outcome').selectOption({ label: '已放贷' });
    await page.locator('#f-band').selectOption('5-10万');
    await page.getByRole('button', { name: '记录' }).click();
    await page.waitForURL(url('/bank'));
    expect(await page.getByRole('status').innerText()).toContain('已记录贷款结果');
    await screen.look('bank-recorded');
    screen.expectNoProblems();
  });

  it('should show the household every use of its code by the bank', async () => {
    const { page } = screen;
    await page.goto(url('/villager'));
    await page.getByLabel('户号').fill(householdCode);
    await page.getByLabel('密码(PIN)').fill(DEMO_PIN);
    await page.getByRole('button', { name: '查看我的积分' }).click();
    await page.waitForURL(url('/villager'));
    const section = await page.locator('#bank-consents').innerText();
    expect(section).toContain('农商行张信贷 查看了本户的信用等级和积分');
    expect(section).toContain('贷款结果：已放贷（5-10万）');
    expect(section).not.toContain(code);
    await page.locator('#bank-consents').scrollIntoViewIfNeeded();
    await screen.look('villager-consent-used');
    screen.expectNoProblems();
  });

  it('should show the township the outcomes counted per village and band, no household named', async () => {
    const { page } = screen;
    await screen.logIn('qs_township');
    await page.goto(url(`/township?period=${todayInChina().slice(0, 4)}`));
    const table = page.locator('table.loan-outcomes');
    const row = table.locator('tr').filter({ hasText: '桃源村' });
    expect(await row.locator('td[data-label="已放贷"]').innerText()).not.toBe('0');
    expect(await table.innerText()).not.toContain(householdCode);
    await table.scrollIntoViewIfNeeded();
    await screen.look('township-loan-outcomes');
    screen.expectNoProblems();
  });
});

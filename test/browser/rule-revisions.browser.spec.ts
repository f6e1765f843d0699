import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { todayInChina } from '../../src/common/dates.js';
import { browserWindow, launchBrowser, listenOnFreePort } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

jest.setTimeout(120000);

/**
 * Issue 20.1 in Chromium on the demo county at 390 px: the committee drafts a new rule, records the 村民代表会议's
 * vote (a failed one first) and submits it; the township sees it on its start page and files it; the board then
 * shows the new rule and the day the list was filed.
 */
let t: TestApp;
let browser: Browser;
let baseUrl: string;
const url = (path: string) => `${baseUrl}${path}`;
const today = todayInChina();

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' });
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('a rule revision from draft to filing at 390 px', () => {
  const committee = browserWindow(() => ({ browser, baseUrl }), 390, 844);
  const reviewer = browserWindow(() => ({ browser, baseUrl }), 390, 844);
  beforeAll(async () => {
    await committee.open();
    await committee.logIn('ty_admin');
    await reviewer.open();
    await reviewer.logIn('qs_township');
  });
  afterAll(async () => {
    await committee.context?.close();
    await reviewer.context?.close();
  });

  it('should let the committee draft, record the vote and submit, with no accessibility problem', async () => {
    const { page } = committee;
    await page.goto(url('/rules'));
    await page.getByRole('link', { name: '修订细则' }).click();
    await page.waitForURL(url('/rule-revisions'));
    await committee.look('revisions-committee-390');
    await page.getByRole('link', { name: '起草修订' }).click();
    await page.getByLabel('要做的修改').selectOption('ADD');
    await page.getByLabel('细则编号').fill('YF-09');
    await page.getByLabel('类别').selectOption('移风易俗');
    await page.getByLabel('细则内容').fill('红白喜事简办');
    await page.getByLabel('固定分值').fill('8');
    await committee.look('revision-new-390');
    await page.getByRole('button', { name: '起草修订' }).click();
    await page.waitForURL(/\/rule-revisions\/\d+$/);
    expect(await page.locator('.revision-status').innerText()).toBe('草稿');
    expect(await page.getByText('YF-09 红白喜事简办（+8）').isVisible()).toBe(true);

    await page.getByLabel('会议日期').fill(today);
    await page.getByLabel('到会代表人数').fill('21');
    await page.getByLabel('赞成').fill('9');
    await page.getByLabel('反对').fill('10');
    await page.getByLabel('弃权').fill('2');
    await page.getByLabel('会议记录').fill('全体代表举手表决。');
    await page.getByRole('button', { name: '登记表决结果' }).click();
    // A failed vote comes back with the numbers typed and the field marked.
    expect(await page.locator('#e-votesFor').innerText()).toBe('赞成票应超过到会人数的一半');
    expect(await page.getByLabel('赞成').inputValue()).toBe('9');
    await committee.look('revision-vote-failed-390');
    await page.getByLabel('赞成').fill('16');
    await page.getByLabel('反对').fill('3');
    await page.getByRole('button', { name: '登记表决结果' }).click();
    await page.waitForURL(/\/rule-revisions\/\d+$/);
    expect(await page.locator('.revision-status').innerText()).toBe('已表决通过，待报乡镇');
    expect(await page.getByText('到会 21 人，赞成 16 票，反对 3 票，弃权 2 票').isVisible()).toBe(true);
    const submit = page.getByRole('button', { name: '报乡镇备案' });
    expect((await submit.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await submit.click();
    await page.waitForURL(/\/rule-revisions\/\d+$/);
    expect(await page.locator('.revision-status').innerText()).toBe('已报乡镇，待备案');
    await committee.look('revision-submitted-390');
    // Not in force until filed.
    await page.goto(url('/rules'));
    expect(await page.getByText('红白喜事简办').count()).toBe(0);
    committee.expectNoProblems();
  });

  it('should show the township the revision on its start page and file it; the board then shows it', async () => {
    const { page } = reviewer;
    await page.goto(url('/'));
    const todo = page.getByRole('link', { name: /待备案细则修订/ });
    expect(await todo.innerText()).toMatch(/1/);
    await todo.click();
    await page.waitForURL(url('/rule-revisions'));
    expect(await page.getByText('YF-09 红白喜事简办（+8）').isVisible()).toBe(true);
    await reviewer.look('revisions-township-390');
    const file = page.getByRole('button', { name: /^备案 桃源村/ });
    const box = (await file.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await file.click();
    await page.waitForURL(url('/rule-revisions'));
    expect(await page.getByRole('status').innerText()).toContain('已备案');
    expect(await page.getByText('没有等待备案的细则修订').isVisible()).toBe(true);
    reviewer.expectNoProblems();

    const villageId = (await t.dataSource.query(`SELECT id FROM village WHERE code = 'TY'`))[0].id;
    await page.goto(url(`/public/villages/${villageId}?section=rules`));
    const section = page.getByRole('region', { name: '积分细则' });
    expect(await section.getByText(`经村民代表会议通过（${today}），报乡镇备案（${today}）`).count()).toBe(1);
    expect(await section.getByText('红白喜事简办').isVisible()).toBe(true);
    await reviewer.look('board-rules-filed-390');
    reviewer.expectNoProblems();
  });
});

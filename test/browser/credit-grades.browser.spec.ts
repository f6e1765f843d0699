import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { Clock } from '../../src/common/clock.js';
import { addDays, todayInChina } from '../../src/common/dates.js';
import { DEMO_PIN } from '../../seeds/demo-county.js';
import { browserWindow, launchBrowser, listenOnFreePort } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

jest.setTimeout(180000);

/**
 * Issue 22.2 in Chromium on the demo county: the committee records its voted thresholds (a wrong one marked, what was
 * typed kept), computes and publicises the year's grades at 390 px; a household objects on its own page; the committee
 * upholds it; the next day it submits, and the township files it at 1280 px and sees the village grade on its overview.
 */
let t: TestApp;
let browser: Browser;
let baseUrl: string;
const url = (path: string) => `${baseUrl}${path}`;
const year = Number(todayInChina().slice(0, 4));

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo', env: { PUBLICATION_MIN_DAYS: '0' } });
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  t?.app.get(Clock).stopAt(null);
  await browser?.close();
  await t?.close();
});

describe('credit grades from the committee to the township', () => {
  const committee = browserWindow(() => ({ browser, baseUrl }), 390, 844);
  const phone = browserWindow(() => ({ browser, baseUrl }), 390, 844);
  const desk = browserWindow(() => ({ browser, baseUrl }), 1280, 800);
  afterAll(async () => {
    for (const w of [committee, phone, desk]) await w.context?.close();
  });

  it('should let the committee set its thresholds, marking a wrong one, then compute and publicise at 390 px', async () => {
    await committee.open();
    await committee.logIn('ty_admin');
    const { page } = committee;
    await committee.navTo('信用户');
    await page.waitForURL(url('/credit-grades'));
    await committee.look('credit-grades-new-390');
    const second = page.getByRole('group', { name: '第 2 级' });
    await second.getByLabel('本年积分至少').fill('400');
    await page.getByRole('button', { name: '保存标准' }).click();
    // AAA asks 300, AA now 400: the form again, the field marked, what was typed kept.
    expect(await page.locator('#e-level0MinPoints').innerText()).toContain('不能低于下一级');
    expect(await page.getByRole('group', { name: '第 2 级' }).getByLabel('本年积分至少').inputValue()).toBe(
      '400',
    );
    await committee.look('credit-grades-rules-refused-390');
    await page.getByRole('group', { name: '第 2 级' }).getByLabel('本年积分至少').fill('200');
    await page.getByRole('button', { name: '保存标准' }).click();
    await page.waitForURL(/\/credit-grades\?year=\d{4}$/);
    expect(await page.getByRole('status').innerText()).toContain('信用等级标准已保存');

    await page.getByRole('button', { name: `评定${year}年信用等级` }).click();
    await page.waitForURL(/\/credit-grades\?year=\d{4}$/);
    expect(await page.getByRole('status').innerText()).toMatch(/已评定\d{4}年 \d+ 户的信用等级/);
    expect(await page.locator('.credit-status').innerText()).toBe('已评定，待公示');
    await page.getByLabel('公示天数').fill('1');
    await page.getByRole('button', { name: '公示', exact: true }).click();
    await page.waitForURL(/\/credit-grades\?year=\d{4}$/);
    expect(await page.locator('.credit-status').innerText()).toBe('公示中');
    await committee.look('credit-grades-publicized-390');
    committee.expectNoProblems();
  });

  it('should show a household its grade on its own page and take its objection', async () => {
    await phone.open();
    const { page } = phone;
    await page.goto(url('/villager'));
    await page.getByLabel('户号').fill('TY-0005');
    await page.getByLabel('密码(PIN)').fill(DEMO_PIN);
    await page.getByRole('button', { name: '查看我的积分' }).click();
    await page.waitForURL(url('/villager'));
    const section = page.locator('#credit-grade');
    expect(await section.getByRole('heading').innerText()).toBe(`${year}年信用等级`);
    await phone.look('villager-credit-grade-390');
    await section.getByRole('button', { name: '提出异议' }).click();
    // No reason: the form again with the field marked.
    expect(await page.locator('#e-creditReason').innerText()).toContain('请写明异议的理由');
    await page.locator('#f-creditReason').fill('今年帮扶孤寡老人的积分没有算进去');
    await page.locator('#credit-grade').getByRole('button', { name: '提出异议' }).click();
    await page.waitForURL(url('/villager#credit-grade'));
    expect(await page.getByRole('status').innerText()).toContain('异议已提交');
    expect(await page.locator('#credit-grade').innerText()).toContain('等待答复');
    phone.expectNoProblems();
  });

  it('should let the committee uphold the objection with a new grade, and submit once the window has ended', async () => {
    const { page } = committee;
    await page.goto(url('/credit-grades'));
    await page.getByLabel('异议成立时调整为').selectOption('AA');
    await page.getByLabel('答复（说明理由）').fill('核实有帮扶记录');
    await page.getByRole('button', { name: 'TY-0005 的异议成立' }).click();
    await page.waitForURL(/\/credit-grades\?year=\d{4}$/);
    expect(await page.getByRole('status').innerText()).toContain('的等级为 AA');
    expect(await page.getByText('异议成立：核实有帮扶记录').isVisible()).toBe(true);
    await committee.look('credit-grades-answered-390');

    t.app.get(Clock).stopAt(new Date(`${addDays(todayInChina(), 1)}T09:00:00+08:00`));
    await page.goto(url('/credit-grades'));
    await page.getByRole('button', { name: '报乡镇备案' }).click();
    await page.waitForURL(/\/credit-grades\?year=\d{4}$/);
    expect(await page.locator('.credit-status').innerText()).toBe('已报乡镇备案');
    committee.expectNoProblems();
  });

  it('should let the township choose the village and file it at 1280 px, and show the village grade', async () => {
    await desk.open();
    await desk.logIn('qs_township');
    const { page } = desk;
    await page.goto(url('/credit-grades'));
    await desk.look('credit-grades-chooser-1280');
    await page.getByRole('link', { name: '桃源村' }).click();
    await page.waitForURL(/\/credit-grades\?villageId=\d+$/);
    await desk.look('credit-grades-submitted-1280');
    await page.getByRole('button', { name: '备案', exact: true }).click();
    await page.waitForURL(/\/credit-grades\?villageId=\d+&year=\d{4}$/);
    expect(await page.getByRole('status').innerText()).toContain(`已备案桃源村${year}年的信用等级`);
    expect(await page.locator('.credit-status').innerText()).toBe('乡镇已备案');
    await desk.look('credit-grades-filed-1280');

    await page.goto(url(`/township?period=${year}`));
    const credit = page.getByRole('region', { name: `${year}年信用村评定` });
    expect(await credit.getByRole('row', { name: /桃源村/ }).innerText()).toMatch(/信用村|未达标/);
    await desk.look('township-credit-1280');
    t.app.get(Clock).stopAt(null);
    desk.expectNoProblems();
  });
});

describe('the credit pages at the other width', () => {
  const desk = browserWindow(() => ({ browser, baseUrl }), 1280, 800);
  const phone = browserWindow(() => ({ browser, baseUrl }), 390, 844);
  afterAll(async () => {
    for (const w of [desk, phone]) await w.context?.close();
  });

  it('should show the committee its grades table and rules at 1280 px', async () => {
    await desk.open();
    await desk.logIn('ty_admin');
    await desk.page.goto(url('/credit-grades'));
    expect(await desk.page.getByRole('table').getByRole('row').count()).toBeGreaterThan(1);
    await desk.look('credit-grades-committee-1280');
    desk.expectNoProblems();
  });

  it('should show the township its village’s grades and the overview’s credit table at 390 px', async () => {
    await phone.open();
    await phone.logIn('qs_township');
    await phone.page.goto(url('/credit-grades'));
    await phone.page.getByRole('link', { name: '桃源村' }).click();
    await phone.page.waitForURL(/\/credit-grades\?villageId=\d+$/);
    await phone.look('credit-grades-township-390');
    await phone.page.goto(url(`/township?period=${year}`));
    await phone.look('township-credit-390');
    phone.expectNoProblems();
  });
});

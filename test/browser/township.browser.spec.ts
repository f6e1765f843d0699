import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { DEMO_PASSWORD } from '../../seeds/demo-county.js';
import { todayInChina } from '../../src/common/dates.js';
import { parsePeriod } from '../../src/common/periods.js';
import { browserWindow, launchBrowser, listenOnFreePort } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';

jest.setTimeout(120000);

/**
 * The township reviewer in Chromium on the demo county: returns one village's ranking with a comment, approves
 * another's, and opens the dashboard with its charts; the committee sees the comment and submits again.
 */
let t: TestApp;
let browser: Browser;
let baseUrl: string;
const url = (path: string) => `${baseUrl}${path}`;
// Last month: only an ended period's ranking goes to the township.
const month = parsePeriod(todayInChina().slice(0, 7))!.previous;

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' });
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
  for (const [code, user] of [
    ['TY', 'ty_admin'],
    ['LH', 'lh_admin'],
    ['SQ', 'sq_admin'],
  ]) {
    const village = (await t.dataSource.query(`SELECT id FROM village WHERE code = '${code}'`))[0].id;
    await request(t.http)
      .post(`/api/v1/villages/${village}/ranking-snapshots`)
      .set(auth(await t.token(user, DEMO_PASSWORD)))
      .send({ period: month });
  }
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe.each([
  [390, 844, '柳河村'],
  [1280, 800, '石桥村'],
])('at %i px', (width, height, approved) => {
  const reviewer = browserWindow(() => ({ browser, baseUrl }), width, height);
  const committee = browserWindow(() => ({ browser, baseUrl }), width, height);
  beforeAll(async () => {
    await reviewer.open();
    await reviewer.logIn('qs_township');
    await committee.open();
    await committee.logIn('ty_admin');
  });
  afterAll(async () => {
    await reviewer.context?.close();
    await committee.context?.close();
  });

  it('should return one ranking with a comment, approve the other, and show the charts', async () => {
    const { page } = reviewer;
    await reviewer.nav().getByRole('link', { name: '排名审核' }).click();
    await page.waitForURL(url('/township/reviews'));
    await reviewer.look(`reviews-${width}`);
    await page.getByRole('link', { name: new RegExp(`桃源村 · ${month}`) }).click();
    await reviewer.look(`snapshot-${width}`);
    await page.getByLabel('退回意见').fill('第二名的加分缺少照片，请核实后重新提交');
    await page.getByRole('button', { name: '退回村里' }).click();
    await page.waitForURL(url('/township/reviews'));
    expect(await page.getByRole('status').innerText()).toContain('已退回');
    await page.getByRole('link', { name: new RegExp(`${approved} · ${month}`) }).click();
    await page.getByRole('button', { name: '审核通过' }).click();
    await page.waitForURL(url('/township/reviews'));
    expect(await page.getByRole('status').innerText()).toContain('已通过');

    await committee.page.goto(url(`/rankings?period=${month}`));
    expect(
      await committee.page.getByText('乡镇意见：第二名的加分缺少照片，请核实后重新提交').count(),
    ).toBeGreaterThan(0);
    await committee.look(`ranking-returned-${width}`);
    await committee.page.getByRole('button', { name: /提交.*排名给乡镇审核/ }).click();
    expect(await committee.page.getByRole('status').innerText()).toContain('已将');

    await reviewer.nav().getByRole('link', { name: '乡镇总览' }).click();
    await page.waitForURL(/\/township$/);
    await page.goto(url(`/township?period=${month}`));
    expect(await page.locator('svg.chart[role="img"]').count()).toBe(4);
    expect(await page.getByRole('row').filter({ hasText: approved }).innerText()).toContain('已通过');
    await reviewer.look(`township-dashboard-${width}`);
    reviewer.expectNoProblems();
    committee.expectNoProblems();
  });
});

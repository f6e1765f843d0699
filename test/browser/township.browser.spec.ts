import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { DEMO_PASSWORD } from '../../seeds/demo-county.js';
import { todayInChina } from '../../src/common/dates.js';
import { currentPeriod, parsePeriod } from '../../src/common/periods.js';
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
// Last month: only an ended period's ranking goes to the township, and the dashboard opens on it.
const month = parsePeriod(todayInChina().slice(0, 7))!.previous;
const lastEnded = parsePeriod(currentPeriod('month').previous)!;

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
    await reviewer.navTo('排名审核');
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

    await reviewer.navTo('乡镇总览');
    await page.waitForURL(/\/township$/);
    // It opens on the last ended month; the month just approved is one pick away.
    expect(await reviewer.h1().innerText()).toContain(`${lastEnded.label}总览`);
    await page.getByLabel('期间').selectOption(month);
    await page.getByRole('button', { name: '查看' }).click();
    expect(await reviewer.h1().innerText()).toContain(`${parsePeriod(month)!.label}总览`);
    const card = page.locator('.village-cards > li').filter({ hasText: approved });
    expect(await card.innerText()).toContain('已通过');

    // Every village's pending count is on the screen (not in a column scrolled out of it), and on the first screen
    // for the first village.
    const pending = page.locator('.village-cards .record-points');
    expect(await pending.count()).toBe(3);
    for (const count of await pending.all()) {
      expect(await count.innerText()).toMatch(/^待审核 \d+ 条$/);
      const box = (await count.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
    }
    expect((await pending.first().boundingBox())!.y + 30).toBeLessThanOrEqual(height);
    for (const link of await card.getByRole('link').all())
      expect((await link.boundingBox())!.height).toBeGreaterThanOrEqual(44);

    // Four charts, each with a title one can see, their labels at least 12 px on the screen.
    expect(await page.locator('svg.chart[role="img"]').count()).toBe(4);
    expect(await page.locator('figcaption.chart-title').allInnerTexts()).toEqual([
      `${parsePeriod(month)!.label}各村积分`,
      '近 12 个月全乡镇积分',
      `${parsePeriod(month)!.label}各类积分`,
      `${parsePeriod(month)!.label}农户积分分布（户数）`,
    ]);
    // The font size in SVG units times the chart's scale on the screen, for the smallest text of the four.
    const smallestText =
      (await page.evaluate(`Math.min(...[...document.querySelectorAll('svg.chart')].flatMap((svg) =>
      [...svg.querySelectorAll('text')].map((t) =>
        Number(t.getAttribute('font-size')) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width)))`)) as number;
    expect(smallestText).toBeGreaterThanOrEqual(12);
    await reviewer.look(`township-dashboard-${width}`);
    reviewer.expectNoProblems();
    committee.expectNoProblems();
  });
});

import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { DEMO_PASSWORD } from '../../seeds/demo-county.js';
import { todayInChina } from '../../src/common/dates.js';
import { launchBrowser, listenOnFreePort } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';
import { daysAgo } from '../support/scoring-fixtures.js';
import { newKey } from '../support/supermarket-fixtures.js';

jest.setTimeout(180000);

/**
 * XSS: what people type (names, notes, reasons, titles) full of markup is shown as text on every page that shows it,
 * never run: no dialog opens, no injected element appears, and the literal text is visible. The CSP forbids inline
 * scripts anyway (checked too).
 */
const MARK = `<img src=x onerror=alert(1)><script>alert(2)</script>"'&`;
const name = (label: string) => `${label}${MARK}`.slice(0, 40);

let t: TestApp;
let browser: Browser;
let baseUrl: string;
let ids: { household: number; village: number; publication: number; redemption: number; goods: number };

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo', env: { PUBLICATION_MIN_DAYS: '0', DEMO_HISTORY: 'off' } });
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
  const committee = await t.token('ty_admin', DEMO_PASSWORD);
  const scorer = await t.token('ty_grid', DEMO_PASSWORD);
  const clerk = await t.token('ty_clerk', DEMO_PASSWORD);
  const village = (await t.dataSource.query(`SELECT id FROM village WHERE code = 'TY'`))[0].id as number;
  const household = await request(t.http)
    .post('/api/v1/households')
    .set(auth(committee))
    .send({ villageId: village, headName: name('户'), memberCount: 2, pin: '135790' });
  const rule = await request(t.http)
    .post('/api/v1/rules')
    .set(auth(committee))
    .send({ villageId: village, code: 'X-01', category: '德治', title: name('细则'), points: 60 });
  const rec = await request(t.http)
    .post('/api/v1/score-records')
    .set(auth(scorer))
    .send({
      householdId: household.body.id,
      ruleId: rule.body.id,
      occurredOn: daysAgo(1),
      note: name('说明'),
    });
  await request(t.http).post(`/api/v1/score-records/${rec.body.id}/approve`).set(auth(committee)).send({});
  const closed = await request(t.http)
    .post('/api/v1/publications')
    .set(auth(committee))
    .send({ villageId: village, days: 0 });
  await request(t.http).post(`/api/v1/publications/${closed.body.id}/close`).set(auth(committee));
  const rec2 = await request(t.http)
    .post('/api/v1/score-records')
    .set(auth(scorer))
    .send({ householdId: household.body.id, ruleId: rule.body.id, occurredOn: daysAgo(1) });
  await request(t.http).post(`/api/v1/score-records/${rec2.body.id}/approve`).set(auth(committee)).send({});
  const open = await request(t.http)
    .post('/api/v1/publications')
    .set(auth(committee))
    .send({ villageId: village, days: 5 });
  await request(t.http)
    .post(`/api/v1/score-records/${rec2.body.id}/objections`)
    .set(auth(committee))
    .send({ reason: name('异议') });
  const goods = await request(t.http)
    .post('/api/v1/goods')
    .set(auth(clerk))
    .send({ villageId: village, name: name('商品'), unit: '<b>袋', pricePoints: 5, stock: 10 });
  const sold = await request(t.http)
    .post('/api/v1/redemptions')
    .set(auth(clerk))
    .send({
      householdId: household.body.id,
      items: [{ goodsId: goods.body.id, quantity: 1 }],
      idempotencyKey: newKey(),
    });
  await request(t.http)
    .post(`/api/v1/redemptions/${sold.body.id}/cancel`)
    .set(auth(clerk))
    .send({ reason: name('撤销') });
  const month = todayInChina().slice(0, 7);
  await request(t.http)
    .post(`/api/v1/villages/${village}/list-entries`)
    .set(auth(committee))
    .send({ period: month, list: 'RED', householdId: household.body.id, reason: name('理由') });
  await request(t.http)
    .post(`/api/v1/villages/${village}/lists/publish`)
    .set(auth(committee))
    .send({ period: month });
  ids = {
    household: household.body.id,
    village,
    publication: open.body.id,
    redemption: sold.body.id,
    goods: goods.body.id,
  };
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Opens the page and answers what a careful tester would see go wrong with the markup on it. */
async function injectedOn(page: Page, path: string): Promise<string[]> {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const res = await page.goto(`${baseUrl}${path}`);
  const problems: string[] = [];
  if (!res || res.status() >= 400) problems.push(`${path}: status ${res?.status()}`);
  if (dialogs.length) problems.push(`${path}: a script ran (${dialogs.join(', ')})`);
  if (await page.locator('img[src="x"]').count()) problems.push(`${path}: an injected <img> is on the page`);
  const scripts = await page.locator('script:not([src])').count();
  if (scripts) problems.push(`${path}: ${scripts} inline script(s) on the page`);
  if (!(await page.content()).includes('&lt;img src=x onerror=alert(1)&gt;'))
    problems.push(`${path}: the typed markup is not shown as text`);
  return problems;
}

it('should send a Content-Security-Policy that allows no inline script', async () => {
  const res = await request(t.http).get('/login');
  const csp = res.headers['content-security-policy'] as string;
  expect(csp).toMatch(/script-src 'self'(;|$)/);
  expect(csp).not.toContain('unsafe-inline');
});

it('should show typed markup as text on every page that shows it, for staff', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('用户名').fill('ty_admin');
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL(`${baseUrl}/`);
  const problems: string[] = [];
  for (const path of [
    '/households',
    `/households/${ids.household}`,
    `/households/${ids.household}/passbook`,
    '/rules',
    `/publications/${ids.publication}`,
    `/public/villages/${ids.village}`,
    // 60 points this year: the household is among the star households, a list drawn once per kept board.
    `/public/villages/${ids.village}?section=stars`,
  ])
    problems.push(...(await injectedOn(page, path)));
  await context.close();
  expect(problems).toEqual([]);
});

it('should show typed markup as text on the villager’s own pages', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const [h] = await t.dataSource.query(`SELECT code FROM household WHERE id = ${ids.household}`);
  await page.goto(`${baseUrl}/villager`);
  await page.getByLabel('户号').fill(h.code);
  await page.getByLabel('密码(PIN)').fill('135790');
  await page.getByRole('button', { name: '查看我的积分' }).click();
  await page.waitForURL(`${baseUrl}/villager`);
  const problems = [
    ...(await injectedOn(page, '/villager')),
    ...(await injectedOn(page, '/villager/passbook')),
  ];
  await context.close();
  expect(problems).toEqual([]);
});

import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { DEMO_PASSWORD } from '../../seeds/demo-county.js';
import { todayInChina } from '../../src/common/dates.js';
import { browserWindow, launchBrowser, listenOnFreePort } from '../support/browser.js';
import { createTestApp, TEST_ADMIN, type TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';

jest.setTimeout(180000);

/**
 * Each demo role on a 390×844 phone: the header stays under a fifth of the screen, the navigation's menus open and
 * lead to the work, and the start page's to-do counts what is there, linking to where it is done.
 */
let t: TestApp;
let browser: Browser;
let baseUrl: string;
const url = (path: string) => `${baseUrl}${path}`;
const WIDTH = 390;
const HEIGHT = 844;

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' });
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** One record for the nth 桃源村 household, recorded by the demo scorer: it waits for the committee's review. */
async function recordInTaoyuan(nth: number): Promise<number> {
  const [{ householdId, ruleId }] = await t.dataSource.query(
    `SELECT h.id AS "householdId", r.id AS "ruleId" FROM household h
       JOIN village v ON v.id = h."villageId" JOIN scoring_rule r ON r."villageId" = v.id
      WHERE v.code = 'TY' AND h.status = 'ACTIVE' AND r.active = ${t.dataSource.options.type === 'postgres' ? 'true' : '1'}
        AND r."minPoints" > 0 AND r."evidenceRequired" = ${t.dataSource.options.type === 'postgres' ? 'false' : '0'}
      ORDER BY r.id, h.id LIMIT 1 OFFSET ${nth}`,
  );
  const res = await request(t.http)
    .post('/api/v1/score-records')
    .set(auth(await t.token('ty_scorer', DEMO_PASSWORD)))
    .send({ householdId, ruleId, occurredOn: todayInChina() });
  expect(res.status).toBe(201);
  return res.body.id as number;
}

describe.each([
  ['ty_admin', DEMO_PASSWORD],
  ['ty_scorer', DEMO_PASSWORD],
  ['ty_clerk', DEMO_PASSWORD],
  ['qs_township', DEMO_PASSWORD],
  [TEST_ADMIN.username, TEST_ADMIN.password],
])('%s at 390 px', (username, password) => {
  const w = browserWindow(() => ({ browser, baseUrl }), WIDTH, HEIGHT);
  beforeAll(async () => {
    await w.open();
    await w.page.goto(url('/login'));
    await w.page.getByLabel('用户名').fill(username);
    await w.page.getByLabel('密码').fill(password);
    await w.page.getByRole('button', { name: '登录', exact: true }).click();
    await w.page.waitForURL(url('/'));
  });
  afterAll(() => w.context?.close());

  it('should keep the header under a fifth of the screen, with every menu opening to links of 44 px', async () => {
    const header = await w.page.locator('header.site-header').boundingBox();
    expect(header!.height).toBeLessThan(HEIGHT / 5);
    await w.look(`start-${username}`);
    const menus = w.nav().locator('summary');
    for (let i = 0; i < (await menus.count()); i += 1) {
      await menus.nth(i).click();
      const links = w.nav().locator('details[open] a');
      expect(await links.count()).toBeGreaterThan(1);
      for (const box of await Promise.all((await links.all()).map((l) => l.boundingBox())))
        expect(box!.height).toBeGreaterThanOrEqual(44);
      if (i === 0) await w.look(`start-menu-${username}`);
    }
    w.expectNoProblems();
  });
});

describe('the to-do at 390 px', () => {
  const committee = browserWindow(() => ({ browser, baseUrl }), WIDTH, HEIGHT);
  const scorer = browserWindow(() => ({ browser, baseUrl }), WIDTH, HEIGHT);
  const clerk = browserWindow(() => ({ browser, baseUrl }), WIDTH, HEIGHT);
  const township = browserWindow(() => ({ browser, baseUrl }), WIDTH, HEIGHT);
  beforeAll(async () => {
    for (const [w, user] of [
      [committee, 'ty_admin'],
      [scorer, 'ty_scorer'],
      [clerk, 'ty_clerk'],
      [township, 'qs_township'],
    ] as const) {
      await w.open();
      await w.logIn(user);
    }
  });
  afterAll(async () => {
    for (const w of [committee, scorer, clerk, township]) await w.context?.close();
  });

  const todo = (w: typeof committee, name: RegExp) => w.page.getByRole('link', { name });
  const countIn = async (w: typeof committee, name: RegExp) =>
    Number((await todo(w, name).locator('.todo-count').innerText()).trim());

  it('should count one more 待审核 for a new record, and lead the committee to the review', async () => {
    const before = await countIn(committee, /^待审核 \d+/);
    await recordInTaoyuan(0);
    await committee.page.reload();
    expect(await countIn(committee, /^待审核 \d+/)).toBe(before + 1);
    await committee.look('todo-committee');
    await todo(committee, /^待审核 \d+/).click();
    await committee.page.waitForURL(url('/scoring/review'));
    // The page's menu says where the committee is, by keyboard as well.
    await committee.page.locator('summary', { hasText: '积分' }).focus();
    await committee.page.keyboard.press('Enter');
    expect(
      await committee.nav().getByRole('link', { name: '审核', exact: true }).getAttribute('aria-current'),
    ).toBe('page');
    committee.expectNoProblems();
  });

  it('should show the scorer a rejected record with its reason, and open the form to record it again', async () => {
    const id = await recordInTaoyuan(1);
    await request(t.http)
      .post(`/api/v1/score-records/${id}/reject`)
      .set(auth(await t.token('ty_admin', DEMO_PASSWORD)))
      .send({ reason: '照片看不清，请补拍' })
      .expect(200);
    await scorer.page.reload();
    const card = scorer.page.locator('.rejected-list li', { hasText: '照片看不清，请补拍' });
    expect(await card.innerText()).toContain('退回原因：照片看不清，请补拍');
    await scorer.look('todo-scorer');
    await card.getByRole('link', { name: '重新登记' }).click();
    await scorer.page.waitForURL(/\/scoring\/new\?householdId=\d+$/);
    scorer.expectNoProblems();
  });

  it('should put the counter first for the clerk', async () => {
    await clerk.page.reload();
    expect((await clerk.page.locator('.todo-title').first().innerText()).trim()).toBe('兑换柜台');
    await clerk.look('todo-clerk');
    await clerk.page.locator('.todo-item').first().click();
    await clerk.page.waitForURL(url('/supermarket/counter'));
    clerk.expectNoProblems();
  });

  it('should lead the township from its count to the rankings waiting for review', async () => {
    await township.look('todo-township');
    await todo(township, /^待审核排名 \d+/).click();
    await township.page.waitForURL(url('/township/reviews'));
    township.expectNoProblems();
  });
});

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
 * 志愿服务活动 on 390×844 phones (issue 21 point 3): the committee puts an activity up, a household signs itself up on
 * /villager, the organiser ticks it present with its hours, and closing the activity records its points once. Each
 * page is checked with axe-core and for sideways scrolling.
 */
let t: TestApp;
let browser: Browser;
let baseUrl: string;
let ruleId: number;
const url = (path: string) => `${baseUrl}${path}`;
const windowOf = (width: number, height: number) =>
  browserWindow(() => ({ browser, baseUrl }), width, height);

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo', env: { DEMO_HISTORY: 'off' } });
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
  const committee = await t.token('ty_admin', DEMO_PASSWORD);
  const [village] = await t.dataSource.query(`SELECT id FROM village WHERE code = 'TY'`);
  const rule = await request(t.http).post('/api/v1/rules').set(auth(committee)).send({
    villageId: village.id,
    code: 'ZY-09',
    category: '德治',
    title: '参加志愿服务（按时长）',
    minPoints: 1,
    maxPoints: 20,
  });
  if (rule.status !== 201) throw new Error(`rule: ${rule.status} ${JSON.stringify(rule.body)}`);
  ruleId = rule.body.id;
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('a volunteer activity on 390×844 phones', () => {
  const phone = windowOf(390, 844);
  beforeEach(() => phone.open());
  afterEach(() => phone.context?.close());

  it('should let the committee put an activity up, with the form back and marked when a field is wrong', async () => {
    const { page } = phone;
    await phone.logIn('ty_admin');
    await phone.navTo('志愿服务');
    await phone.look('activities');
    await page.getByLabel('活动名称').fill('清扫村道');
    await page.getByLabel('日期').fill(todayInChina());
    await page.getByLabel('地点').fill('村委会门口');
    await page.getByLabel('名额').fill('0');
    await page.getByLabel('按哪条细则记分').selectOption({ label: 'ZY-09 参加志愿服务（按时长）' });
    await page.getByLabel('每小时积分（按时长记分时填）').fill('4');
    await page.getByRole('button', { name: '发布' }).click();
    expect(await page.getByLabel('名额').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('活动名称').inputValue()).toBe('清扫村道');
    await page.getByLabel('名额').fill('10');
    await page.getByRole('button', { name: '发布' }).click();
    await page.waitForURL(/\/activities\/\d+$/);
    expect(await phone.h1().innerText()).toBe('清扫村道');
    await phone.look('activity');
    phone.expectNoProblems();
  });

  it('should let a household sign itself up on its own page', async () => {
    const { page } = phone;
    await page.goto(url('/villager'));
    await page.getByLabel('户号').fill('TY-0004');
    await page.getByLabel('密码(PIN)').fill(DEMO_PIN);
    await page.getByRole('button', { name: '查看我的积分' }).click();
    await page.waitForURL(url('/villager'));
    await page.getByRole('link', { name: '志愿服务活动' }).click();
    await page.getByRole('button', { name: '报名 清扫村道' }).click();
    await page.waitForURL(url('/villager/activities'));
    expect(await page.locator('main').innerText()).toContain('您家已报名');
    await phone.look('villager-activities');
    phone.expectNoProblems();
  });

  it('should let the organiser tick it present with hours, and the close record its points once', async () => {
    const { page } = phone;
    await phone.logIn('ty_admin');
    const [activity] = await t.dataSource.query(`SELECT id FROM activity WHERE title = '清扫村道'`);
    await page.goto(url(`/activities/${activity.id}`));
    const row = page.locator('.record-card').filter({ hasText: 'TY-0004' });
    await row.getByLabel('时长（小时）').fill('2.5');
    const present = row.getByRole('button', { name: /^到场/ });
    const box = await present.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await present.click();
    await page.waitForURL(url(`/activities/${activity.id}`));
    expect(await page.locator('.record-card').filter({ hasText: 'TY-0004' }).innerText()).toContain(
      '已到场，2.5 小时',
    );
    await page.getByRole('button', { name: '结束活动并登记积分' }).click();
    await page.waitForURL(url(`/activities/${activity.id}`));
    expect(await page.locator('main').innerText()).toContain('已结束');
    const records = await t.dataSource.query(
      `SELECT r.points, r.status FROM score_record r JOIN household h ON h.id = r."householdId" WHERE h.code = 'TY-0004' AND r."ruleId" = ${ruleId}`,
    );
    expect(records).toEqual([{ points: 10, status: 'PENDING' }]);
    await phone.look('activity-closed');
    phone.expectNoProblems();
  });
});

import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { DEMO_PASSWORD, DEMO_PIN } from '../../seeds/demo-county.js';
import { browserWindow, launchBrowser, listenOnFreePort } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';
import { todayInChina } from '../../src/common/dates.js';

jest.setTimeout(180000);

/**
 * 网格事务 on phones (issue 21): a villager reports a matter on /villager, the committee screens it valid and
 * dispatches it to a household that volunteered, that household closes it; each step earns what the village set,
 * once. The committee's grids page at 1280 px. Every page is checked with axe-core and for sideways scrolling.
 */
let t: TestApp;
let browser: Browser;
let baseUrl: string;
let reportRuleId: number;
let handleRuleId: number;
const url = (path: string) => `${baseUrl}${path}`;
const windowOf = (width: number, height: number) =>
  browserWindow(() => ({ browser, baseUrl }), width, height);
const householdId = async (code: string) =>
  Number((await t.dataSource.query(`SELECT id FROM household WHERE code = '${code}'`))[0].id);
const recordsOf = async (code: string, ruleId: number) =>
  (await t.dataSource.query(
    `SELECT status FROM score_record WHERE "householdId" = ${await householdId(code)} AND "ruleId" = ${ruleId}`,
  )) as { status: string }[];

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo', env: { DEMO_HISTORY: 'off' } });
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
  const committee = await t.token('ty_admin', DEMO_PASSWORD);
  const [village] = await t.dataSource.query(`SELECT id FROM village WHERE code = 'TY'`);
  const rule = async (code: string, title: string, points: number) => {
    const res = await request(t.http)
      .post('/api/v1/rules')
      .set(auth(committee))
      .send({ villageId: village.id, code, category: '自治', title, points });
    if (res.status !== 201) throw new Error(`rule: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as number;
  };
  reportRuleId = await rule('WG-01', '网格事务有效上报', 2);
  handleRuleId = await rule('WG-02', '承办网格事务并办结', 5);
  const set = await request(t.http)
    .put(`/api/v1/villages/${village.id}/grid-settings`)
    .set(auth(committee))
    .send({ validReportRuleId: reportRuleId, handledRuleId: handleRuleId });
  if (set.status !== 200) throw new Error(`settings: ${set.status} ${JSON.stringify(set.body)}`);
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('a grid affair from report to close, on 390×844 phones', () => {
  const phone = windowOf(390, 844);
  beforeEach(() => phone.open());
  afterEach(() => phone.context?.close());

  const villagerLogIn = async (code: string) => {
    await phone.page.goto(url('/villager'));
    await phone.page.getByLabel('户号').fill(code);
    await phone.page.getByLabel('密码(PIN)').fill(DEMO_PIN);
    await phone.page.getByRole('button', { name: '查看我的积分' }).click();
    await phone.page.waitForURL(url('/villager'));
  };

  it('should let a villager report with its words, then show it waiting to be screened', async () => {
    const { page } = phone;
    await villagerLogIn('TY-0002');
    await page.getByRole('link', { name: '网格事务（上报）' }).click();
    await phone.look('villager-affairs');
    // Nothing written yet: the form comes back with the field marked.
    await page.getByRole('button', { name: '上报', exact: true }).click();
    expect(await page.locator('#e-kind').innerText()).toBe('请选择事务类别');
    expect(await page.locator('#e-text').innerText()).toBe('请写明情况');
    await page.getByLabel('哪一类事').selectOption({ label: '人居环境' });
    await page.getByLabel('什么情况').fill('东河桥下有人倒建筑垃圾');
    await page.getByLabel('在哪里').fill('东河桥下');
    await page.getByRole('button', { name: '上报', exact: true }).click();
    await page.waitForURL(url('/villager/affairs'));
    const card = page.locator('.affair').filter({ hasText: '东河桥下有人倒建筑垃圾' });
    expect(await card.innerText()).toContain('待筛选');
    await phone.look('villager-affairs-reported');
    phone.expectNoProblems();
  });

  it('should let the committee screen it valid and dispatch it to a volunteer household by its code', async () => {
    const { page } = phone;
    await phone.logIn('ty_admin');
    await phone.navTo('网格事务');
    const card = page.locator('.affair').filter({ hasText: '东河桥下有人倒建筑垃圾' });
    const valid = card.getByRole('button', { name: /^有效/ });
    await valid.scrollIntoViewIfNeeded();
    const box = await valid.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await phone.look('committee-affairs');
    await valid.click();
    await page.waitForURL(url('/grid-affairs'));
    expect(await recordsOf('TY-0002', reportRuleId)).toEqual([{ status: 'PENDING' }]);

    const again = page.locator('.affair').filter({ hasText: '东河桥下有人倒建筑垃圾' });
    await again.getByLabel('或自愿承办的农户户号').fill('TY-9999');
    await again.getByLabel('办结期限').fill(todayInChina());
    await again.getByRole('button', { name: /^派单/ }).click();
    // Refused: the same form, with the code kept and marked.
    const refused = page.locator('.affair').filter({ hasText: '东河桥下有人倒建筑垃圾' });
    expect(await refused.getByLabel('或自愿承办的农户户号').inputValue()).toBe('TY-9999');
    expect(await refused.getByLabel('或自愿承办的农户户号').getAttribute('aria-invalid')).toBe('true');
    await phone.look('committee-dispatch-refused');
    await refused.getByLabel('或自愿承办的农户户号').fill('TY-0003');
    await refused.getByLabel('办结期限').fill(todayInChina());
    await refused.getByRole('button', { name: /^派单/ }).click();
    await page.waitForURL(url('/grid-affairs'));
    expect(await page.locator('.affair').filter({ hasText: '东河桥下有人倒建筑垃圾' }).innerText()).toContain(
      '已派单，办理中',
    );
    phone.expectNoProblems();
  });

  it('should let the volunteer household close it, earning its points once', async () => {
    const { page } = phone;
    await villagerLogIn('TY-0003');
    await page.goto(url('/villager/affairs'));
    const card = page.locator('.affair').filter({ hasText: '东河桥下有人倒建筑垃圾' });
    await card.getByLabel('办理情况').fill('已联系施工队清走垃圾');
    await phone.look('villager-affair-given');
    await card.getByRole('button', { name: /^办结 第/ }).click();
    await page.waitForURL(url('/villager/affairs'));
    expect(await page.locator('.affair').filter({ hasText: '东河桥下有人倒建筑垃圾' }).innerText()).toContain(
      '办理情况：已联系施工队清走垃圾',
    );
    expect(await recordsOf('TY-0003', handleRuleId)).toEqual([{ status: 'PENDING' }]);
    phone.expectNoProblems();
  });
});

describe('the grids page at 1280 px', () => {
  const desk = windowOf(1280, 900);
  beforeAll(() => desk.open());
  afterAll(() => desk.context?.close());

  it('should divide households into a grid with its 网格员', async () => {
    const { page } = desk;
    await desk.logIn('ty_admin');
    await page.goto(url('/grids'));
    await desk.look('grids');
    await page.getByLabel('网格名称').fill('东片网格');
    await page.getByLabel('网格员').selectOption({ index: 1 });
    await page.getByLabel('TY-0001 李大山家').check();
    await page.getByLabel('TY-0002', { exact: false }).first().check();
    await page.getByRole('button', { name: '保存网格' }).click();
    await page.waitForURL(url('/grids'));
    expect(await page.locator('table.cards').innerText()).toContain('东片网格');
    await desk.look('grids-saved');
    desk.expectNoProblems();
  });
});

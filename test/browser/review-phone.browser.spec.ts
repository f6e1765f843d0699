import { jest } from '@jest/globals';
import type { Browser, Locator } from 'playwright-core';
import request from 'supertest';
import { DEMO_PASSWORD } from '../../seeds/demo-county.js';
import { browserWindow, launchBrowser, listenOnFreePort } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';
import { daysAgo } from '../support/scoring-fixtures.js';

jest.setTimeout(180000);

/**
 * The committee reviews and publishes on a 390×844 phone (issue 19 items 2, 6, 7): ten pending records, each card
 * with its own 通过 and 退回 inside the screen when scrolled to; then the 公示 page of the approved records shows
 * every record's points and status within the screen's width, says when it will post by itself, and offers no
 * close button while closing is impossible. Each page is checked with axe-core and for sideways scrolling.
 */
let t: TestApp;
let browser: Browser;
let baseUrl: string;
const url = (path: string) => `${baseUrl}${path}`;
const HOUSEHOLDS = ['TY-0001', 'TY-0002', 'TY-0004', 'TY-0005', 'TY-0006'];
const RULES = ['ZZ-02', 'ZZ-05'];

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo', env: { DEMO_HISTORY: 'off' } });
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
  const [village] = await t.dataSource.query(`SELECT id FROM village WHERE code = 'TY'`);
  const token = await t.token('ty_scorer', DEMO_PASSWORD);
  for (const code of HOUSEHOLDS)
    for (const rule of RULES) {
      const [{ id: householdId }] = await t.dataSource.query(
        `SELECT id FROM household WHERE code = '${code}'`,
      );
      const [{ id: ruleId }] = await t.dataSource.query(
        `SELECT id FROM scoring_rule WHERE code = '${rule}' AND "villageId" = ${village.id}`,
      );
      const res = await request(t.http)
        .post('/api/v1/score-records')
        .set(auth(token))
        .send({ householdId, ruleId, occurredOn: daysAgo(1), note: '打扫村道，清理沟渠' });
      if (res.status !== 201) throw new Error(`record: ${res.status} ${JSON.stringify(res.body)}`);
    }
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the committee on a 390×844 phone', () => {
  const phone = browserWindow(() => ({ browser, baseUrl }), 390, 844);
  beforeAll(async () => {
    await phone.open();
    await phone.logIn('ty_admin');
  });
  afterAll(async () => {
    await phone.context?.close();
  });

  /** Whether the element's box lies within the 390×844 screen as it is scrolled now (to the pixel). */
  const onScreen = async (locator: Locator) => {
    const box = await locator.boundingBox();
    return !!box && box.x >= 0 && box.y >= -1 && box.x + box.width <= 390 && box.y + box.height <= 845;
  };

  it('should give each of ten cards its own 通过 and 退回 on the screen with the card, 44 px high', async () => {
    const { page } = phone;
    await page.goto(url('/scoring/review'));
    expect(await page.getByRole('heading', { name: '待审核（10 条）' }).isVisible()).toBe(true);
    const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
    console.log(`/scoring/review at 390 px with 10 pending records: ${height} px`);
    const cards = page.locator('li.record-card');
    expect(await cards.count()).toBe(10);
    for (let i = 0; i < 10; i++) {
      const card = cards.nth(i);
      await card.scrollIntoViewIfNeeded();
      const approve = card.getByRole('button', { name: /^通过/ });
      const reject = card.getByRole('button', { name: /^退回/ });
      const reason = card.getByLabel('退回理由');
      for (const control of [approve, reject, reason]) {
        expect(await onScreen(control)).toBe(true);
        expect((await control.boundingBox())!.height).toBeGreaterThanOrEqual(44);
      }
      // The whole card fits the screen: one record is reviewed without scrolling.
      expect((await card.boundingBox())!.height).toBeLessThan(600);
    }
    await phone.look('review-ten');
    phone.expectNoProblems();
  });

  it('should return one record from its card with the reason, and ask for the reason on that card', async () => {
    const { page } = phone;
    const card = page
      .locator('li.record-card')
      .filter({ hasText: 'TY-0001 李大山家' })
      .filter({ hasText: 'ZZ-02' });
    await card.getByRole('button', { name: /^退回/ }).click();
    await page.getByRole('alert').first().waitFor();
    const again = page
      .locator('li.record-card')
      .filter({ hasText: 'TY-0001 李大山家' })
      .filter({ hasText: 'ZZ-02' });
    expect(await again.getByLabel('退回理由').getAttribute('aria-invalid')).toBe('true');
    expect(await again.locator('[id^="e-reason"]').innerText()).toBe('请填写退回理由');
    await phone.look('review-reject-refused');
    await again.getByLabel('退回理由').fill('照片看不清，请补充');
    await again.getByRole('button', { name: /^退回/ }).click();
    await page.waitForURL(url('/scoring/review'));
    expect(await page.getByRole('status').innerText()).toBe(
      '已退回：TY-0001 李大山家 ZZ-02，理由：照片看不清，请补充',
    );
    expect(await page.getByRole('heading', { name: '待审核（9 条）' }).isVisible()).toBe(true);
    phone.expectNoProblems();
  });

  it('should approve one range record from its card at the points typed there', async () => {
    const { page } = phone;
    // Enter in a card's 分值 field approves nothing (it used to press the first card's 通过, another record).
    const other = page.locator('li.record-card').filter({ hasText: 'TY-0004' }).filter({ hasText: 'ZZ-05' });
    await other.getByLabel(/^分值/).fill('11');
    await other.getByLabel(/^分值/).press('Enter');
    await page.waitForTimeout(500);
    await page.goto(url('/scoring/review'));
    expect(await page.getByRole('heading', { name: '待审核（9 条）' }).isVisible()).toBe(true);
    const card = page
      .locator('li.record-card')
      .filter({ hasText: 'TY-0002 王秀英家' })
      .filter({ hasText: 'ZZ-05' });
    await card.getByLabel(/^分值/).fill('12');
    await card.getByRole('button', { name: /^通过/ }).click();
    await page.waitForURL(url('/scoring/review'));
    expect(await page.getByRole('status').innerText()).toBe('已通过：TY-0002 王秀英家 ZZ-05 +12，等待公示');
    expect(await page.getByRole('heading', { name: '待审核（8 条）' }).isVisible()).toBe(true);
    phone.expectNoProblems();
  });

  it('should show the 公示 page with each record’s points and status on the screen and no close button', async () => {
    const { page } = phone;
    const boxes = page.getByRole('checkbox', { name: /^选择/ });
    expect(await boxes.count()).toBe(8);
    for (const box of await boxes.all()) await box.check();
    await page.getByRole('button', { name: '通过所选' }).click();
    await page.waitForURL(url('/scoring/review'));
    expect(await page.getByRole('status').innerText()).toBe('已通过 8 条记录，等待公示');

    await page.goto(url('/publications'));
    await page.getByLabel('公示天数').fill('7');
    await page.getByRole('button', { name: '开始公示' }).click();
    await page.waitForURL(/\/publications\/\d+$/);
    const ends = (await t.dataSource.query(`SELECT "endsOn" FROM publication ORDER BY id DESC`))[0].endsOn;
    expect(await page.locator('.lead').first().innerText()).toContain(
      `公示中，公示期到 ${ends} 结束，结束后系统自动入账`,
    );
    expect(await page.getByRole('button', { name: '结束公示并入账' }).count()).toBe(0);
    await phone.look('publication-phone');
    const rows = page.getByRole('table').getByRole('row');
    expect(await rows.count()).toBe(10); // the header and nine records
    for (let i = 1; i < 10; i++) {
      const cells = rows.nth(i).getByRole('cell');
      await rows.nth(i).scrollIntoViewIfNeeded();
      expect(await cells.nth(2).innerText()).toMatch(/^[+−]\d+$/);
      expect(await cells.nth(3).innerText()).toBe('公示中');
      expect(await onScreen(cells.nth(2))).toBe(true);
      expect(await onScreen(cells.nth(3))).toBe(true);
    }

    // A villager came to the committee: 刘桂兰 objects to 陈志明家's volunteering, and the record is held.
    await page
      .getByLabel('有异议的记录')
      .selectOption({ label: 'TY-0005 陈志明家 · ZZ-02 参加村里组织的志愿服务活动 +15' });
    await page.getByLabel('提出异议的农户').selectOption({ label: 'TY-0004 刘桂兰家' });
    await page.getByLabel('来反映的人').fill('刘桂兰');
    await page.getByLabel('异议理由').fill('那天他不在村里');
    await page.getByRole('button', { name: '登记异议' }).click();
    await page.waitForURL(/\/publications\/\d+$/);
    expect(await page.getByRole('status').innerText()).toContain('已代 刘桂兰 登记异议');
    expect(await rows.filter({ hasText: 'TY-0005' }).filter({ hasText: 'ZZ-02' }).innerText()).toContain(
      '有异议',
    );
    expect(await page.getByText('理由：那天他不在村里').isVisible()).toBe(true);
    await phone.look('publication-on-behalf');
    phone.expectNoProblems();
  });
});

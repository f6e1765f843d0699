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
 * 道德评议会 on a 390×844 phone (issue 20.3): a council member opens the start page, finds the record waiting for its
 * vote with 赞成 / 反对 / 弃权 on the screen (44 px touch targets) and a comment field, and casts the fifth vote,
 * which decides the record. The committee's review page meanwhile shows the record waiting for the council, with no
 * 通过 button. Each page is checked with axe-core and for sideways scrolling.
 */
let t: TestApp;
let browser: Browser;
let baseUrl: string;
let recordId: number;
const url = (path: string) => `${baseUrl}${path}`;

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo', env: { DEMO_HISTORY: 'off' } });
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
  const [village] = await t.dataSource.query(`SELECT id FROM village WHERE code = 'TY'`);
  const [{ id: householdId }] = await t.dataSource.query(`SELECT id FROM household WHERE code = 'TY-0001'`);
  const committee = await t.token('ty_admin', DEMO_PASSWORD);
  const rule = await request(t.http).post('/api/v1/rules').set(auth(committee)).send({
    villageId: village.id,
    code: 'DZ-90',
    category: '德治',
    title: '孝老爱亲好媳妇',
    points: 30,
    needsCouncil: true,
  });
  if (rule.status !== 201) throw new Error(`rule: ${rule.status} ${JSON.stringify(rule.body)}`);
  const record = await request(t.http)
    .post('/api/v1/score-records')
    .set(auth(await t.token('ty_scorer', DEMO_PASSWORD)))
    .send({ householdId, ruleId: rule.body.id, occurredOn: daysAgo(1), note: '十年如一日照顾瘫痪的婆婆' });
  if (record.status !== 201) throw new Error(`record: ${record.status} ${JSON.stringify(record.body)}`);
  recordId = record.body.id;
  const admin = await t.adminToken();
  for (let i = 1; i <= 5; i++) {
    const user = await request(t.http)
      .post('/api/v1/users')
      .set(auth(admin))
      .send({
        username: `ty_council${i}`,
        password: DEMO_PASSWORD,
        displayName: `评议员${i}`,
        role: 'COUNCIL',
        villageId: village.id,
        noHousehold: true,
      });
    if (user.status !== 201) throw new Error(`user: ${user.status} ${JSON.stringify(user.body)}`);
  }
  for (const [i, vote] of ['YES', 'YES', 'ABSTAIN', 'YES'].entries()) {
    const res = await request(t.http)
      .post(`/api/v1/score-records/${recordId}/votes`)
      .set(auth(await t.token(`ty_council${i + 1}`, DEMO_PASSWORD)))
      .send({ vote });
    if (res.status !== 201) throw new Error(`vote: ${res.status} ${JSON.stringify(res.body)}`);
  }
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Whether the element's box lies within the 390×844 screen as it is scrolled now. */
const onScreen = async (locator: Locator) => {
  const box = await locator.boundingBox();
  return !!box && box.x >= 0 && box.y >= -1 && box.x + box.width <= 390 && box.y + box.height <= 845;
};

describe('the council on a 390×844 phone', () => {
  const phone = browserWindow(() => ({ browser, baseUrl }), 390, 844);
  beforeAll(() => phone.open());
  afterAll(() => phone.context?.close());

  it('should show the committee the record as waiting for the council, with no 通过 button', async () => {
    const { page } = phone;
    await phone.logIn('ty_admin');
    await page.goto(url('/scoring/review'));
    const card = page.locator(`#record-${recordId}`);
    expect(await card.getByText('等待评议会表决（4/5）').isVisible()).toBe(true);
    expect(await card.getByRole('button', { name: /^通过/ }).count()).toBe(0);
    await phone.look('council-review-390');
    await page.context().clearCookies();
    phone.expectNoProblems();
  });

  it('should let a member vote from the start page and decide the record with the fifth vote', async () => {
    const { page } = phone;
    await phone.logIn('ty_council5');
    const ballot = page.locator(`#ballot-${recordId}`);
    expect(await ballot.getByRole('strong').filter({ hasText: 'TY-0001' }).isVisible()).toBe(true);
    expect(await ballot.getByText('孝老爱亲好媳妇').isVisible()).toBe(true);
    await phone.look('council-start-390');
    for (const name of ['赞成', '反对', '弃权']) {
      const button = ballot.getByRole('button', { name: new RegExp(`^${name}`) });
      await button.scrollIntoViewIfNeeded();
      expect(await onScreen(button)).toBe(true);
      expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    }
    await ballot.getByLabel('意见（可不填）').fill('邻里都知道');
    await ballot.getByRole('button', { name: /^赞成/ }).click();
    await page.waitForURL(url('/'));
    expect(await page.getByText(/已投票：赞成.*评议会表决通过/).isVisible()).toBe(true);
    expect(await page.getByText('没有等待您表决的记录。').isVisible()).toBe(true);
    await phone.look('council-voted-390');
    const [row] = await t.dataSource.query(`SELECT status FROM score_record WHERE id = ${recordId}`);
    expect(row.status).toBe('APPROVED');
    phone.expectNoProblems();
  });
});

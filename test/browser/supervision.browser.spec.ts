import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { browserWindow, launchBrowser, listenOnFreePort } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { auth, TEST_PASSWORD } from '../support/factories.js';
import { createTestRule, daysAgo } from '../support/scoring-fixtures.js';
import { createWorld } from '../support/world.js';

jest.setTimeout(180000);

/**
 * 村务监督委员会 on a 390×844 phone: its start page, raising a 监督意见 on the publication's page, the committee
 * answering it there, and the public board showing both — each page axe-clean with nothing wider than the screen.
 */
let t: TestApp;
let browser: Browser;
let baseUrl: string;
let world: Awaited<ReturnType<typeof createWorld>>;
let publicationId: number;
const url = (path: string) => `${baseUrl}${path}`;

beforeAll(async () => {
  t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
  world = await createWorld(t);
  const committee = world.tokens.VILLAGE_ADMIN;
  const villageId = world.ids.village;
  const rule = await createTestRule(t, committee, villageId, { title: '义务清扫村道', points: 9 });
  const made = await request(t.http)
    .post('/api/v1/score-records')
    .set(auth(world.tokens.SCORER))
    .send({ householdId: world.household.id, ruleId: rule.id, occurredOn: daysAgo(1) });
  await request(t.http).post(`/api/v1/score-records/${made.body.id}/approve`).set(auth(committee)).send({});
  const pub = await request(t.http)
    .post('/api/v1/publications')
    .set(auth(committee))
    .send({ villageId, days: 3 });
  publicationId = pub.body.id;
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the supervision committee at 390 px', () => {
  const w = browserWindow(() => ({ browser, baseUrl }), 390, 844);
  beforeAll(() => w.open());
  afterAll(() => w.context?.close());

  async function logIn(username: string) {
    await w.context.clearCookies();
    await w.page.goto(url('/login'));
    await w.page.getByLabel('用户名').fill(username);
    await w.page.getByLabel('密码').fill(TEST_PASSWORD);
    await w.page.getByRole('button', { name: '登录', exact: true }).click();
    await w.page.waitForURL(url('/'));
  }

  it("should show the supervisor's start page: records on the board and its opinions waiting", async () => {
    await logIn(world.supervisor.username);
    expect(await w.page.locator('main').innerText()).toContain('您的身份：村务监督委员会');
    expect(await w.page.locator('.todo-list').innerText()).toContain('公示中');
    const waiting = w.page.getByRole('region', { name: '等待答复的监督意见' });
    expect(await waiting.innerText()).toContain('请核实登记依据');
    await w.look('supervision-start');
    w.expectNoProblems();
  });

  it('should let the supervisor raise an opinion on the publication page, shown there at once', async () => {
    await w.page.goto(url(`/publications/${publicationId}`));
    await w.page.getByLabel('有疑问的记录').selectOption({ index: 1 });
    await w.page.getByRole('textbox', { name: '监督意见 必填' }).fill('清扫的是哪一段村道？请附照片');
    await w.page.getByRole('button', { name: '提出监督意见' }).click();
    await w.page.waitForURL(url(`/publications/${publicationId}`));
    const opinions = w.page.getByRole('region', { name: '监督意见', exact: true });
    expect(await opinions.innerText()).toContain('清扫的是哪一段村道？请附照片');
    expect(await opinions.innerText()).toContain('答复前这条记录不入账');
    // It cannot answer its own opinion: the form is the committee's.
    expect(await w.page.getByRole('button', { name: '答复' }).count()).toBe(0);
    await w.look('supervision-publication-supervisor');
    w.expectNoProblems();
  });

  it('should let the committee answer it on the same page, the button on the screen and 44 px tall', async () => {
    await logIn(world.scene.villageAdmin.username);
    await w.page.goto(url(`/publications/${publicationId}`));
    await w.look('supervision-publication-committee');
    const form = w.page.locator('form[action^="/supervision-opinions/"]').last();
    await form.getByLabel('答复（公示栏上公开）').fill('村东主干道，照片已补到记录里');
    const button = form.getByRole('button', { name: '答复' });
    const box = (await button.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await button.click();
    await w.page.waitForURL(url(`/publications/${publicationId}`));
    const opinions = w.page.getByRole('region', { name: '监督意见', exact: true });
    expect(await opinions.innerText()).toContain('村两委答复：村东主干道，照片已补到记录里');
    await w.look('supervision-publication-answered');
    w.expectNoProblems();
  });

  it("should let the supervisor raise an opinion on a redemption's page and a stock movement's row", async () => {
    await logIn(world.supervisor.username);
    await w.page.goto(url(`/supermarket/redemptions/${world.ids.redemption}`));
    const raise = w.page.locator(`form[action$="/redemptions/${world.ids.redemption}/supervision-opinions"]`);
    const button = raise.getByRole('button', { name: '提出监督意见' });
    const box = (await button.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await button.click();
    // Empty: the form again with the field marked, still axe-clean.
    expect(await raise.getByRole('textbox', { name: '监督意见 必填' }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    w.expectNoProblems();
    await raise.getByRole('textbox', { name: '监督意见 必填' }).fill('这张兑换单的经办人请签字');
    await raise.getByRole('button', { name: '提出监督意见' }).click();
    await w.page.waitForURL(url(`/supermarket/redemptions/${world.ids.redemption}`));
    const opinions = w.page.getByRole('region', { name: '监督意见', exact: true });
    expect(await opinions.innerText()).toContain('这张兑换单的经办人请签字');
    await w.look('supervision-redemption');
    w.expectNoProblems();

    await w.page.goto(url(`/supermarket/goods/${world.ids.goods}`));
    const row = w.page.locator(`#m-${world.ids.movement}`);
    await row.locator('summary', { hasText: '提出监督意见' }).click();
    await row.getByRole('textbox', { name: '监督意见 必填' }).fill('首次入库的单据请公开');
    const send = row.getByRole('button', { name: '提出监督意见' });
    const sendBox = (await send.boundingBox())!;
    expect(sendBox.x + sendBox.width).toBeLessThanOrEqual(390);
    await send.click();
    await w.page.waitForURL(url(`/supermarket/goods/${world.ids.goods}`));
    expect(await w.page.locator(`#m-${world.ids.movement}`).innerText()).toContain('首次入库的单据请公开');
    await w.look('supervision-goods');
    w.expectNoProblems();
  });

  it('should show the opinion and the answer on the public board', async () => {
    await w.context.clearCookies();
    await w.page.goto(url(`/public/villages/${world.ids.village}?section=publication`));
    const text = await w.page.locator('main').innerText();
    expect(text).toContain('村务监督委员会意见');
    expect(text).toContain('清扫的是哪一段村道？请附照片');
    expect(text).toContain('村两委答复：村东主干道，照片已补到记录里');
    await w.look('supervision-board');
    w.expectNoProblems();
  });
});

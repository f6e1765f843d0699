import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { browserWindow, launchBrowser, listenOnFreePort } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

jest.setTimeout(120000);

/** A real 1×1 PNG, as a phone camera would send a (much larger) picture. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * 登记 → 审核 in a real browser (Debian's Chromium) on the demo county: a group leader records a deed and a batch
 * on a phone, then the committee approves two records at once on a desktop. Every page visited is checked with
 * axe-core (serious and critical violations fail), must not scroll sideways, and is saved as a screenshot in
 * test-results/screenshots/. ty_scorer belongs to household TY-0003, so the deeds are for other households.
 */
let t: TestApp;
let browser: Browser;
let baseUrl: string;
const url = (path: string) => `${baseUrl}${path}`;

beforeAll(async () => {
  // Without the demo's history: these steps count on a quiet village (no open publication, caps not yet used).
  t = await createTestApp({ seed: 'demo', env: { DEMO_HISTORY: 'off' } });
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const windowOf = (width: number, height: number) =>
  browserWindow(() => ({ browser, baseUrl }), width, height);

describe('a group leader on a 390×844 phone', () => {
  const phone = windowOf(390, 844);
  beforeAll(async () => {
    await phone.open();
    await phone.logIn('ty_scorer');
  });
  afterAll(async () => {
    await phone.context?.close();
  });

  it('should read the village rule list grouped by category', async () => {
    const { page } = phone;
    await phone.navTo('积分细则');
    await page.waitForURL(url('/rules'));
    expect(await phone.h1().innerText()).toBe('桃源村积分清单');
    const categories = await page.getByRole('heading', { level: 2 }).allInnerTexts();
    expect(categories).toEqual(['自治', '法治', '德治', '人居环境', '移风易俗', '其他']);
    const volunteer = page.getByRole('row').filter({ hasText: 'ZZ-02' });
    expect(await volunteer.innerText()).toContain('每户每月最多 4 次');
    expect(await volunteer.getByRole('cell').last().innerText()).toBe('+15');
    expect(await page.getByRole('link', { name: '新增细则' }).count()).toBe(0);
    await phone.look('rules');
    phone.expectNoProblems();
  });

  it('should find a household by name, record a deed with a photo, and say so', async () => {
    const { page } = phone;
    await phone.navTo('登记');
    await page.waitForURL(url('/scoring/new'));
    expect(await phone.h1().innerText()).toBe('登记积分');
    await phone.look('scoring-new');

    await page.getByLabel('找农户：输入户号或户主姓名').fill('王秀英');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(url('/scoring/new?q=%E7%8E%8B%E7%A7%80%E8%8B%B1'));
    const household = page.getByLabel('TY-0002 王秀英家');
    expect(await household.isChecked()).toBe(true);
    await page.getByLabel('积分细则').selectOption({ label: 'ZZ-02 参加村里组织的志愿服务活动（+15）' });
    expect(await page.getByLabel('日期').getAttribute('type')).toBe('date');
    expect(await page.getByLabel('日期').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.getByLabel('情况说明').fill('打扫村道');
    await page.getByLabel('现场照片').setInputFiles({ name: 'deed.png', mimeType: 'image/png', buffer: PNG });
    await phone.look('scoring-new-filled');
    await page.getByRole('button', { name: '登记', exact: true }).click();

    await page.waitForURL(url('/scoring/new'));
    expect(await page.getByRole('status').innerText()).toBe(
      '已登记：TY-0002 王秀英家 ZZ-02 参加村里组织的志愿服务活动 +15，待审核',
    );
    await phone.look('scoring-new-done');
    phone.expectNoProblems();
  });

  it('should record a batch for ticked households and bring the ticks back when one reaches the cap', async () => {
    const { page } = phone;
    await page.getByRole('link', { name: '批量登记' }).click();
    await page.waitForURL(url('/scoring/batch'));
    expect(await phone.h1().innerText()).toBe('批量登记');
    expect(await page.getByLabel('TY-0003 张国强家').isDisabled()).toBe(true);
    await phone.look('scoring-batch');

    const rule = 'RJ-01 庭院整洁、门前三包落实（月度检查合格）（+5）';
    await page.getByLabel('积分细则').selectOption({ label: rule });
    await page.getByLabel('情况说明').fill('月度人居环境检查');
    await page.getByLabel('TY-0001 李大山家').check();
    await page.getByLabel('TY-0004 刘桂兰家').check();
    await page.getByRole('button', { name: '登记所选农户' }).click();
    await page.waitForURL(url('/scoring/batch'));
    expect(await page.getByRole('status').innerText()).toBe(
      '已为 2 户登记：RJ-01 庭院整洁、门前三包落实（月度检查合格） +5，待审核',
    );

    // The same inspection again: 李大山家 has had its one time this month, so nobody is recorded.
    await page.getByLabel('积分细则').selectOption({ label: rule });
    await page.getByLabel('TY-0001 李大山家').check();
    await page.getByLabel('TY-0005 陈志明家').check();
    await page.getByRole('button', { name: '登记所选农户' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('TY-0001 李大山家：此项每户当月最多 1 次');
    expect(await page.getByLabel('TY-0005 陈志明家').isChecked()).toBe(true);
    expect(await page.getByLabel('TY-0001 李大山家').getAttribute('aria-invalid')).toBe('true');
    await phone.look('scoring-batch-refused');
    phone.expectNoProblems();
  });
});

describe('the committee on a 1280×800 desktop', () => {
  const desk = windowOf(1280, 800);
  beforeAll(async () => {
    await desk.open();
    await desk.logIn('ty_admin');
  });
  afterAll(async () => {
    await desk.context?.close();
  });

  it('should approve two records at once and list them as waiting for 公示', async () => {
    const { page } = desk;
    await desk.navTo('审核');
    await page.waitForURL(url('/scoring/review'));
    expect(await desk.h1().innerText()).toBe('审核积分登记');
    expect(await page.getByRole('heading', { name: '待审核（3 条）' }).isVisible()).toBe(true);
    const photoLink = page.getByRole('link', { name: /查看照片/ });
    expect(await photoLink.count()).toBe(1);
    const photoHref = (await photoLink.getAttribute('href')) as string;
    await desk.look('scoring-review');

    await page.getByLabel('选择 TY-0002 王秀英家 ZZ-02').check();
    await page.getByLabel('选择 TY-0001 李大山家 RJ-01').check();
    await page.getByRole('button', { name: '通过所选' }).click();
    await page.waitForURL(url('/scoring/review'));
    expect(await page.getByRole('status').innerText()).toBe('已通过 2 条记录，等待公示');
    expect(await page.getByRole('heading', { name: '待审核（1 条）' }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: '已通过，等待公示（2 条）' }).isVisible()).toBe(true);
    const approved = await page.getByRole('table').getByRole('row').allInnerTexts();
    expect(approved.join('\n')).toContain('TY-0002 王秀英家');
    expect(approved.join('\n')).toContain('TY-0001 李大山家');
    expect(await page.getByRole('link', { name: '去发起公示' }).getAttribute('href')).toBe('/publications');
    await desk.look('scoring-review-approved');

    const photo = await page.request.get(url(photoHref));
    expect(photo.status()).toBe(200);
    expect(photo.headers()['content-type']).toBe('image/png');
    desk.expectNoProblems();
  });
});

import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PIN } from '../../seeds/demo-county.js';
import { browserWindow, launchBrowser, listenOnFreePort, saveScreenshot } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

jest.setTimeout(120000);

/**
 * Issue 10 points 2 and 6 in a real browser on the demo county at 390 px: the rules on the public board, the 朗读
 * button (only with a Chinese voice) and the 大字 switch's visible state.
 */
let t: TestApp;
let browser: Browser;
let baseUrl: string;
let villageId: number;
const url = (path: string) => `${baseUrl}${path}`;

/** Pages in a PDF (each page object carries `/Type /Page`, the page tree `/Type /Pages`). */
const pdfPages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

/** A browser whose speech synthesis has a Chinese voice and records what it is asked to say. */
const CHINESE_VOICE = `
  window.__spoken = [];
  const voices = [{ name: '普通话', lang: 'zh-CN', default: true, localService: true, voiceURI: 'zh' }];
  Object.defineProperty(window, 'speechSynthesis', {
    configurable: true,
    value: {
      speaking: false,
      getVoices: () => voices,
      addEventListener() {},
      cancel() {},
      speak(utterance) { window.__spoken.push({ text: utterance.text, lang: utterance.lang }); },
    },
  });
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
`;

async function logInAsHousehold(page: Page, code: string) {
  await page.goto(url('/villager'));
  await page.getByLabel('户号').fill(code);
  await page.getByLabel('密码(PIN)').fill(DEMO_PIN);
  await page.getByRole('button', { name: '查看我的积分' }).click();
  await page.waitForURL(url('/villager'));
}

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo' });
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
  villageId = (await t.dataSource.query(`SELECT id FROM village WHERE code = 'TY'`))[0].id;
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the rules on the public board at 390 px', () => {
  const w = browserWindow(() => ({ browser, baseUrl }), 390, 844);
  beforeAll(() => w.open());
  afterAll(() => w.context?.close());

  it('should show the 积分细则 section with deductions and black-list marks, and no accessibility problem', async () => {
    await w.page.goto(url(`/public/villages/${villageId}`));
    const section = w.page.getByRole('region', { name: '积分细则' });
    expect(await section.isVisible()).toBe(true);
    expect(await section.locator('.rule-points.rule-minus').count()).toBeGreaterThan(0);
    expect(await section.getByText('列入黑榜', { exact: true }).count()).toBeGreaterThan(0);
    expect(await section.getByText(/起施行/).count()).toBe(1);
    await w.look('board-rules');
    w.expectNoProblems();
  });

  it('should print the rules alone on one or two A4 sheets', async () => {
    await w.page.goto(url(`/public/villages/${villageId}?section=rules`));
    expect(await w.page.getByRole('heading', { level: 2 }).allInnerTexts()).toEqual(['积分细则']);
    await w.look('board-rules-only');
    w.expectNoProblems();
    await w.page.emulateMedia({ media: 'print' });
    await saveScreenshot(w.page, 'board-print-rules');
    const pages = pdfPages(await w.page.pdf({ format: 'A4' }));
    await w.page.emulateMedia({ media: 'screen' });
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(2);
  });
});

describe('reading aloud and large text for a household at 390 px', () => {
  it('should hide 朗读 where the browser has no Chinese voice, and link the rules', async () => {
    const w = browserWindow(() => ({ browser, baseUrl }), 390, 844);
    await w.open();
    await w.context.addInitScript(
      'Object.defineProperty(window, "speechSynthesis", { configurable: true, value: { getVoices: () => [{ lang: "en-US", name: "English" }], addEventListener() {}, speak() {}, cancel() {} } });',
    );
    await logInAsHousehold(w.page, 'TY-0004');
    expect(await w.page.locator('button[data-read-aloud]').count()).toBe(1);
    expect(await w.page.getByRole('button', { name: '朗读' }).isVisible()).toBe(false);
    await w.page.getByRole('link', { name: '积分细则' }).click();
    expect(await w.page.getByRole('heading', { level: 2 }).allInnerTexts()).toEqual(['积分细则']);
    await w.context.close();
  });

  it('should show 朗读 with a Chinese voice and read the balances and the last entries in Chinese', async () => {
    const w = browserWindow(() => ({ browser, baseUrl }), 390, 844);
    await w.open();
    await w.context.addInitScript(CHINESE_VOICE);
    await logInAsHousehold(w.page, 'TY-0004');
    const available = (await w.page.locator('.balance-value').first().innerText()).trim();
    const button = w.page.getByRole('button', { name: '朗读' });
    expect(await button.isVisible()).toBe(true);
    await w.look('villager-read-aloud');
    w.expectNoProblems();
    await button.click();
    const spoken = (await w.page.evaluate('window.__spoken')) as { text: string; lang: string }[];
    expect(spoken).toHaveLength(1);
    expect(spoken[0].lang).toBe('zh-CN');
    expect(spoken[0].text).toContain(`可用积分。${available}`);
    expect(spoken[0].text).toContain('累计积分');
    expect(spoken[0].text).not.toMatch(/[+−]\d/);

    await w.page.goto(url('/villager/passbook'));
    await w.page.getByRole('button', { name: '朗读' }).click();
    const onPassbook = (await w.page.evaluate('window.__spoken')) as { text: string }[];
    expect(onPassbook[0].text).toContain(`可用积分。${available}`);
    await w.context.close();
  });

  it('should show the 大字 switch as pressed, and look different, when large text is on', async () => {
    const w = browserWindow(() => ({ browser, baseUrl }), 390, 844);
    await w.open();
    await w.page.goto(url('/villager'));
    const toggle = () => w.page.getByRole('button', { name: '大字' });
    expect(await toggle().getAttribute('aria-pressed')).toBe('false');
    const styleOf = () =>
      toggle().evaluate((el) => {
        const s = el.ownerDocument.defaultView!.getComputedStyle(el);
        return `${s.backgroundColor} ${s.color}`;
      });
    const off = await styleOf();
    await toggle().click();
    await w.page.waitForLoadState();
    expect(await toggle().getAttribute('aria-pressed')).toBe('true');
    expect(await w.page.evaluate('document.documentElement.className')).toContain('big-text');
    expect(await styleOf()).not.toBe(off);
    await w.look('villager-login-big-text');
    w.expectNoProblems();
    await w.context.close();
  });
});

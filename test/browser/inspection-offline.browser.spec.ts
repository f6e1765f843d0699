import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { DEMO_PASSWORD } from '../../seeds/demo-county.js';
import { browserWindow, launchBrowser, listenOnFreePort } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';

jest.setTimeout(180000);

/**
 * 入户检查 with no signal (issue 21 point 4), in the browser's offline mode on a 390×844 phone: the round's page opens
 * again from the phone's cache, three findings wait on the phone, and once online each is sent once; the submitted
 * round is exactly three PENDING records. A round of 50 findings is timed from going online to all sent.
 */
let t: TestApp;
let browser: Browser;
let baseUrl: string;
const url = (path: string) => `${baseUrl}${path}`;
const windowOf = (width: number, height: number) =>
  browserWindow(() => ({ browser, baseUrl }), width, height);
/**
 * Waits until an expression holds in the page. Evaluated through the DevTools protocol (the pages' CSP forbids the
 * eval that Playwright's string predicates use).
 */
async function until(page: Page, expression: string, timeout = 20000): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`not reached within ${timeout} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
/** Whether as many findings as `n` wait on the phone (the page keeps the number on its root). */
const waiting = (n: number) => `document.querySelector('[data-round]')?.dataset.waiting === '${n}'`;
/** A 1×1 PNG: the courtyard's photo. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const count = async (sql: string) => Number(Object.values((await t.dataSource.query(sql))[0])[0]);

async function openRound(title: string): Promise<number> {
  const scorer = await t.token('ty_grid', DEMO_PASSWORD);
  const [village] = await t.dataSource.query(`SELECT id FROM village WHERE code = 'TY'`);
  const round = await request(t.http)
    .post('/api/v1/inspection-rounds')
    .set(auth(scorer))
    .send({ villageId: village.id, title, category: '人居环境' });
  if (round.status !== 201) throw new Error(`round: ${round.status} ${JSON.stringify(round.body)}`);
  return round.body.id as number;
}

beforeAll(async () => {
  t = await createTestApp({ seed: 'demo', env: { DEMO_HISTORY: 'off' } });
  baseUrl = await listenOnFreePort(t.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('an inspection round with no signal, on a 390×844 phone', () => {
  const phone = windowOf(390, 844);
  beforeEach(() => phone.open());
  afterEach(() => phone.context?.close());

  it('should keep three findings on the phone offline and send each once when back online', async () => {
    const { page, context } = phone;
    const roundId = await openRound('12月人居环境检查');
    await phone.logIn('ty_grid');
    await page.goto(url(`/inspection-rounds/${roundId}`));
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    await until(
      page,
      `caches.open('inspection-pages').then((c) => c.match('/inspection-rounds/${roundId}')).then(Boolean)`,
    );
    // The door-plate reader (zxing, served by the app) loaded under the pages' CSP: its button shows.
    expect(await page.getByRole('button', { name: '扫门牌二维码' }).isVisible()).toBe(true);
    await phone.look('inspection-round');

    await context.setOffline(true);
    await page.reload();
    expect(await phone.h1().innerText()).toBe('12月人居环境检查');
    for (const code of ['TY-0001', 'TY-0002', 'TY-0003']) {
      await page.getByLabel('户号或户主姓名').fill(code);
      const card = page.locator('[data-household]:visible');
      expect(await card.count()).toBe(1);
      // The first with a photo of the courtyard, kept on the phone with the finding.
      if (code === 'TY-0001')
        await card
          .getByLabel('现场照片（可不传）')
          .setInputFiles({ name: 'yard.png', mimeType: 'image/png', buffer: PNG });
      await card.getByRole('button', { name: /^记录/ }).click();
    }
    await until(page, waiting(3));
    expect(await page.locator('[data-status]').innerText()).toContain('还有 3 条没发送');
    expect(await count(`SELECT COUNT(*) FROM inspection_entry WHERE "roundId" = ${roundId}`)).toBe(0);
    await phone.look('inspection-round-offline');

    await context.setOffline(false);
    await until(page, waiting(0), 20000);
    expect(await count(`SELECT COUNT(*) FROM inspection_entry WHERE "roundId" = ${roundId}`)).toBe(3);
    expect(
      await count(
        `SELECT COUNT(*) FROM inspection_entry WHERE "roundId" = ${roundId} AND "photoPath" IS NOT NULL`,
      ),
    ).toBe(1);
    await page.getByRole('button', { name: '提交本轮检查' }).click();
    await page.waitForURL(url(`/inspection-rounds/${roundId}`));
    expect(
      await count(
        `SELECT COUNT(*) FROM score_record r JOIN inspection_entry e ON e."recordId" = r.id
          WHERE e."roundId" = ${roundId} AND r.status = 'PENDING'`,
      ),
    ).toBe(3);
    phone.expectNoProblems();
  });

  it('should send a round of 50 findings once back online, each once (timed)', async () => {
    const { page, context } = phone;
    const roundId = await openRound('入户检查（50 条）');
    await phone.logIn('ty_grid');
    await page.goto(url(`/inspection-rounds/${roundId}`));
    await context.setOffline(true);
    const forms = page.locator('form[data-entry]');
    const households = await forms.count();
    for (let i = 0; i < 50; i++)
      await forms
        .nth(i % households)
        .getByRole('button', { name: /^记录/ })
        .click();
    await until(page, waiting(50));
    const started = Date.now();
    await context.setOffline(false);
    await until(page, waiting(0), 60000);
    const ms = Date.now() - started;
    console.log(`inspection round: 50 findings sent in ${ms} ms once back online`);
    expect(await count(`SELECT COUNT(*) FROM inspection_entry WHERE "roundId" = ${roundId}`)).toBe(50);
  });
});

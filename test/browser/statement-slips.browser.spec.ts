import { jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { browserWindow, launchBrowser, listenOnFreePort, saveScreenshot } from '../support/browser.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

jest.setTimeout(120000);

/**
 * 积分对账单 in a real browser on the demo county (桃源村 has eight households): on a phone the slips stack one a row
 * with nothing to scroll sideways; printed, four slips go on each A4 sheet, so eight households make two pages.
 */
let t: TestApp;
let browser: Browser;
let baseUrl: string;
let villageId: number;

/** Pages in a PDF (each page object carries `/Type /Page`, the page tree `/Type /Pages`). */
const pdfPages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

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

describe('the committee prints the month’s slips', () => {
  const phone = browserWindow(() => ({ browser, baseUrl }), 390, 844);
  beforeAll(() => phone.open());
  afterAll(() => phone.context?.close());

  it('should stack the slips one a row on a phone with no accessibility problem', async () => {
    const { page } = phone;
    await phone.logIn('ty_admin');
    await page.goto(`${baseUrl}/households`);
    await page.getByRole('link', { name: '打印积分对账单' }).click();
    await page.waitForURL(`${baseUrl}/villages/${villageId}/slips`);
    const slips = page.locator('.slip');
    expect(await slips.count()).toBe(8);
    const [first, second] = [await slips.nth(0).boundingBox(), await slips.nth(1).boundingBox()];
    expect(second!.y).toBeGreaterThan(first!.y + first!.height - 1);
    expect(first!.width).toBeLessThanOrEqual(390);
    await phone.look('slips-390');
    phone.expectNoProblems();
  });

  it('should print four slips to an A4 sheet without the site header: eight households, two pages', async () => {
    const { page } = phone;
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.locator('h1').isVisible()).toBe(false);
    await saveScreenshot(page, 'slips-print');
    expect(pdfPages(await page.pdf({ format: 'A4' }))).toBe(2);
    // One group: its two households fit on one sheet.
    const [group] = await t.dataSource.query(
      `SELECT id FROM village_group WHERE "villageId" = ${villageId} ORDER BY "sortOrder" LIMIT 1`,
    );
    await page.goto(`${baseUrl}/villages/${villageId}/slips?groupId=${group.id}`);
    expect(await page.locator('.slip').count()).toBe(2);
    expect(pdfPages(await page.pdf({ format: 'A4' }))).toBe(1);
    await page.emulateMedia({ media: 'screen' });
  });
});

import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seeds/demo-county.js';

/** Debian's Chromium (test/support/ensure-chromium.sh installs it); never a downloaded browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Puts the app on a free port of 127.0.0.1 and answers its base URL, e.g. `http://127.0.0.1:40123`. */
export async function listenOnFreePort(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOT_DIR = join(projectRoot, 'test-results', 'screenshots');

/**
 * A full-page screenshot in test-results/screenshots/<width>-<name>.png (git-ignored), to look at by eye. SCREENSHOTS=off
 * skips taking it (`.ci/run`'s second pass, on PostgreSQL: the same pages, nobody looks; 14% of a browser spec's time).
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  const path = join(SCREENSHOT_DIR, `${width}-${name}.png`);
  if (process.env.SCREENSHOTS !== 'off') await page.screenshot({ path, fullPage: true });
  return path;
}

let axeSource: string | undefined;

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/**
 * Runs axe-core on the page as it is now and answers one line per serious or critical violation
 * (rule id, help text and the CSS targets of the offending nodes); an empty list when there are none.
 * Besides axe's default rules it checks WCAG 2.2 target-size (tap targets of at least 24 px), for phones.
 * axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy does not block,
 * so the app's real CSP stays in force during the test.
 */
export async function seriousAxeViolations(page: Page, pageName: string): Promise<string[]> {
  // AXE=off: `.ci/run`'s second pass, on PostgreSQL, draws the same pages from the same seeds as the SQLite pass, which
  // has checked them; there axe was 28% of a browser spec's time (foundation: 27.4 → 19.7 s without it).
  if (process.env.AXE === 'off') return [];
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(axeSource);
  const violations = (await page.evaluate(
    'axe.run(document, { rules: { "target-size": { enabled: true } } }).then((r) => r.violations.map(({ id, impact, help, helpUrl, nodes }) => ({ id, impact, help, helpUrl, nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })) })))',
  )) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `[${pageName} ${page.url()}] ${v.impact} ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('\n'),
    );
}

/** How far the page is wider than the viewport in CSS pixels (0 when nothing spills out sideways). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(
    'Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)',
  ) as Promise<number>;
}

/** Follows a link of the main navigation as a person would: on a phone, opening its menu (积分, 超市…) first. */
export async function followNavLink(page: Page, label: string): Promise<void> {
  const nav = page.getByRole('navigation', { name: '主导航' });
  const link = nav.getByRole('link', { name: label, exact: true });
  if (!(await link.isVisible()))
    await nav
      .locator('details', { has: page.locator(`a:text-is("${label}")`) })
      .locator('summary')
      .click();
  await link.click();
}

/** A browser window of the given size, with the checks a careful tester makes on each page. */
/** `where` is read when the window opens: the specs build windows before their beforeAll has started the app. */
export function browserWindow(
  where: () => { browser: Browser; baseUrl: string },
  width: number,
  height: number,
) {
  const url = (path: string) => `${where().baseUrl}${path}`;
  const w = {
    context: undefined as unknown as BrowserContext,
    page: undefined as unknown as Page,
    problems: [] as string[],
    async open() {
      const phone = width < 600;
      w.context = await where().browser.newContext({
        viewport: { width, height },
        isMobile: phone,
        hasTouch: phone,
        locale: 'zh-CN',
      });
      w.context.setDefaultTimeout(15000);
      w.page = await w.context.newPage();
      w.page.on('pageerror', (error) => w.problems.push(`script error on ${w.page.url()}: ${error.message}`));
    },
    /** Keep a screenshot, run axe, and look for sideways scrolling. */
    async look(name: string) {
      await saveScreenshot(w.page, name);
      w.problems.push(...(await seriousAxeViolations(w.page, name)));
      const overflow = await horizontalOverflow(w.page);
      if (overflow > 0)
        w.problems.push(`[${name}] the page is ${overflow}px wider than the ${width}px screen`);
    },
    expectNoProblems() {
      const found = w.problems;
      w.problems = [];
      if (found.length > 0)
        throw new Error(`${found.length} problem(s) on the pages visited:\n${found.join('\n')}`);
    },
    async logIn(username: string) {
      await w.page.goto(url('/login'));
      await w.page.getByLabel('用户名').fill(username);
      await w.page.getByLabel('密码').fill(DEMO_PASSWORD);
      await w.page.getByRole('button', { name: '登录', exact: true }).click();
      await w.page.waitForURL(url('/'));
    },
    h1: () => w.page.getByRole('heading', { level: 1 }),
    nav: () => w.page.getByRole('navigation', { name: '主导航' }),
    /** Follows a link of the main navigation as a person would: on a phone, opening its menu (积分, 超市…) first. */
    navTo: (label: string) => followNavLink(w.page, label),
  };
  return w;
}

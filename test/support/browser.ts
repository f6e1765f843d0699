import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { chromium, type Browser, type Page } from 'playwright-core';

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

/** A full-page screenshot in test-results/screenshots/<width>-<name>.png (git-ignored), to look at by eye. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  const path = join(SCREENSHOT_DIR, `${width}-${name}.png`);
  await page.screenshot({ path, fullPage: true });
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

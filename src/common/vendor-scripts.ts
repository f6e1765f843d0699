import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { projectRoot } from './paths.js';

/**
 * Browser scripts from well-kept packages, served by the app itself (never from a CDN: a village's network may reach
 * only this server, and the pages' Content-Security-Policy allows scripts from here alone). Address under
 * `/assets/vendor/` → file in node_modules. Only the files named here are served.
 */
export const VENDOR_SCRIPTS: Record<string, string> = {
  // IndexedDB as a key-value store (jakearchibald/idb-keyval): the inspection round's waiting findings.
  'idb-keyval.js': 'idb-keyval/dist/umd.js',
  // QR codes read from the phone's camera (zxing-js): finding a household by its door plate. Pure script, no worker,
  // no WebAssembly, so the pages' CSP needs nothing more.
  'zxing-browser.js': '@zxing/browser/umd/zxing-browser.min.js',
  // Workbox (GoogleChrome/workbox) for the inspection round's service worker: the loader and the modules it uses,
  // loaded from here (`modulePathPrefix`) instead of Google's CDN.
  'workbox/workbox-sw.js': 'workbox-sw/build/workbox-sw.js',
  'workbox/workbox-core.prod.js': 'workbox-core/build/workbox-core.prod.js',
  'workbox/workbox-routing.prod.js': 'workbox-routing/build/workbox-routing.prod.js',
  'workbox/workbox-strategies.prod.js': 'workbox-strategies/build/workbox-strategies.prod.js',
};

/** One middleware under `/assets/vendor/` (one layer for every request to pass, not one per file). */
export function serveVendorScripts(app: NestExpressApplication): void {
  const modules = join(projectRoot(), 'node_modules');
  const files = new Map(
    Object.entries(VENDOR_SCRIPTS).map(([name, file]) => [`/${name}`, join(modules, file)]),
  );
  app.use('/assets/vendor', (req: Request, res: Response, next: () => void) => {
    const path = files.get(req.path);
    if (!path || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    res.sendFile(path, { maxAge: '1d', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
  });
}

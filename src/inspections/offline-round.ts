/**
 * The service worker of the inspection round pages (`/inspection-rounds/sw.js`, scope `/inspection-rounds/`), with
 * Workbox loaded from this server (`/assets/vendor/workbox/`, see common/vendor-scripts.ts), never from a CDN. A round
 * page is fetched from the network while there is signal and answered from the cache when there is none (the page
 * puts itself and its scripts in these caches when it opens: see views/assets/inspection.js); scripts and styles are
 * answered from the cache and refreshed behind. The findings themselves are not the worker's business: they wait in
 * IndexedDB and the page sends them.
 */
export const ROUND_PAGES_CACHE = 'inspection-pages';
export const ROUND_ASSETS_CACHE = 'inspection-assets';

export const INSPECTION_WORKER = `importScripts('/assets/vendor/workbox/workbox-sw.js');
workbox.setConfig({ modulePathPrefix: '/assets/vendor/workbox/', debug: false });
// Loaded now: a worker may not load scripts after it is installed.
const { registerRoute } = workbox.routing;
const { NetworkFirst, StaleWhileRevalidate } = workbox.strategies;
const { clientsClaim } = workbox.core;
self.skipWaiting();
clientsClaim();
registerRoute(
  ({ request, url }) => request.mode === 'navigate' && url.pathname.startsWith('/inspection-rounds/'),
  new NetworkFirst({ cacheName: '${ROUND_PAGES_CACHE}', networkTimeoutSeconds: 4 }),
);
registerRoute(
  ({ request, url }) => request.method === 'GET' && url.pathname.startsWith('/assets/'),
  new StaleWhileRevalidate({ cacheName: '${ROUND_ASSETS_CACHE}' }),
);
`;

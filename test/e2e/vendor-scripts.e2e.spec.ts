import request from 'supertest';
import { VENDOR_SCRIPTS } from '../../src/common/vendor-scripts.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';

/**
 * The browser libraries the offline inspection round needs come from this server (decision 007): each one named is
 * served as a script (an upgrade that moved a file fails here, not on a phone in a hill village), and nothing else in
 * node_modules is reachable.
 */
describe('browser libraries served by the app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('should serve every named library as a script, and nothing else', async () => {
    for (const name of Object.keys(VENDOR_SCRIPTS)) {
      const res = await request(t.http).get(`/assets/vendor/${name}`);
      expect([name, res.status, res.headers['content-type']]).toEqual([
        name,
        200,
        'text/javascript; charset=utf-8',
      ]);
      expect(res.text.length).toBeGreaterThan(1000);
    }
    for (const path of [
      '/assets/vendor/package.json',
      '/assets/vendor/../../package.json',
      '/assets/vendor/x.js',
    ])
      expect([path, (await request(t.http).get(path)).status]).toEqual([path, 404]);
  });

  it('should serve the inspection round’s service worker with Workbox from here, not from a CDN', async () => {
    const res = await request(t.http).get('/inspection-rounds/sw.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('javascript');
    expect(res.text).toContain("importScripts('/assets/vendor/workbox/workbox-sw.js')");
    expect(res.text).toContain("modulePathPrefix: '/assets/vendor/workbox/'");
    expect(res.text).not.toMatch(/https?:\/\//);
  });
});

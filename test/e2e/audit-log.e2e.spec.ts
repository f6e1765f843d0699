import request from 'supertest';
import { todayInChina } from '../../src/common/dates.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, createTestUser, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { createScoringScene, createTestHousehold } from '../support/scoring-fixtures.js';

/** 操作日志 for the township: its villages' writes, filtered by village, person, action and date. */
describe('the audit log page', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;

  beforeAll(async () => {
    t = await createTestApp();
    scene = await createScoringScene(t);
    await createTestHousehold(t, await scene.villageAdmin.token(), scene.village.id, {
      headName: '审计测试户',
    });
  });
  afterAll(() => t.close());

  it('should show the township its villages’ writes, filtered by village, person, action and date', async () => {
    const township = await scene.townshipUser.token();
    const today = todayInChina();
    const all = await request(t.http).get('/api/v1/audit-logs').set(auth(township));
    expect(all.status).toBe(200);
    expect(all.body.items.some((a: { action: string }) => a.action === 'household.create')).toBe(true);
    const filtered = await request(t.http)
      .get(
        `/api/v1/audit-logs?villageId=${scene.village.id}&action=household&person=${encodeURIComponent('测试人员')}&from=${today}&to=${today}`,
      )
      .set(auth(township));
    expect(filtered.body.items.length).toBeGreaterThan(0);
    expect(
      filtered.body.items.every(
        (a: { action: string; villageId: number }) =>
          a.action.startsWith('household') && a.villageId === scene.village.id,
      ),
    ).toBe(true);
    const yesterday = await request(t.http).get('/api/v1/audit-logs?to=2000-01-01').set(auth(township));
    expect(yesterday.body.total).toBe(0);
    const page = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
    const html = await page.get(`/audit?villageId=${scene.village.id}`);
    expect(html.status).toBe(200);
    expect(html.text).toMatch(/新增农户 [A-Z0-9-]+ 审计测试户家/);
  });

  it('should keep another township out of this one’s log, refuse a village committee, and refuse a bad date with 400', async () => {
    const other = await (
      await createTestUser(t, { role: 'TOWNSHIP', townshipId: scene.otherTownship.id })
    ).token();
    const theirs = await request(t.http)
      .get(`/api/v1/audit-logs?villageId=${scene.village.id}`)
      .set(auth(other));
    expect(theirs.body.total).toBe(0);
    expect(
      (
        await request(t.http)
          .get('/api/v1/audit-logs')
          .set(auth(await scene.villageAdmin.token()))
      ).status,
    ).toBe(403);
    const page = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
    const bad = await page.get('/audit?from=2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('日期应为 YYYY-MM-DD');
  });
});

import { createTestApp, TestApp } from '../support/create-test-app.js';
import { csrfFrom, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { createScoringScene, createTestHousehold } from '../support/scoring-fixtures.js';
import { doorPlateUrl, qrSvg } from '../../src/households/door-plate.controller.js';
import request from 'supertest';

/** 门牌: the code in large type and a QR code that opens the villager login with the code filled in. */
describe('door plates', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let household: { id: number; code: string };

  beforeAll(async () => {
    t = await createTestApp();
    scene = await createScoringScene(t);
    household = await createTestHousehold(t, await scene.villageAdmin.token(), scene.village.id, {
      headName: '孙长青',
    });
  });
  afterAll(() => t.close());

  it('should print the code, the head and a QR code of the villager login address', async () => {
    const agent = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    const res = await agent.get(`/households/${household.id}/door-plate`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<p class="plate-code">${household.code}</p>`);
    expect(res.text).toContain('户主 孙长青');
    expect(res.text).toMatch(/<svg[^>]*viewBox/);
    const shown = /<p class="plate-url">([^<]+)<\/p>/.exec(res.text)?.[1] as string;
    const url = shown.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
    expect(url).toMatch(new RegExp(`/villager\\?code=${household.code}$`));
    expect(res.text).toContain(await qrSvg(url));
    const all = await agent.get('/households/door-plates');
    expect(all.text).toContain(household.code);
  });

  it('should open the villager login with the code filled in when the QR address is visited', async () => {
    const page = await request(t.http).get(
      new URL(doorPlateUrl('http://x', household.code)).pathname + `?code=${household.code}`,
    );
    expect(page.text).toContain(`value="${household.code}"`);
    expect(csrfFrom(page.text)).toBeTruthy();
  });

  it('should refuse another village’s committee and a villager', async () => {
    const neighbour = await loggedIn(t, scene.neighbourAdmin.username, TEST_PASSWORD);
    expect((await neighbour.get(`/households/${household.id}/door-plate`)).status).toBe(403);
    const villager = request.agent(t.http);
    const login = await villager.get('/villager');
    await villager
      .post('/villager/login')
      .type('form')
      .send({ _csrf: csrfFrom(login.text), householdCode: household.code, pin: '135790' });
    expect((await villager.get(`/households/${household.id}/door-plate`)).status).toBe(403);
  });
});

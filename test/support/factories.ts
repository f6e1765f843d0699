import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { TestApp } from './create-test-app.js';

const unique = () => randomBytes(3).toString('hex').toUpperCase();

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Test data through the real API, as the admin or whoever's token is given. */
export async function createTestTownship(
  t: TestApp,
  overrides: Partial<{ name: string; code: string }> = {},
) {
  const res = await request(t.http)
    .post('/api/v1/townships')
    .set(auth(await t.adminToken()))
    .send({ name: `测试镇${unique()}`, code: `T${unique()}`, ...overrides });
  if (res.status !== 201) throw new Error(`township: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number; name: string; code: string };
}

export async function createTestVillage(
  t: TestApp,
  townshipId: number,
  overrides: Partial<{ name: string; code: string; groups: string[] }> = {},
) {
  const res = await request(t.http)
    .post('/api/v1/villages')
    .set(auth(await t.adminToken()))
    .send({
      townshipId,
      name: `测试村${unique()}`,
      code: `V${unique()}`,
      groups: ['第一组', '第二组'],
      ...overrides,
    });
  if (res.status !== 201) throw new Error(`village: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as {
    id: number;
    name: string;
    code: string;
    townshipId: number;
    groups: { id: number; name: string }[];
  };
}

export const TEST_PASSWORD = 'test-pass-2026';

export async function createTestUser(
  t: TestApp,
  fields: {
    role: string;
    townshipId?: number;
    villageId?: number;
    householdId?: number;
    username?: string;
    displayName?: string;
  },
  asToken?: string,
) {
  const username = fields.username ?? `u_${unique().toLowerCase()}`;
  // A village account states its household or that it has none; one a committee creates waits for confirmation.
  const home = fields.villageId && !fields.householdId ? { noHousehold: true } : {};
  const res = await request(t.http)
    .post('/api/v1/users')
    .set(auth(asToken ?? (await t.adminToken())))
    .send({ displayName: '测试人员', password: TEST_PASSWORD, ...home, ...fields, username });
  if (res.status !== 201) throw new Error(`user: ${res.status} ${JSON.stringify(res.body)}`);
  if (res.body.awaitingConfirmation) {
    const confirmed = await request(t.http)
      .post(`/api/v1/users/${res.body.id}/confirm`)
      .set(auth(await t.adminToken()));
    if (confirmed.status !== 200)
      throw new Error(`confirm: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  }
  return {
    ...(res.body as { id: number; username: string; role: string }),
    token: () => t.token(username, TEST_PASSWORD),
  };
}

/** A township with two villages and staff of every role: the usual scene for scope tests. */
export async function createTestCounty(t: TestApp) {
  const township = await createTestTownship(t);
  const otherTownship = await createTestTownship(t);
  const village = await createTestVillage(t, township.id);
  const neighbour = await createTestVillage(t, township.id);
  const farVillage = await createTestVillage(t, otherTownship.id);
  const townshipUser = await createTestUser(t, { role: 'TOWNSHIP', townshipId: township.id });
  const villageAdmin = await createTestUser(t, { role: 'VILLAGE_ADMIN', villageId: village.id });
  const scorer = await createTestUser(t, { role: 'SCORER', villageId: village.id });
  const clerk = await createTestUser(t, { role: 'CLERK', villageId: village.id });
  const neighbourAdmin = await createTestUser(t, { role: 'VILLAGE_ADMIN', villageId: neighbour.id });
  return {
    township,
    otherTownship,
    village,
    neighbour,
    farVillage,
    townshipUser,
    villageAdmin,
    scorer,
    clerk,
    neighbourAdmin,
  };
}

/** The CSRF token of the last page a browser-like agent fetched. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1];
}

/** A browser-like agent (cookies kept) logged in through a login form: the page's CSRF token, then the fields. */
async function formLogin(t: TestApp, page: string, action: string, fields: Record<string, string>) {
  const agent = request.agent(t.http);
  const form = await agent.get(page);
  const res = await agent
    .post(action)
    .type('form')
    .send({ _csrf: csrfFrom(form.text), ...fields });
  if (res.status !== 303) throw new Error(`login on ${action} failed: ${res.status}`);
  return agent;
}

/** A browser-like agent (cookies kept) logged in through the login page. */
export function loggedIn(t: TestApp, username: string, password: string) {
  return formLogin(t, '/login', '/login', { username, password });
}

/** A browser-like agent logged in as a household on /villager (household code and PIN). */
export function villagerAgent(t: TestApp, code: string, pin: string) {
  return formLogin(t, '/villager', '/villager/login', { householdCode: code, pin });
}

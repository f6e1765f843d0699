import request from 'supertest';
import type { TestApp } from './create-test-app.js';
import { auth, createTestCounty, createTestUser } from './factories.js';

export type County = Awaited<ReturnType<typeof createTestCounty>>;

/** A county with a second committee member (records need a reviewer other than their recorder). */
export async function createScoringScene(t: TestApp) {
  const county = await createTestCounty(t);
  const secondAdmin = await createTestUser(t, { role: 'VILLAGE_ADMIN', villageId: county.village.id });
  return { ...county, secondAdmin };
}

export async function createTestRule(
  t: TestApp,
  token: string,
  villageId: number,
  overrides: Record<string, unknown> = {},
) {
  const res = await request(t.http)
    .post('/api/v1/rules')
    .set(auth(token))
    .send({
      villageId,
      code: `R${Math.floor(Math.random() * 1e6)}`,
      category: '德治',
      title: '志愿服务',
      points: 15,
      ...overrides,
    });
  if (res.status !== 201) throw new Error(`rule: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number; code: string; minPoints: number; maxPoints: number; version: number };
}

export async function createTestHousehold(
  t: TestApp,
  token: string,
  villageId: number,
  overrides: Record<string, unknown> = {},
) {
  const res = await request(t.http)
    .post('/api/v1/households')
    .set(auth(token))
    .send({ villageId, headName: '测试户', memberCount: 3, pin: '135790', ...overrides });
  if (res.status !== 201) throw new Error(`household: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number; code: string };
}

/** Today in China minus n days, YYYY-MM-DD. */
export function daysAgo(n: number): string {
  const d = new Date(Date.now() + 8 * 3600_000);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

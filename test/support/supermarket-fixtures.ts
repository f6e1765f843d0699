import request from 'supertest';
import type { TestApp } from './create-test-app.js';
import { auth } from './factories.js';
import { createTestHousehold } from './scoring-fixtures.js';

/** A household carried over from paper with `points` available (an OPENING entry through the real import). */
export async function createHouseholdWithPoints(
  t: TestApp,
  committeeToken: string,
  villageId: number,
  points: number,
  overrides: Record<string, unknown> = {},
) {
  const household = await createTestHousehold(t, committeeToken, villageId, overrides);
  const res = await request(t.http)
    .post(`/api/v1/households/opening?villageId=${villageId}`)
    .set(auth(committeeToken))
    .attach('file', Buffer.from(`户号,期初积分\n${household.code},${points}\n`), 'opening.csv');
  if (res.status !== 201) throw new Error(`opening: ${res.status} ${JSON.stringify(res.body)}`);
  return household;
}

let goodsCounter = 0;

export async function createTestGoods(
  t: TestApp,
  token: string,
  villageId: number,
  overrides: Record<string, unknown> = {},
) {
  goodsCounter += 1;
  const res = await request(t.http)
    .post('/api/v1/goods')
    .set(auth(token))
    .send({
      villageId,
      name: `测试商品${goodsCounter}`,
      unit: '袋',
      pricePoints: 10,
      stock: 50,
      ...overrides,
    });
  if (res.status !== 201) throw new Error(`goods: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number; name: string; unit: string; pricePoints: number; stock: number };
}

/** A fresh idempotency key, as the counter page makes one per basket. */
export function newKey(): string {
  return `key-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

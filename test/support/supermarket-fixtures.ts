import request from 'supertest';
import type { TestApp } from './create-test-app.js';
import { Publication } from '../../src/publications/publication.entity.js';
import { PublicationsService } from '../../src/publications/publications.service.js';
import { auth, createTestUser } from './factories.js';
import { createTestHousehold, daysAgo } from './scoring-fixtures.js';

/** A second committee member per village, to approve what the test's committee uploaded (nobody approves their own). */
const reviewers = new WeakMap<TestApp, Map<number, string>>();

async function reviewerOf(t: TestApp, villageId: number): Promise<string> {
  let byVillage = reviewers.get(t);
  if (!byVillage) reviewers.set(t, (byVillage = new Map()));
  let token = byVillage.get(villageId);
  if (!token) {
    token = await (await createTestUser(t, { role: 'VILLAGE_ADMIN', villageId })).token();
    byVillage.set(villageId, token);
  }
  return token;
}

/**
 * A household carried over from paper with `points` available: the real import (a PENDING record), approved by a
 * second committee member, then posted as an OPENING entry by closing a 公示 of that record alone (made here with its
 * window already over, so that the test's other approved records are left where they are).
 */
export async function createHouseholdWithPoints(
  t: TestApp,
  committeeToken: string,
  villageId: number,
  points: number,
  overrides: Record<string, unknown> = {},
) {
  const household = await createTestHousehold(t, committeeToken, villageId, overrides);
  const [{ townshipId }] = await t.dataSource.query(
    `SELECT "townshipId" FROM village WHERE id = ${villageId}`,
  );
  const cap = await request(t.http)
    .put(`/api/v1/townships/${townshipId}/opening-cap`)
    .set(auth(await t.adminToken()))
    .send({ openingCap: 100_000 });
  if (cap.status !== 200) throw new Error(`opening cap: ${cap.status} ${JSON.stringify(cap.body)}`);
  const res = await request(t.http)
    .post(`/api/v1/households/opening?villageId=${villageId}`)
    .set(auth(committeeToken))
    .attach('file', Buffer.from(`户号,期初积分\n${household.code},${points}\n`), 'opening.csv');
  if (res.status !== 201) throw new Error(`opening: ${res.status} ${JSON.stringify(res.body)}`);
  const [recordId] = res.body.recordIds as number[];
  const approved = await request(t.http)
    .post(`/api/v1/score-records/${recordId}/approve`)
    .set(auth(await reviewerOf(t, villageId)))
    .send({});
  if (approved.status !== 200)
    throw new Error(`approve: ${approved.status} ${JSON.stringify(approved.body)}`);
  const yesterday = daysAgo(1);
  const publication = await t.dataSource
    .getRepository(Publication)
    .save({ villageId, startsOn: yesterday, endsOn: yesterday, days: 1, openedBy: null });
  await t.dataSource.query(
    `UPDATE score_record SET status = 'PUBLICIZING', "publicationId" = ${publication.id} WHERE id = ${recordId}`,
  );
  await t.app.get(PublicationsService).close(null, publication.id);
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

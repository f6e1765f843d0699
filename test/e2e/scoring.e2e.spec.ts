import request from 'supertest';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { PublicationsScheduler } from '../../src/publications/publications.scheduler.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';
import {
  createScoringScene,
  createTestHousehold,
  createTestRule,
  daysAgo,
} from '../support/scoring-fixtures.js';

/** The whole path 登记 → 审核 → 公示 → 入账 through the API, with every refusal on the way. */
describe('scoring path: record, review, publish, object, post', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let scorer: string;
  let committee: string;
  let reviewer: string;
  let villageId: number;

  const post = (path: string, token: string, body: object = {}) =>
    request(t.http).post(path).set(auth(token)).send(body);
  const household = (id: number) =>
    t.dataSource.query(`SELECT available, earned FROM household WHERE id = ${id}`).then((r) => r[0]);
  const recordRow = (id: number) =>
    request(t.http)
      .get(`/api/v1/score-records/${id}`)
      .set(auth(committee))
      .then((r) => r.body);

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    scene = await createScoringScene(t);
    scorer = await scene.scorer.token();
    committee = await scene.villageAdmin.token();
    reviewer = await scene.secondAdmin.token();
    villageId = scene.village.id;
  });
  afterAll(async () => {
    const report = await t.app.get(LedgerService).verify([villageId, scene.neighbour.id]);
    expect(report).toMatchObject({ ok: true, chainValid: true });
    await t.close();
  });

  /** Recorded by the scorer, approved by the committee: ready to publish. */
  async function approvedRecord(householdId: number, ruleId: number, body: object = {}) {
    const rec = await post('/api/v1/score-records', scorer, {
      householdId,
      ruleId,
      occurredOn: daysAgo(1),
      ...body,
    });
    expect(rec.status).toBe(201);
    const ok = await post(`/api/v1/score-records/${rec.body.id}/approve`, committee);
    expect(ok.status).toBe(200);
    return rec.body as { id: number };
  }

  it('should take a record from PENDING to POSTED and move both balances in the passbook', async () => {
    const rule = await createTestRule(t, committee, villageId, { points: 15 });
    const h = await createTestHousehold(t, committee, villageId);
    const rec = await post('/api/v1/score-records', scorer, {
      householdId: h.id,
      ruleId: rule.id,
      occurredOn: daysAgo(2),
      note: '清扫村道',
    });
    expect(rec.status).toBe(201);
    expect(rec.body).toMatchObject({
      status: 'PENDING',
      points: 15,
      householdId: h.id,
      ruleId: rule.id,
      recordedBy: scene.scorer.id,
      reviewedBy: null,
      publicationId: null,
    });
    const approved = await post(`/api/v1/score-records/${rec.body.id}/approve`, committee);
    expect(approved.body).toMatchObject({ status: 'APPROVED', reviewedBy: scene.villageAdmin.id });
    const pub = await post('/api/v1/publications', committee, { villageId, days: 0 });
    expect(pub.status).toBe(201);
    expect(pub.body).toMatchObject({
      villageId,
      status: 'OPEN',
      recordIds: expect.arrayContaining([rec.body.id]),
    });
    expect((await recordRow(rec.body.id)).status).toBe('PUBLICIZING');
    const closed = await post(`/api/v1/publications/${pub.body.id}/close`, committee);
    expect(closed.status).toBe(200);
    expect(closed.body).toEqual({
      id: pub.body.id,
      status: 'CLOSED',
      postedRecordIds: expect.arrayContaining([rec.body.id]),
    });
    expect((await recordRow(rec.body.id)).status).toBe('POSTED');
    expect(await household(h.id)).toEqual({ available: 15, earned: 15 });
    const book = await request(t.http).get(`/api/v1/households/${h.id}/passbook`).set(auth(committee));
    expect(book.status).toBe(200);
    expect(book.body.entries).toEqual([
      expect.objectContaining({
        amount: 15,
        kind: 'SCORE',
        balanceAfter: 15,
        description: expect.stringContaining(rule.code),
      }),
    ]);
  });

  it('should let the reviewer pick points inside a range and refuse points outside it', async () => {
    const rule = await createTestRule(t, committee, villageId, {
      points: undefined,
      minPoints: 5,
      maxPoints: 20,
    });
    const h = await createTestHousehold(t, committee, villageId);
    const rec = await post('/api/v1/score-records', scorer, {
      householdId: h.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
    });
    expect(rec.body.points).toBe(5);
    const outside = await post(`/api/v1/score-records/${rec.body.id}/approve`, committee, { points: 25 });
    expect(outside.status).toBe(400);
    expect(outside.body.error.details.points).toBe('分值应在 5 到 20 之间');
    const inside = await post(`/api/v1/score-records/${rec.body.id}/approve`, committee, { points: 12 });
    expect(inside.body).toMatchObject({ status: 'APPROVED', points: 12 });
    // Kept as approved, not only answered: read back, with the reviewer and when.
    expect(await recordRow(rec.body.id)).toMatchObject({ status: 'APPROVED', points: 12 });
    const [kept] = await t.dataSource.query(
      `SELECT "reviewedBy", "reviewedAt" FROM score_record WHERE id = ${rec.body.id}`,
    );
    expect(Number(kept.reviewedBy)).toBe(scene.villageAdmin.id);
    expect(Date.now() - new Date(kept.reviewedAt).getTime()).toBeLessThan(60_000);
    const bad = await post('/api/v1/score-records', scorer, {
      householdId: h.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
      points: 30,
    });
    expect(bad.status).toBe(400);
  });

  it('should refuse the recorder reviewing their own record with 409 SAME_PERSON', async () => {
    const rule = await createTestRule(t, committee, villageId);
    const h = await createTestHousehold(t, committee, villageId);
    const rec = await post('/api/v1/score-records', committee, {
      householdId: h.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
    });
    const own = await post(`/api/v1/score-records/${rec.body.id}/approve`, committee);
    expect(own.status).toBe(409);
    expect(own.body.error.code).toBe('SAME_PERSON');
    expect((await recordRow(rec.body.id)).status).toBe('PENDING');
    expect((await post(`/api/v1/score-records/${rec.body.id}/approve`, reviewer)).status).toBe(200);
  });

  it('should refuse recording or reviewing for one’s own household with 409 SAME_PERSON', async () => {
    const rule = await createTestRule(t, committee, villageId);
    const h = await createTestHousehold(t, committee, villageId, { headName: '组长家' });
    await t.dataSource.query(
      `UPDATE app_user SET "householdId" = ${h.id} WHERE id = ${scene.secondAdmin.id}`,
    );
    const mine = await post('/api/v1/score-records', reviewer, {
      householdId: h.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
    });
    expect(mine.status).toBe(409);
    expect(mine.body.error.code).toBe('SAME_PERSON');
    const rec = await post('/api/v1/score-records', scorer, {
      householdId: h.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
    });
    const review = await post(`/api/v1/score-records/${rec.body.id}/approve`, reviewer);
    expect(review.status).toBe(409);
    expect(review.body.error.message).toBe('不能审核自家的记录');
    await t.dataSource.query(`UPDATE app_user SET "householdId" = NULL WHERE id = ${scene.secondAdmin.id}`);
  });

  it('should enforce a cap with 409 CAP_REACHED and the date it frees up, counting rejected records as not used', async () => {
    const rule = await createTestRule(t, committee, villageId, { capCount: 1, capPeriod: 'month' });
    const h = await createTestHousehold(t, committee, villageId);
    const day = `${daysAgo(0).slice(0, 7)}-01`;
    const first = await post('/api/v1/score-records', scorer, {
      householdId: h.id,
      ruleId: rule.id,
      occurredOn: day,
    });
    expect(first.status).toBe(201);
    const second = await post('/api/v1/score-records', scorer, {
      householdId: h.id,
      ruleId: rule.id,
      occurredOn: day,
    });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('CAP_REACHED');
    const [y, m] = day.split('-').map(Number);
    const freesOn = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    expect(second.body.error.details.freesOn).toBe(freesOn);
    expect(second.body.error.message).toContain(freesOn);
    await post(`/api/v1/score-records/${first.body.id}/reject`, committee, { reason: '重复登记' });
    expect(
      (await post('/api/v1/score-records', scorer, { householdId: h.id, ruleId: rule.id, occurredOn: day }))
        .status,
    ).toBe(201);
  });

  it('should refuse a moved-out household, a retired rule, another village’s rule, a future date and missing evidence', async () => {
    const rule = await createTestRule(t, committee, villageId, { evidenceRequired: true });
    const gone = await createTestHousehold(t, committee, villageId);
    await post(`/api/v1/households/${gone.id}/move-out`, committee, {});
    const movedOut = await post('/api/v1/score-records', scorer, {
      householdId: gone.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
      note: '有照片',
    });
    expect(movedOut.status).toBe(409);
    expect(movedOut.body.error.code).toBe('INVALID_STATE');
    const h = await createTestHousehold(t, committee, villageId);
    const noEvidence = await post('/api/v1/score-records', scorer, {
      householdId: h.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
    });
    expect(noEvidence.status).toBe(400);
    expect(noEvidence.body.error.details.note).toContain('证据');
    const future = await post('/api/v1/score-records', scorer, {
      householdId: h.id,
      ruleId: rule.id,
      occurredOn: '2099-01-01',
      note: 'x',
    });
    expect(future.status).toBe(400);
    expect(future.body.error.details.occurredOn).toBe('日期不能晚于今天');
    const neighbourRule = await createTestRule(t, await scene.neighbourAdmin.token(), scene.neighbour.id);
    const foreign = await post('/api/v1/score-records', scorer, {
      householdId: h.id,
      ruleId: neighbourRule.id,
      occurredOn: daysAgo(1),
    });
    expect(foreign.status).toBe(400);
    await request(t.http).patch(`/api/v1/rules/${rule.id}`).set(auth(committee)).send({ active: false });
    const retired = await post('/api/v1/score-records', scorer, {
      householdId: h.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
      note: 'x',
    });
    expect(retired.status).toBe(409);
    const otherVillage = await createTestHousehold(t, await scene.neighbourAdmin.token(), scene.neighbour.id);
    const outOfScope = await post('/api/v1/score-records', scorer, {
      householdId: otherVillage.id,
      ruleId: neighbourRule.id,
      occurredOn: daysAgo(1),
    });
    expect(outOfScope.status).toBe(403);
  });

  it('should record once for a repeated idempotency key and refuse the key with another body', async () => {
    const rule = await createTestRule(t, committee, villageId);
    const h = await createTestHousehold(t, committee, villageId);
    const body = {
      householdId: h.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
      idempotencyKey: 'tap-1234-5678',
    };
    const first = await post('/api/v1/score-records', scorer, body);
    const again = await post('/api/v1/score-records', scorer, body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const other = await post('/api/v1/score-records', scorer, { ...body, occurredOn: daysAgo(3) });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('should record a batch all or nothing', async () => {
    const rule = await createTestRule(t, committee, villageId, { points: -10, category: '人居环境' });
    const a = await createTestHousehold(t, committee, villageId);
    const b = await createTestHousehold(t, committee, villageId);
    const gone = await createTestHousehold(t, committee, villageId);
    await post(`/api/v1/households/${gone.id}/move-out`, committee, {});
    const before = Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM score_record'))[0].n);
    const failed = await post('/api/v1/score-records/batch', scorer, {
      ruleId: rule.id,
      householdIds: [a.id, b.id, gone.id],
      occurredOn: daysAgo(1),
    });
    expect(failed.status).toBe(409);
    expect(failed.body.error.message).toContain(gone.code);
    expect(Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM score_record'))[0].n)).toBe(before);
    const ok = await post('/api/v1/score-records/batch', scorer, {
      ruleId: rule.id,
      householdIds: [a.id, b.id],
      occurredOn: daysAgo(1),
    });
    expect(ok.status).toBe(201);
    expect(
      ok.body.items.map((r: { householdId: number; points: number }) => [r.householdId, r.points]),
    ).toEqual([
      [a.id, -10],
      [b.id, -10],
    ]);
  });

  it('should approve or reject many at once, and none when one of them cannot be', async () => {
    const rule = await createTestRule(t, committee, villageId);
    const h = await createTestHousehold(t, committee, villageId);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (
          await post('/api/v1/score-records', scorer, {
            householdId: h.id,
            ruleId: rule.id,
            occurredOn: daysAgo(1),
          })
        ).body.id,
      );
    const own = (
      await post('/api/v1/score-records', committee, {
        householdId: h.id,
        ruleId: rule.id,
        occurredOn: daysAgo(1),
      })
    ).body.id;
    const mixed = await post('/api/v1/score-records/review', committee, {
      recordIds: [...ids, own],
      decision: 'APPROVE',
    });
    expect(mixed.status).toBe(409);
    expect((await recordRow(ids[0])).status).toBe('PENDING');
    const ok = await post('/api/v1/score-records/review', committee, {
      recordIds: ids.slice(0, 2),
      decision: 'APPROVE',
    });
    expect(ok.body.items.map((r: { status: string }) => r.status)).toEqual(['APPROVED', 'APPROVED']);
    const noReason = await post('/api/v1/score-records/review', committee, {
      recordIds: [ids[2]],
      decision: 'REJECT',
    });
    expect(noReason.status).toBe(400);
    const rejected = await post(`/api/v1/score-records/${ids[2]}/reject`, committee, { reason: '证据不足' });
    expect(rejected.body).toMatchObject({ status: 'REJECTED', rejectReason: '证据不足' });
    expect((await post(`/api/v1/score-records/${ids[2]}/approve`, committee)).status).toBe(409);
  });

  it('should not close a publication before its window has passed (409 PUBLICATION_OPEN)', async () => {
    const rule = await createTestRule(t, committee, villageId);
    const h = await createTestHousehold(t, committee, villageId);
    await approvedRecord(h.id, rule.id);
    const pub = await post('/api/v1/publications', committee, { villageId, days: 1 });
    expect(pub.body.endsOn).toBe(pub.body.startsOn);
    const early = await post(`/api/v1/publications/${pub.body.id}/close`, committee);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('PUBLICATION_OPEN');
    expect(await household(h.id)).toEqual({ available: 0, earned: 0 });
    expect((await post('/api/v1/publications', committee, { villageId, days: 16 })).status).toBe(400);
    await t.dataSource.query(
      `UPDATE publication SET "endsOn" = '${daysAgo(1)}', "startsOn" = '${daysAgo(1)}' WHERE id = ${pub.body.id}`,
    );
    expect((await post(`/api/v1/publications/${pub.body.id}/close`, committee)).status).toBe(200);
    expect(await household(h.id)).toEqual({ available: 15, earned: 15 });
    const twice = await post(`/api/v1/publications/${pub.body.id}/close`, committee);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('INVALID_STATE');
  });

  it('should refuse to open a publication with nothing approved', async () => {
    const res = await post('/api/v1/publications', await scene.neighbourAdmin.token(), {
      villageId: scene.neighbour.id,
      days: 3,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INVALID_STATE');
  });

  it('should hold an objected record back from posting until it is settled, then post it (dismiss)', async () => {
    const rule = await createTestRule(t, committee, villageId, { points: 20 });
    const h = await createTestHousehold(t, committee, villageId, { pin: '2468' });
    const rec = await approvedRecord(h.id, rule.id);
    const pub = await post('/api/v1/publications', committee, { villageId, days: 2 });
    const villager = await request(t.http)
      .post('/api/v1/auth/villager-login')
      .send({ householdCode: h.code, pin: '2468' });
    const objection = await post(`/api/v1/score-records/${rec.id}/objections`, villager.body.token, {
      reason: '分数不对',
    });
    expect(objection.status).toBe(201);
    expect((await recordRow(rec.id)).status).toBe('OBJECTED');
    // The same household cannot pile a second objection on the record while the first waits.
    const again = await post(`/api/v1/score-records/${rec.id}/objections`, villager.body.token, {
      reason: '还是不对',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DUPLICATE');
    await t.dataSource.query(
      `UPDATE publication SET "endsOn" = '${daysAgo(1)}', "startsOn" = '${daysAgo(2)}' WHERE id = ${pub.body.id}`,
    );
    const closed = await post(`/api/v1/publications/${pub.body.id}/close`, committee);
    expect(closed.body.postedRecordIds).not.toContain(rec.id);
    expect(await household(h.id)).toEqual({ available: 0, earned: 0 });
    const late = await post(`/api/v1/score-records/${rec.id}/objections`, committee, { reason: '再议' });
    expect(late.status).toBe(409);
    const bare = await post(`/api/v1/objections/${objection.body.id}/resolve`, committee, {
      decision: 'DISMISS',
    });
    expect(bare.status).toBe(400);
    expect(bare.body.error.details.reason).toContain('驳回异议时请写明理由');
    expect((await recordRow(rec.id)).status).toBe('OBJECTED');
    const dismissed = await post(`/api/v1/objections/${objection.body.id}/resolve`, committee, {
      decision: 'DISMISS',
      reason: '照片显示当天确有此事',
    });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toMatchObject({ status: 'DISMISSED', decisionReason: '照片显示当天确有此事' });
    expect((await recordRow(rec.id)).status).toBe('POSTED');
    expect(await household(h.id)).toEqual({ available: 20, earned: 20 });
    expect(
      (
        await post(`/api/v1/objections/${objection.body.id}/resolve`, committee, {
          decision: 'DISMISS',
          reason: '再驳一次',
        })
      ).status,
    ).toBe(409);
  });

  it('should correct the points when an objection is upheld with points, and revoke when upheld without', async () => {
    const rule = await createTestRule(t, committee, villageId, {
      points: undefined,
      minPoints: 5,
      maxPoints: 20,
    });
    const a = await createTestHousehold(t, committee, villageId);
    const b = await createTestHousehold(t, committee, villageId);
    const ra = await approvedRecord(a.id, rule.id, { points: 20 });
    const rb = await approvedRecord(b.id, rule.id, { points: 10 });
    const pub = await post('/api/v1/publications', committee, { villageId, days: 3 });
    const oa = await post(`/api/v1/score-records/${ra.id}/objections`, scorer, { reason: '只帮了半天' });
    const ob = await post(`/api/v1/score-records/${rb.id}/objections`, scorer, { reason: '没有这回事' });
    const outOfRange = await post(`/api/v1/objections/${oa.body.id}/resolve`, committee, {
      decision: 'UPHOLD',
      points: 50,
    });
    expect(outOfRange.status).toBe(400);
    expect(
      (await post(`/api/v1/objections/${oa.body.id}/resolve`, committee, { decision: 'UPHOLD', points: 8 }))
        .body,
    ).toMatchObject({ status: 'UPHELD', correctedPoints: 8 });
    expect(await recordRow(ra.id)).toMatchObject({ status: 'PUBLICIZING', points: 8 });
    await post(`/api/v1/objections/${ob.body.id}/resolve`, committee, { decision: 'UPHOLD' });
    expect((await recordRow(rb.id)).status).toBe('REVOKED');
    await t.dataSource.query(
      `UPDATE publication SET "endsOn" = '${daysAgo(1)}', "startsOn" = '${daysAgo(3)}' WHERE id = ${pub.body.id}`,
    );
    const closed = await post(`/api/v1/publications/${pub.body.id}/close`, committee);
    expect(closed.body.postedRecordIds).toContain(ra.id);
    expect(closed.body.postedRecordIds).not.toContain(rb.id);
    expect(await household(a.id)).toEqual({ available: 8, earned: 8 });
    expect(await household(b.id)).toEqual({ available: 0, earned: 0 });
  });

  it('should correct a posted record with a new SCORE_CORRECTION entry pointing at the old one', async () => {
    const rule = await createTestRule(t, committee, villageId, {
      points: undefined,
      minPoints: 10,
      maxPoints: 30,
    });
    const h = await createTestHousehold(t, committee, villageId);
    const rec = await approvedRecord(h.id, rule.id, { points: 30 });
    const pub = await post('/api/v1/publications', committee, { villageId, days: 0 });
    await post(`/api/v1/publications/${pub.body.id}/close`, committee);
    const fixed = await post(`/api/v1/score-records/${rec.id}/correct`, reviewer, {
      points: 10,
      reason: '按实际天数',
    });
    expect(fixed.status).toBe(200);
    expect(await household(h.id)).toEqual({ available: 10, earned: 10 });
    const book = (await request(t.http).get(`/api/v1/households/${h.id}/passbook`).set(auth(committee))).body
      .entries;
    expect(
      book.map((e: { kind: string; amount: number; balanceAfter: number }) => [
        e.kind,
        e.amount,
        e.balanceAfter,
      ]),
    ).toEqual([
      ['SCORE_CORRECTION', -20, 10],
      ['SCORE', 30, 30],
    ]);
    expect(book[0].correctsEntryId).toBe(book[1].id);
    const passbook = (query: string) =>
      request(t.http).get(`/api/v1/households/${h.id}/passbook?${query}`).set(auth(committee));
    expect(
      (await passbook('kind=SCORE_CORRECTION')).body.entries.map((e: { kind: string }) => e.kind),
    ).toEqual(['SCORE_CORRECTION']);
    expect((await passbook(`from=${daysAgo(0)}&to=${daysAgo(0)}`)).body.entries).toHaveLength(2);
    expect((await passbook(`to=${daysAgo(1)}`)).body.entries).toHaveLength(0);
    expect((await passbook('from=yesterday')).status).toBe(400);
  });

  it('should let a villager object only to records of the village, and only during the window', async () => {
    const rule = await createTestRule(t, committee, villageId);
    const h = await createTestHousehold(t, committee, villageId);
    const rec = await approvedRecord(h.id, rule.id);
    const before = await post(`/api/v1/score-records/${rec.id}/objections`, scorer, { reason: '还没公示' });
    expect(before.status).toBe(409);
    await post('/api/v1/publications', committee, { villageId, days: 3 });
    const far = await createTestHousehold(t, await scene.neighbourAdmin.token(), scene.neighbour.id, {
      pin: '9753',
    });
    const farLogin = await request(t.http)
      .post('/api/v1/auth/villager-login')
      .send({ householdCode: far.code, pin: '9753' });
    const foreign = await post(`/api/v1/score-records/${rec.id}/objections`, farLogin.body.token, {
      reason: '外村',
    });
    expect(foreign.status).toBe(403);
    const empty = await post(`/api/v1/score-records/${rec.id}/objections`, scorer, { reason: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.reason).toBe('请写明异议理由');
  });

  it('should close ended publications automatically, posting each record once', async () => {
    const rule = await createTestRule(t, committee, villageId, { points: 7 });
    const h = await createTestHousehold(t, committee, villageId);
    await approvedRecord(h.id, rule.id);
    const pub = await post('/api/v1/publications', committee, { villageId, days: 0 });
    const scheduler = t.app.get(PublicationsScheduler);
    const [first, second] = await Promise.all([scheduler.tick(), scheduler.tick()]);
    expect([...first, ...second].filter((id) => id === pub.body.id)).toHaveLength(1);
    expect(await household(h.id)).toEqual({ available: 7, earned: 7 });
    const rows = await t.dataSource.query(
      `SELECT "actorType" FROM audit_log WHERE action = 'publication.close' AND "entityId" = ${pub.body.id}`,
    );
    expect(rows).toEqual([{ actorType: 'SYSTEM' }]);
  });

  it('should let a villager declare a good deed that enters the review queue as PENDING', async () => {
    const rule = await createTestRule(t, committee, villageId, { points: 10 });
    const penalty = await createTestRule(t, committee, villageId, { points: -10 });
    const h = await createTestHousehold(t, committee, villageId, { pin: '1357' });
    const login = await request(t.http)
      .post('/api/v1/auth/villager-login')
      .send({ householdCode: h.code, pin: '1357' });
    const declared = await post('/api/v1/declarations', login.body.token, {
      ruleId: rule.id,
      occurredOn: daysAgo(1),
      note: '帮邻居收麦子',
    });
    expect(declared.status).toBe(201);
    expect(declared.body).toMatchObject({
      status: 'PENDING',
      householdId: h.id,
      declaredBy: h.id,
      recordedBy: null,
    });
    const wrong = await post('/api/v1/declarations', login.body.token, {
      ruleId: penalty.id,
      occurredOn: daysAgo(1),
      note: '扣分',
    });
    expect(wrong.status).toBe(400);
    const staff = await post('/api/v1/declarations', scorer, {
      ruleId: rule.id,
      occurredOn: daysAgo(1),
      note: 'x',
    });
    expect(staff.status).toBe(403);
    await t.dataSource.query(
      `INSERT INTO scoring_settings ("villageId", "declarationsEnabled") VALUES (${villageId}, false)`,
    );
    const off = await post('/api/v1/declarations', login.body.token, {
      ruleId: rule.id,
      occurredOn: daysAgo(1),
      note: '又一件',
    });
    expect(off.status).toBe(409);
    await t.dataSource.query(
      `UPDATE scoring_settings SET "declarationsEnabled" = true WHERE "villageId" = ${villageId}`,
    );
    expect((await post(`/api/v1/score-records/${declared.body.id}/approve`, committee)).status).toBe(200);
  });

  it('should keep a villager to its own passbook', async () => {
    const a = await createTestHousehold(t, committee, villageId, { pin: '4321' });
    const b = await createTestHousehold(t, committee, villageId);
    const login = await request(t.http)
      .post('/api/v1/auth/villager-login')
      .send({ householdCode: a.code, pin: '4321' });
    expect(
      (await request(t.http).get(`/api/v1/households/${a.id}/passbook`).set(auth(login.body.token))).status,
    ).toBe(200);
    expect(
      (await request(t.http).get(`/api/v1/households/${b.id}/passbook`).set(auth(login.body.token))).status,
    ).toBe(403);
  });

  it('should keep scoring to scorers and the committee', async () => {
    const rule = await createTestRule(t, committee, villageId);
    const h = await createTestHousehold(t, committee, villageId);
    const clerk = await post('/api/v1/score-records', await scene.clerk.token(), {
      householdId: h.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
    });
    expect(clerk.status).toBe(403);
    const rec = await post('/api/v1/score-records', scorer, {
      householdId: h.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
    });
    expect((await post(`/api/v1/score-records/${rec.body.id}/approve`, scorer)).status).toBe(403);
    expect((await post('/api/v1/publications', scorer, { villageId })).status).toBe(403);
    const list = await request(t.http)
      .get(`/api/v1/score-records?villageId=${villageId}&status=PENDING`)
      .set(auth(await scene.townshipUser.token()));
    expect(list.status).toBe(200);
    expect(list.body.items.every((r: { status: string }) => r.status === 'PENDING')).toBe(true);
  });

  it('should report a ledger row changed behind the app’s back', async () => {
    const rule = await createTestRule(t, committee, villageId, { points: 9 });
    const h = await createTestHousehold(t, committee, villageId);
    await approvedRecord(h.id, rule.id);
    const pub = await post('/api/v1/publications', committee, { villageId, days: 0 });
    await post(`/api/v1/publications/${pub.body.id}/close`, committee);
    const clean = await request(t.http)
      .get(`/api/v1/ledger/verify?villageId=${villageId}`)
      .set(auth(committee));
    expect(clean.body).toMatchObject({ ok: true, chainValid: true, mismatches: [] });
    const [entry] = await t.dataSource.query(`SELECT id FROM ledger_entry WHERE "householdId" = ${h.id}`);
    await t.dataSource.query(`UPDATE ledger_entry SET amount = 900 WHERE id = ${entry.id}`);
    const tampered = await request(t.http)
      .get(`/api/v1/ledger/verify?villageId=${villageId}`)
      .set(auth(committee));
    expect(tampered.body.ok).toBe(false);
    expect(tampered.body.chainValid).toBe(false);
    expect(tampered.body.mismatches).toEqual(
      expect.arrayContaining([expect.objectContaining({ entryId: entry.id, householdId: h.id })]),
    );
    await t.dataSource.query(`UPDATE ledger_entry SET amount = 9 WHERE id = ${entry.id}`);
    const deleted = await request(t.http)
      .get(`/api/v1/ledger/verify?villageId=${scene.neighbour.id}`)
      .set(auth(await scene.townshipUser.token()));
    expect(deleted.body.ok).toBe(true);
  });
});

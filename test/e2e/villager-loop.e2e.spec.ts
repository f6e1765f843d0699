import request from 'supertest';
import { NoticesService } from '../../src/notices/notices.service.js';
import type { NoticeSender } from '../../src/notices/notice-senders.js';
import { Clock } from '../../src/common/clock.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';
import {
  createScoringScene,
  createTestHousehold,
  createTestRule,
  daysAgo,
} from '../support/scoring-fixtures.js';

/** Issue 10: what the household hears and sees of its own records, through /api/v1/me* (the page shows the same). */
describe('the villager’s own loop (我家：记录、异议、通知)', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;
  let villageId: number;

  const post = (path: string, token: string, body: object = {}) =>
    request(t.http).post(path).set(auth(token)).send(body);
  const get = (path: string, token: string) => request(t.http).get(path).set(auth(token));
  const villagerToken = async (code: string, pin: string) =>
    (await request(t.http).post('/api/v1/auth/villager-login').send({ householdCode: code, pin })).body
      .token as string;
  const notices = async (householdId: number, kind?: string) =>
    (
      await t.dataSource.query(
        `SELECT kind, text, "eventKey" FROM notice WHERE "householdId" = $1 ORDER BY id`.replace(
          '$1',
          String(householdId),
        ),
      )
    ).filter((n: { kind: string }) => !kind || n.kind === kind) as {
      kind: string;
      text: string;
      eventKey: string;
    }[];

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    scene = await createScoringScene(t);
    committee = await scene.villageAdmin.token();
    villageId = scene.village.id;
  });
  afterAll(() => t.close());

  it('should answer /api/v1/me with balances and no rank before the household has points this month', async () => {
    const h = await createTestHousehold(t, committee, villageId, { headName: '新户', pin: '246810' });
    const token = await villagerToken(h.code, '246810');
    const me = await get('/api/v1/me', token);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      household: { id: h.id, code: h.code, headName: '新户', available: 0, earned: 0 },
      monthPoints: 0,
      monthRank: null,
      stars: 0,
      unreadNotices: 0,
    });
    expect((await get('/api/v1/me', committee)).status).toBe(403);
    expect((await request(t.http).get('/api/v1/me')).status).toBe(401);
  });

  it('should tell the household of a deduction when it enters 公示 and when it is posted, once each', async () => {
    const h = await createTestHousehold(t, committee, villageId, { headName: '扣分户', pin: '112233' });
    const rule = await createTestRule(t, committee, villageId, { points: -5, title: '乱倒垃圾' });
    const rec = await post('/api/v1/score-records', await scene.scorer.token(), {
      householdId: h.id,
      ruleId: rule.id,
      occurredOn: daysAgo(0),
    });
    expect((await post(`/api/v1/score-records/${rec.body.id}/approve`, committee)).status).toBe(200);
    const pub = await post('/api/v1/publications', committee, { villageId, days: 0 });
    expect(pub.body).toMatchObject({ id: expect.any(Number) });
    const token = await villagerToken(h.code, '112233');
    const during = await get('/api/v1/me/records', token);
    expect(during.body.items[0]).toMatchObject({
      id: rec.body.id,
      ruleTitle: '乱倒垃圾',
      points: -5,
      status: 'PUBLICIZING',
      publicationEndsOn: pub.body.endsOn,
      declared: false,
    });
    // Two closes at once (a double click, two servers): one posting, one notice.
    const closes = await Promise.all([
      post(`/api/v1/publications/${pub.body.id}/close`, committee),
      post(`/api/v1/publications/${pub.body.id}/close`, committee),
    ]);
    expect(closes.map((c) => c.status).sort()).toEqual([200, 409]);
    const told = await notices(h.id);
    expect(told.map((n) => n.kind)).toEqual(['RECORD_PUBLICIZING', 'RECORD_POSTED']);
    expect(told[0].text).toContain('扣分：乱倒垃圾 -5 分已进入公示');
    expect(told[1].text).toContain('扣分：乱倒垃圾 -5 分已记入您家的积分存折');
    const after = await get('/api/v1/me/records', token);
    expect(after.body.items[0]).toMatchObject({ id: rec.body.id, status: 'POSTED', publicationEndsOn: null });
    const me = await get('/api/v1/me', token);
    expect(me.body).toMatchObject({ monthPoints: -5, monthRank: expect.any(Number), unreadNotices: 2 });

    // A correction afterwards is told too, and the record says CORRECTED.
    const corrected = await post(`/api/v1/score-records/${rec.body.id}/correct`, committee, {
      points: -5,
      reason: '同分',
    });
    expect(corrected.status).toBe(400);
    expect(await notices(h.id, 'RECORD_CORRECTED')).toHaveLength(0);
  });

  it('should tell the household when a posted record is corrected, and mark the record CORRECTED', async () => {
    const h = await createTestHousehold(t, committee, villageId, { headName: '更正户', pin: '565656' });
    const rule = await createTestRule(t, committee, villageId, {
      points: undefined,
      minPoints: 5,
      maxPoints: 20,
      title: '清理河道',
    });
    const rec = await post('/api/v1/score-records', await scene.scorer.token(), {
      householdId: h.id,
      ruleId: rule.id,
      occurredOn: daysAgo(0),
      points: 10,
    });
    expect(rec.status).toBe(201);
    await post(`/api/v1/score-records/${rec.body.id}/approve`, committee);
    const pub = await post('/api/v1/publications', committee, { villageId, days: 0 });
    await post(`/api/v1/publications/${pub.body.id}/close`, committee);
    const corrected = await post(`/api/v1/score-records/${rec.body.id}/correct`, committee, {
      points: 15,
      reason: '实际清理了两段',
    });
    expect(corrected.status).toBe(200);
    const told = await notices(h.id, 'RECORD_CORRECTED');
    expect(told).toHaveLength(1);
    expect(told[0].text).toBe('清理河道 的分值由 +10 更正为 +15，理由：实际清理了两段。');
    const token = await villagerToken(h.code, '565656');
    const records = await get('/api/v1/me/records', token);
    expect(records.body.items[0]).toMatchObject({ id: rec.body.id, status: 'CORRECTED', points: 15 });
  });

  it('should show a rejected declaration with its reason and tell the household', async () => {
    const h = await createTestHousehold(t, committee, villageId, { headName: '申报户', pin: '998877' });
    const rule = await createTestRule(t, committee, villageId, { points: 10, title: '照顾孤老' });
    const token = await villagerToken(h.code, '998877');
    const declared = await post('/api/v1/declarations', token, {
      ruleId: rule.id,
      occurredOn: daysAgo(1),
      note: '给五保户送饭',
    });
    expect(declared.body).toMatchObject({ id: expect.any(Number) });
    const rejected = await post(`/api/v1/score-records/${declared.body.id}/reject`, committee, {
      reason: '请补一张照片',
    });
    expect(rejected.status).toBe(200);
    const records = await get('/api/v1/me/records', token);
    expect(records.body.items).toEqual([
      expect.objectContaining({
        id: declared.body.id,
        status: 'REJECTED',
        reason: '请补一张照片',
        declared: true,
      }),
    ]);
    const list = await get('/api/v1/me/notices', token);
    expect(list.body.unread).toBe(1);
    expect(list.body.items[0]).toMatchObject({ kind: 'DECLARATION_REJECTED', readAt: null });
    expect(list.body.items[0].text).toContain('您申报的“照顾孤老”被退回，理由：请补一张照片');
  });

  it('should list the household’s objections with the decision and mark notices read', async () => {
    const objector = await createTestHousehold(t, committee, villageId, {
      headName: '提异议户',
      pin: '135246',
    });
    const other = await createTestHousehold(t, committee, villageId, { headName: '被提户' });
    const rule = await createTestRule(t, committee, villageId, { points: 20, title: '调解纠纷' });
    const rec = await post('/api/v1/score-records', await scene.scorer.token(), {
      householdId: other.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
    });
    await post(`/api/v1/score-records/${rec.body.id}/approve`, committee);
    await post('/api/v1/publications', committee, { villageId, days: 3 });
    const token = await villagerToken(objector.code, '135246');
    const filed = await post(`/api/v1/score-records/${rec.body.id}/objections`, token, {
      reason: '没有这回事',
    });
    expect(filed.status).toBe(201);
    const dismissed = await post(`/api/v1/objections/${filed.body.id}/resolve`, committee, {
      decision: 'DISMISS',
      reason: '有调解书为证',
    });
    expect(dismissed.status).toBe(200);
    const mine = await get('/api/v1/me/objections', token);
    expect(mine.body.items).toEqual([
      {
        id: filed.body.id,
        recordId: rec.body.id,
        reason: '没有这回事',
        status: 'DISMISSED',
        decision: 'DISMISS',
        decisionReason: '有调解书为证',
      },
    ]);
    const list = await get('/api/v1/me/notices', token);
    expect(list.body.unread).toBe(1);
    expect(list.body.items[0].text).toContain('异议不成立，维持原记录。理由：有调解书为证');
    expect((await post('/api/v1/me/notices/read', token, { ids: ['x'] })).status).toBe(400);
    // Another household's notice ids are ignored.
    const [theirs] = await t.dataSource.query(
      `SELECT id FROM notice WHERE "householdId" <> ${objector.id} LIMIT 1`,
    );
    const read = await post('/api/v1/me/notices/read', token, { ids: [list.body.items[0].id, theirs.id] });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ unread: 0 });
    const [still] = await t.dataSource.query(`SELECT "readAt" FROM notice WHERE id = ${theirs.id}`);
    expect(still.readAt).toBeNull();
  });

  it('should hand a notice to an outside channel once, retrying a failed delivery on the same row', async () => {
    const h = await createTestHousehold(t, committee, villageId, { headName: '短信户' });
    let calls = 0;
    const sent: number[] = [];
    const flaky: NoticeSender = {
      channel: 'SMS',
      async send(notice) {
        calls++;
        if (calls === 1) throw new Error('网关超时');
        sent.push(notice.id);
      },
    };
    const clock = new Clock();
    const outbox = new NoticesService(t.dataSource, clock, [flaky]);
    const event = {
      villageId,
      householdId: h.id,
      kind: 'RECORD_POSTED' as const,
      text: '测试',
      eventKey: `test:${h.id}`,
    };
    await t.dataSource.transaction((m) => outbox.add(m, [event]));
    await t.dataSource.transaction((m) => outbox.add(m, [event]));
    expect(await outbox.deliverDue()).toBe(0);
    const rows = async () =>
      t.dataSource.query(
        `SELECT d.channel, d.status, d.attempts FROM notice_delivery d JOIN notice n ON n.id = d."noticeId"
          WHERE n."eventKey" = 'test:${h.id}' ORDER BY d.channel`,
      );
    expect(await rows()).toEqual([
      { channel: 'IN_APP', status: 'SENT', attempts: 0 },
      { channel: 'PRINT', status: 'PENDING', attempts: 0 },
      { channel: 'SMS', status: 'PENDING', attempts: 1 },
    ]);
    expect(await outbox.deliverDue()).toBe(0); // not before its next try
    clock.stopAt(new Date(Date.now() + 2 * 60_000));
    expect(await outbox.deliverDue()).toBe(1);
    expect(await outbox.deliverDue()).toBe(0);
    expect(sent).toHaveLength(1);
    expect((await rows())[2]).toEqual({ channel: 'SMS', status: 'SENT', attempts: 2 });
    expect(await notices(h.id)).toHaveLength(1);
  });
});

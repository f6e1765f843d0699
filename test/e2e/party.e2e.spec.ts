import { jest } from '@jest/globals';
import request from 'supertest';
import { Clock } from '../../src/common/clock.js';
import { IntegrityService } from '../../src/integrity/integrity.service.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, createTestUser, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { createScoringScene, daysAgo } from '../support/scoring-fixtures.js';
import { createHouseholdWithPoints } from '../support/supermarket-fixtures.js';

jest.setTimeout(180_000);

/**
 * 党员量化积分 (issue 22.1): a party member's book is a second kind of account on the one ledger. Records are made by
 * one branch member, approved by another, publicised to the branch (with objections) and posted into the member's
 * own book; no household balance moves, and the ledger's verification covers both kinds of book.
 */
describe('party members’ points on the one ledger', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let villageId: number;
  let committee: string;
  let branchA: string;
  let branchB: string;
  let branchAUser: { id: number };
  let household: { id: number; code: string };
  let otherHousehold: { id: number; code: string };
  let partyMember: { id: number; householdId: number; username: string };
  let secondMember: { id: number };
  let memberToken: string;
  let rule: { id: number };

  const api = (method: 'get' | 'post' | 'put', url: string, token: string, body?: object) =>
    request(t.http)[method](url).set(auth(token)).send(body);

  /** Every household of the village with its balances, as the passbooks show them. */
  const householdBalances = async () =>
    t.dataSource.query(
      `SELECT id, available, earned FROM household WHERE "villageId" = ${villageId} ORDER BY id`,
    );

  async function markedMember(householdId: number, name: string) {
    const res = await api('post', `/api/v1/households/${householdId}/members`, committee, {
      name,
      relation: '户主',
      partyMember: true,
    });
    expect(res.status).toBe(201);
    return res.body.id as number;
  }

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    scene = await createScoringScene(t);
    villageId = scene.village.id;
    committee = await scene.villageAdmin.token();
    household = await createHouseholdWithPoints(t, committee, villageId, 120);
    otherHousehold = await createHouseholdWithPoints(t, committee, villageId, 40);
    // Two branch members: one records, the other approves. B lives in the other household.
    const a = await createTestUser(t, { role: 'PARTY_BRANCH', villageId });
    branchAUser = a;
    branchA = await a.token();
    const b = await createTestUser(t, { role: 'PARTY_BRANCH', villageId, householdId: otherHousehold.id });
    branchB = await b.token();
    const memberId = await markedMember(household.id, '王党员');
    const registered = await api('post', '/api/v1/party-members', committee, { memberId, pin: '246810' });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ householdId: household.id, available: 0, earned: 0 });
    partyMember = registered.body;
    memberToken = await t.token(partyMember.username, '246810');
    const second = await api('post', '/api/v1/party-members', branchA, {
      memberId: await markedMember(otherHousehold.id, '赵党员'),
      pin: '135246',
    });
    expect(second.status).toBe(201);
    secondMember = second.body;
    const created = await api('post', '/api/v1/party-rules', branchA, {
      villageId,
      category: 'ORGANISATION',
      title: '按时参加三会一课',
      points: 10,
      minPoints: 5,
      maxPoints: 20,
    });
    expect(created.status).toBe(201);
    rule = created.body;
  });
  afterAll(() => t.close());

  it('should register a member marked 党员 once, and refuse one who is not marked', async () => {
    const again = await api('post', '/api/v1/party-members', committee, {
      memberId: (
        await t.dataSource.query(`SELECT "memberId" FROM party_member WHERE id = ${partyMember.id}`)
      )[0].memberId,
      pin: '246810',
    });
    expect(again.status).toBe(409);
    const plain = await api('post', `/api/v1/households/${household.id}/members`, committee, {
      name: '王群众',
      relation: '子女',
    });
    const refused = await api('post', '/api/v1/party-members', committee, {
      memberId: plain.body.id,
      pin: '246810',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.memberId).toContain('党员');
    // A registered member cannot be dropped from the household's members (their book and login stay).
    const [registered] = await t.dataSource.query(
      `SELECT "memberId" FROM party_member WHERE id = ${partyMember.id}`,
    );
    const dropped = await request(t.http)
      .delete(`/api/v1/households/${household.id}/members/${registered.memberId}`)
      .set(auth(committee));
    expect(dropped.status).toBe(409);
    expect(dropped.body.error.message).toContain('党员');
  });

  it('should post a member’s approved, publicised record into the member’s book and leave every household unchanged', async () => {
    const before = await householdBalances();
    const recorded = await api('post', '/api/v1/party-records', branchA, {
      partyMemberId: partyMember.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
      points: 15,
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body.status).toBe('PENDING');
    // The recorder cannot approve their own record; another branch member can.
    const own = await api('post', `/api/v1/party-records/${recorded.body.id}/approve`, branchA);
    expect(own.status).toBe(409);
    expect(own.body.error.code).toBe('SAME_PERSON');
    const approved = await api('post', `/api/v1/party-records/${recorded.body.id}/approve`, branchB);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('APPROVED');
    const published = await api('post', '/api/v1/party-publications', branchB, { villageId, days: 0 });
    expect(published.status).toBe(201);
    expect(published.body.recordIds).toEqual([recorded.body.id]);
    const closed = await api('post', `/api/v1/party-publications/${published.body.id}/close`, branchA);
    expect(closed.status).toBe(200);
    expect(closed.body.postedRecordIds).toEqual([recorded.body.id]);
    const again = await api('post', `/api/v1/party-publications/${published.body.id}/close`, branchA);
    expect(again.status).toBe(409);

    const book = await api('get', `/api/v1/party-members/${partyMember.id}/passbook`, memberToken);
    expect(book.status).toBe(200);
    expect(book.body.member).toMatchObject({ available: 15, earned: 15 });
    expect(book.body.entries).toEqual([
      expect.objectContaining({ amount: 15, kind: 'PARTY_SCORE', availableAfter: 15, earnedAfter: 15 }),
    ]);
    expect(await householdBalances()).toEqual(before);
    const household = await api('get', `/api/v1/households/${partyMember.householdId}/passbook`, committee);
    expect(household.status).toBe(200);
    expect(household.body.entries).not.toContainEqual(expect.objectContaining({ kind: 'PARTY_SCORE' }));
  });

  it('should let a member object during 党内公示, hold the posting until answered, and never post an upheld one', async () => {
    const ids: number[] = [];
    for (const points of [5, 20]) {
      const r = await api('post', '/api/v1/party-records', branchA, {
        partyMemberId: secondMember.id,
        ruleId: rule.id,
        occurredOn: daysAgo(2),
        points,
      });
      await api('post', `/api/v1/party-records/${r.body.id}/approve`, branchB);
      ids.push(r.body.id);
    }
    // Branch member B lives in the second member's household: its approvals were refused, and A recorded them.
    const states = await t.dataSource.query(`SELECT status FROM party_record WHERE id IN (${ids.join(',')})`);
    expect(states.map((s: { status: string }) => s.status)).toEqual(['PENDING', 'PENDING']);
    expect((await api('post', `/api/v1/party-records/${ids[0]}/approve`, branchB)).status).toBe(403);
    const third = await createTestUser(t, { role: 'PARTY_BRANCH', villageId });
    const branchC = await third.token();
    for (const id of ids)
      expect((await api('post', `/api/v1/party-records/${id}/approve`, branchC)).status).toBe(200);
    // The publication opens the day it is made (days 0 ends at once, but objections count while it is open today).
    const published = await api('post', '/api/v1/party-publications', branchC, { villageId, days: 1 });
    expect(published.status).toBe(201);
    const objection = await api('post', `/api/v1/party-records/${ids[1]}/objections`, memberToken, {
      reason: '那次会议他请假了',
    });
    expect(objection.status).toBe(201);
    const clock = t.app.get(Clock);
    clock.stopAt(new Date(Date.now() + 24 * 3600_000));
    try {
      const held = await api('post', `/api/v1/party-publications/${published.body.id}/close`, branchC);
      expect(held.status).toBe(409);
      const upheld = await api('post', `/api/v1/party-objections/${objection.body.id}/resolve`, branchA, {
        decision: 'UPHOLD',
        reason: '核实属实',
      });
      expect(upheld.status).toBe(200);
      const closed = await api('post', `/api/v1/party-publications/${published.body.id}/close`, branchC);
      expect(closed.status).toBe(200);
      expect(closed.body.postedRecordIds).toEqual([ids[0]]);
    } finally {
      clock.stopAt(null);
    }
    const book = await api('get', `/api/v1/party-members/${secondMember.id}/passbook`, branchA);
    expect(book.body.member).toMatchObject({ available: 5, earned: 5 });
  });

  it('should show a member only their own book', async () => {
    const other = await api('get', `/api/v1/party-members/${secondMember.id}/passbook`, memberToken);
    expect(other.status).toBe(403);
    const neighbour = await createTestUser(t, { role: 'PARTY_BRANCH', villageId: scene.neighbour.id });
    const outside = await api(
      'get',
      `/api/v1/party-members/${partyMember.id}/passbook`,
      await neighbour.token(),
    );
    expect(outside.status).toBe(403);
  });

  it('should verify both kinds of book and find a changed member entry', async () => {
    const clean = await api('get', `/api/v1/ledger/verify?villageId=${villageId}`, committee);
    expect(clean.status).toBe(200);
    expect(clean.body).toMatchObject({ ok: true, chainValid: true });
    expect(clean.body.accounts).toBeGreaterThanOrEqual(2);
    const [entry] = await t.dataSource.query(
      `SELECT id, amount FROM ledger_entry WHERE "accountId" IS NOT NULL ORDER BY id LIMIT 1`,
    );
    await t.dataSource.query(
      `UPDATE ledger_entry SET amount = ${Number(entry.amount) + 50} WHERE id = ${entry.id}`,
    );
    try {
      const tampered = await api('get', `/api/v1/ledger/verify?villageId=${villageId}`, committee);
      expect(tampered.body.ok).toBe(false);
      expect(tampered.body.chainValid).toBe(false);
      expect(tampered.body.mismatches).toContainEqual(
        expect.objectContaining({ entryId: Number(entry.id), accountId: expect.any(Number) }),
      );
    } finally {
      await t.dataSource.query(`UPDATE ledger_entry SET amount = ${entry.amount} WHERE id = ${entry.id}`);
    }
  });

  it('should find, in the invariant check, a posted party record whose entry no longer matches it', async () => {
    const integrity = t.app.get(IntegrityService);
    expect((await integrity.check()).problems).toEqual([]);
    const [posted] = await t.dataSource.query(
      `SELECT id, points FROM party_record WHERE status = 'POSTED' ORDER BY id LIMIT 1`,
    );
    await t.dataSource.query(
      `UPDATE party_record SET points = ${Number(posted.points) + 1} WHERE id = ${posted.id}`,
    );
    try {
      expect((await integrity.check()).problems).toEqual([
        `党员积分记录：${posted.id}：记录分值为 ${Number(posted.points) + 1}，入账明细为 ${posted.points}`,
      ]);
    } finally {
      await t.dataSource.query(`UPDATE party_record SET points = ${posted.points} WHERE id = ${posted.id}`);
    }
  });

  it('should rank the branch by month and year, with stars by the branch’s thresholds', async () => {
    const set = await api('put', `/api/v1/villages/${villageId}/party-settings`, committee, {
      starThresholds: '3,6,9,12,15',
      monthlyBase: 2,
    });
    expect(set.status).toBe(200);
    const bad = await api('put', `/api/v1/villages/${villageId}/party-settings`, committee, {
      starThresholds: '9,6,3,12,15',
    });
    expect(bad.status).toBe(400);
    const year = daysAgo(1).slice(0, 4);
    const ranking = await api(
      'get',
      `/api/v1/party-rankings?villageId=${villageId}&period=${year}`,
      memberToken,
    );
    expect(ranking.status).toBe(200);
    expect(ranking.body.rows[0]).toMatchObject({
      partyMemberId: partyMember.id,
      points: 15,
      stars: 5,
      rank: 1,
    });
    expect(ranking.body.rows[1]).toMatchObject({
      partyMemberId: secondMember.id,
      points: 5,
      stars: 1,
      rank: 2,
    });
  });

  it('should post the monthly base once per member and month', async () => {
    const month = daysAgo(0).slice(0, 7);
    const first = await api('post', '/api/v1/party-base', branchA, { villageId, month });
    expect(first.status).toBe(201);
    expect(first.body.partyMemberIds).toHaveLength(2);
    const second = await api('post', '/api/v1/party-base', branchA, { villageId, month });
    expect(second.body.partyMemberIds).toEqual([]);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const book = await api('get', `/api/v1/party-members/${partyMember.id}/passbook`, memberToken);
    expect(book.body.member.earned).toBe(17);
    expect((await api('get', `/api/v1/ledger/verify?villageId=${villageId}`, committee)).body.ok).toBe(true);
  });

  it('should keep commitments with what was done, and the households a member is linked to', async () => {
    const commitment = await api('post', `/api/v1/party-members/${partyMember.id}/commitments`, branchA, {
      year: 2026,
      promise: '帮扶两户困难群众',
    });
    expect(commitment.status).toBe(201);
    const done = await api('post', `/api/v1/party-commitments/${commitment.body.id}/fulfilment`, branchA, {
      fulfilment: '已帮两户修缮院墙',
    });
    expect(done.body.fulfilment).toBe('已帮两户修缮院墙');
    const link = await api('post', `/api/v1/party-members/${partyMember.id}/links`, branchA, {
      householdCode: otherHousehold.code,
    });
    expect(link.status).toBe(201);
    const twice = await api('post', `/api/v1/party-members/${partyMember.id}/links`, branchA, {
      householdCode: otherHousehold.code,
    });
    expect(twice.status).toBe(409);
    const page = await (
      await loggedIn(t, partyMember.username, '246810')
    ).get(`/party/members/${partyMember.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('帮扶两户困难群众');
    expect(page.text).toContain('已帮两户修缮院墙');
    expect(page.text).toContain(otherHousehold.code);
  });

  it('should show the branch its members with their stars, 五星党员 named', async () => {
    const pages = await loggedIn(
      t,
      (await t.dataSource.query(`SELECT username FROM app_user WHERE id = ${branchAUser.id}`))[0].username,
      TEST_PASSWORD,
    );
    const page = await pages.get('/party');
    expect(page.status).toBe(200);
    // The member over the top threshold (15 of 3,6,9,12,15 this year) is named 五星党员; the other has one star.
    expect(page.text).toMatch(/王党员<\/a> <strong>五星党员<\/strong>/);
    expect(page.text).not.toMatch(/赵党员<\/a> <strong>五星党员/);
  });

  it('should show 党员户 on the household’s door plate and the public board', async () => {
    const committeePages = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    const plate = await committeePages.get(`/households/${household.id}/door-plate`);
    expect(plate.status).toBe(200);
    expect(plate.text).toContain('党员户');
    const board = await request(t.http).get(`/public/villages/${villageId}?section=party`);
    expect(board.status).toBe(200);
    expect(board.text).toContain(`${household.code} `);
    expect(board.text).toContain(`${otherHousehold.code} `);
    const none = await createHouseholdWithPoints(t, committee, villageId, 10);
    const plain = await committeePages.get(`/households/${none.id}/door-plate`);
    expect(plain.text).not.toContain('党员户');
    expect((await request(t.http).get(`/public/villages/${villageId}?section=party`)).text).not.toContain(
      `${none.code} `,
    );
  });

  it('should refuse a record for the recorder’s own household, and bad input with a Chinese message', async () => {
    const own = await api('post', '/api/v1/party-records', branchB, {
      partyMemberId: secondMember.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
    });
    expect(own.status).toBe(403);
    const outOfRange = await api('post', '/api/v1/party-records', branchA, {
      partyMemberId: partyMember.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
      points: 50,
    });
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.error.details.points).toContain('5 到 20');
    const badDay = await api('post', '/api/v1/party-records', branchA, {
      partyMemberId: partyMember.id,
      ruleId: rule.id,
      occurredOn: '2026-02-30',
    });
    expect(badDay.status).toBe(400);
    void branchAUser;
  });

  it('should put a record on the other branch member’s to-do, not on its recorder’s', async () => {
    const recorded = await api('post', '/api/v1/party-records', branchA, {
      partyMemberId: partyMember.id,
      ruleId: rule.id,
      occurredOn: daysAgo(1),
    });
    expect(recorded.status).toBe(201);
    const nameOf = async (id: number) =>
      (await t.dataSource.query(`SELECT username FROM app_user WHERE id = ${id}`))[0].username as string;
    const todo = async (username: string) => {
      const page = await (await loggedIn(t, username, TEST_PASSWORD)).get('/');
      return /href="\/party#queue"[^]*?<\/a>/.exec(page.text)?.[0] ?? '';
    };
    const pending = Number(
      (await t.dataSource.query(`SELECT COUNT(*) AS n FROM party_record WHERE status = 'PENDING'`))[0].n,
    );
    const third = await createTestUser(t, { role: 'PARTY_BRANCH', villageId });
    expect(await todo(await nameOf(third.id))).toContain(`${pending}`);
    expect(await todo(await nameOf(branchAUser.id))).toBe('');
  });

  it('should describe the party routes in the OpenAPI description', async () => {
    const res = await request(t.http).get('/api/docs-json');
    const paths = Object.keys(res.body.paths);
    for (const path of [
      '/api/v1/party-members',
      '/api/v1/party-records',
      '/api/v1/party-members/{id}/passbook',
      '/api/v1/party-records/{id}/approve',
      '/api/v1/party-publications',
      '/api/v1/party-publications/{id}/close',
      '/api/v1/party-rankings',
    ])
      expect(paths).toContain(path);
  });
});

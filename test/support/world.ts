import request from 'supertest';
import { todayInChina } from '../../src/common/dates.js';
import type { TestApp } from './create-test-app.js';
import { auth, createTestUser, loggedIn, TEST_PASSWORD } from './factories.js';
import { afterPeriodEnds, postDeeds } from './ranking-fixtures.js';
import { createScoringScene, createTestRule, daysAgo } from './scoring-fixtures.js';
import { createHouseholdWithPoints, createTestGoods, newKey } from './supermarket-fixtures.js';

export type Role =
  | 'ADMIN'
  | 'TOWNSHIP'
  | 'VILLAGE_ADMIN'
  | 'SCORER'
  | 'CLERK'
  | 'SUPERVISOR'
  | 'COUNCIL'
  | 'PARTY_BRANCH'
  | 'PARTY_MEMBER'
  | 'BANK'
  | 'VILLAGER';
export const ROLES: Role[] = [
  'ADMIN',
  'TOWNSHIP',
  'VILLAGE_ADMIN',
  'SCORER',
  'CLERK',
  'SUPERVISOR',
  'COUNCIL',
  'PARTY_BRANCH',
  'PARTY_MEMBER',
  'BANK',
  'VILLAGER',
];

/**
 * One of everything in one village (the app must run with PUBLICATION_MIN_DAYS=0), with a bearer token and a logged-in
 * page session for every role, and the same for the staff of a neighbouring village: what route-wide tests walk over.
 */
export async function createWorld(t: TestApp) {
  const scene = await createScoringScene(t);
  const villageId = scene.village.id;
  const committee = await scene.villageAdmin.token();
  const clerk = await scene.clerk.token();
  const councilMember = await createTestUser(t, { role: 'COUNCIL', villageId });
  // 党支部 of the village, and a bank's loan officer serving the village's township.
  const branch = await createTestUser(t, { role: 'PARTY_BRANCH', villageId });
  const banker = await createTestUser(t, { role: 'BANK', townshipId: scene.township.id });
  const household = await createHouseholdWithPoints(t, committee, villageId, 200);
  const rule = await createTestRule(t, committee, villageId, { points: 10 });
  await postDeeds(t, scene, [{ householdId: household.id, points: 20, occurredOn: daysAgo(1) }]);
  const member = await request(t.http)
    .post(`/api/v1/households/${household.id}/members`)
    .set(auth(committee))
    .send({ name: '李小花', relation: '子女' });
  const record = await request(t.http)
    .post('/api/v1/score-records')
    .set(auth(await scene.scorer.token()))
    .send({ householdId: household.id, ruleId: rule.id, occurredOn: daysAgo(1) });
  const objected = await request(t.http)
    .post('/api/v1/score-records')
    .set(auth(await scene.scorer.token()))
    .send({ householdId: household.id, ruleId: rule.id, occurredOn: daysAgo(2) });
  await request(t.http)
    .post(`/api/v1/score-records/${objected.body.id}/approve`)
    .set(auth(committee))
    .send({});
  await request(t.http).post('/api/v1/publications').set(auth(committee)).send({ villageId, days: 5 });
  const objection = await request(t.http)
    .post(`/api/v1/score-records/${objected.body.id}/objections`)
    .set(auth(committee))
    .send({ reason: '核实一下' });
  // 村务监督委员会, opened by the admin, with an opinion on the record on the board.
  const supervisor = await createTestUser(t, { role: 'SUPERVISOR', villageId });
  const opinion = await request(t.http)
    .post(`/api/v1/score-records/${objected.body.id}/supervision-opinions`)
    .set(auth(await supervisor.token()))
    .send({ text: '请核实登记依据' });
  if (opinion.status !== 201) throw new Error(`opinion: ${opinion.status} ${JSON.stringify(opinion.body)}`);
  const goods = await createTestGoods(t, clerk, villageId, { stock: 100 });
  const movement = (
    await t.dataSource.query(`SELECT id FROM stock_movement WHERE "goodsId" = ${goods.id} LIMIT 1`)
  )[0];
  const redemption = await request(t.http)
    .post('/api/v1/redemptions')
    .set(auth(clerk))
    .send({
      householdId: household.id,
      items: [{ goodsId: goods.id, quantity: 1 }],
      idempotencyKey: newKey(),
    });
  const publication = (
    await t.dataSource.query(`SELECT id FROM publication WHERE "villageId" = ${villageId} LIMIT 1`)
  )[0];
  const period = todayInChina().slice(0, 7);
  const snapshot = await afterPeriodEnds(t, period, () =>
    request(t.http)
      .post(`/api/v1/villages/${villageId}/ranking-snapshots`)
      .set(auth(committee))
      .send({ period }),
  );
  const entry = await request(t.http)
    .post(`/api/v1/villages/${villageId}/list-entries`)
    .set(auth(committee))
    .send({ period, list: 'RED', householdId: household.id, reason: '热心公益' });
  const certificate = await request(t.http)
    .post(`/api/v1/households/${household.id}/certificates`)
    .set(auth(committee))
    .send({});
  const login = await request(t.http)
    .post('/api/v1/auth/villager-login')
    .send({ householdCode: household.code, pin: '135790' });
  // 网格事务: one the household reported, screened valid and dispatched back to it (so its own close is allowed).
  const affair = await request(t.http)
    .post('/api/v1/grid-affairs')
    .set(auth(login.body.token as string))
    .send({ villageId, kind: 'ENVIRONMENT', text: '村口垃圾堆积' });
  if (affair.status !== 201) throw new Error(`grid affair: ${affair.status} ${JSON.stringify(affair.body)}`);
  await request(t.http)
    .post(`/api/v1/grid-affairs/${affair.body.id}/screen`)
    .set(auth(committee))
    .send({ valid: true });
  await request(t.http)
    .post(`/api/v1/grid-affairs/${affair.body.id}/dispatch`)
    .set(auth(committee))
    .send({ householdId: household.id, dueOn: todayInChina() });
  // 入户检查: an open round over the village's households, its checklist the village's 德治 rules.
  const round = await request(t.http)
    .post('/api/v1/inspection-rounds')
    .set(auth(committee))
    .send({ villageId, title: '德治入户检查', category: '德治' });
  if (round.status !== 201)
    throw new Error(`inspection round: ${round.status} ${JSON.stringify(round.body)}`);
  // A draft (never adopted here): a route's writes meet it in a state that refuses them rather than filing it.
  const revision = await request(t.http)
    .post('/api/v1/rule-revisions')
    .set(auth(committee))
    .send({ villageId, changes: [{ op: 'RETIRE', ruleId: rule.id }] });
  // 评选活动: a published result with an objection on it (a star by points alone: 20 德治 points posted above).
  const campaign = await request(t.http)
    .post('/api/v1/honour-campaigns')
    .set(auth(committee))
    .send({
      villageId,
      year: new Date().getFullYear(),
      title: '星级文明户评选',
      stars: [{ name: '勤劳节俭', category: '德治', minPoints: 10 }],
    });
  await request(t.http)
    .post(`/api/v1/honour-campaigns/${campaign.body.id}/nominations`)
    .set(auth(committee))
    .send({ householdId: household.id, starId: campaign.body.stars?.[0]?.id });
  await request(t.http)
    .post(`/api/v1/honour-campaigns/${campaign.body.id}/publish`)
    .set(auth(committee))
    .send({ days: 1 });
  const nominationId = (
    await request(t.http).get(`/api/v1/honour-campaigns/${campaign.body.id}`).set(auth(committee))
  ).body.nominations?.[0]?.id;
  const honourObjection = await request(t.http)
    .post(`/api/v1/honour-campaigns/${campaign.body.id}/objections`)
    .set(auth(committee))
    .send({ nominationId, reason: '核实一下' });
  if (honourObjection.status !== 201)
    throw new Error(`honour objection: ${honourObjection.status} ${JSON.stringify(honourObjection.body)}`);
  // Last month's supermarket statement, prepared (the supervision committee has not signed it).
  const statement = await request(t.http)
    .get(`/api/v1/villages/${villageId}/supermarket-statements`)
    .set(auth(committee));
  if (statement.status !== 200)
    throw new Error(`statement: ${statement.status} ${JSON.stringify(statement.body)}`);
  // 志愿服务活动 of yesterday under the rule, open (the matrix's empty bodies are refused before they change it).
  const activity = await request(t.http)
    .post('/api/v1/activities')
    .set(auth(committee))
    .send({ villageId, title: '清扫村道', on: daysAgo(1), place: '村委会门口', places: 5, ruleId: rule.id });
  if (activity.status !== 201)
    throw new Error(`activity: ${activity.status} ${JSON.stringify(activity.body)}`);
  const group = (
    await t.dataSource.query(`SELECT id FROM village_group WHERE "villageId" = ${villageId} LIMIT 1`)
  )[0];

  // 党员量化积分: a registered party member (with its own login), a branch rule, a PENDING record, a record in 党内公示
  // (approved by a second branch member) with the member's objection, and a commitment.
  const branchToken = await branch.token();
  const partyPerson = await request(t.http)
    .post(`/api/v1/households/${household.id}/members`)
    .set(auth(committee))
    .send({ name: '王党员', relation: '子女', partyMember: true });
  const partyMember = await request(t.http)
    .post('/api/v1/party-members')
    .set(auth(committee))
    .send({ memberId: partyPerson.body.id, pin: '246810' });
  if (partyMember.status !== 201)
    throw new Error(`party member: ${partyMember.status} ${JSON.stringify(partyMember.body)}`);
  const partyMemberToken = await t.token(partyMember.body.username, '246810');
  const partyRule = await request(t.http)
    .post('/api/v1/party-rules')
    .set(auth(branchToken))
    .send({ villageId, category: 'SERVICE', title: '走访联系户', points: 5 });
  const partyRecord = async () =>
    request(t.http)
      .post('/api/v1/party-records')
      .set(auth(branchToken))
      .send({ partyMemberId: partyMember.body.id, ruleId: partyRule.body.id, occurredOn: daysAgo(1) });
  const pendingPartyRecord = await partyRecord();
  const publicised = await partyRecord();
  const secondBranch = await createTestUser(t, { role: 'PARTY_BRANCH', villageId });
  await request(t.http)
    .post(`/api/v1/party-records/${publicised.body.id}/approve`)
    .set(auth(await secondBranch.token()));
  const partyPublication = await request(t.http)
    .post('/api/v1/party-publications')
    .set(auth(branchToken))
    .send({ villageId, days: 5 });
  const partyObjection = await request(t.http)
    .post(`/api/v1/party-records/${publicised.body.id}/objections`)
    .set(auth(partyMemberToken))
    .send({ reason: '核实一下' });
  const commitment = await request(t.http)
    .post(`/api/v1/party-members/${partyMember.body.id}/commitments`)
    .set(auth(branchToken))
    .send({ year: 2026, promise: '帮扶两户困难群众' });
  if (commitment.status !== 201 || partyObjection.status !== 201)
    throw new Error(
      `party: ${commitment.status} ${partyObjection.status} ${JSON.stringify(partyObjection.body)}`,
    );

  const tokens: Record<Role, string> = {
    ADMIN: await t.adminToken(),
    TOWNSHIP: await scene.townshipUser.token(),
    VILLAGE_ADMIN: committee,
    SCORER: await scene.scorer.token(),
    CLERK: clerk,
    SUPERVISOR: await supervisor.token(),
    COUNCIL: await councilMember.token(),
    PARTY_BRANCH: branchToken,
    PARTY_MEMBER: partyMemberToken,
    BANK: await banker.token(),
    VILLAGER: login.body.token as string,
  };
  const ids: Record<string, number> = {
    township: scene.township.id,
    village: villageId,
    group: group?.id ?? 1,
    user: scene.scorer.id,
    household: household.id,
    member: member.body.id ?? 1,
    rule: rule.id,
    record: record.body.id,
    objection: objection.body.id ?? 1,
    publication: publication?.id ?? 1,
    goods: goods.id,
    redemption: redemption.body.id,
    snapshot: snapshot.body.id ?? 1,
    entry: entry.body.id ?? 1,
    certificate: certificate.body.id ?? 1,
    opinion: opinion.body.id ?? 1,
    movement: movement?.id ?? 1,
    revision: revision.body.id ?? 1,
    campaign: campaign.body.id ?? 1,
    honourObjection: honourObjection.body.id ?? 1,
    statement: statement.body.id ?? 1,
    gridAffair: affair.body.id,
    activity: activity.body.id ?? 1,
    inspectionRound: round.body.id,
    partyMember: partyMember.body.id,
    partyRecord: pendingPartyRecord.body.id,
    partyPublication: partyPublication.body.id,
    partyObjection: partyObjection.body.id,
    partyCommitment: commitment.body.id,
  };
  return {
    scene,
    supervisor,
    branch,
    banker,
    household,
    tokens,
    ids,
    /** A path with its parameters filled with this world's ids. */
    fill: (path: string) => fillPath(path, ids),
    /** A page session per role (staff through /login, the household through /villager). */
    async agent(role: Role | 'NEIGHBOUR') {
      if (role === 'VILLAGER') {
        const agent = request.agent(t.http);
        const page = await agent.get('/villager');
        const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
        await agent
          .post('/villager/login')
          .type('form')
          .send({ _csrf: csrf, householdCode: household.code, pin: '135790' });
        return agent;
      }
      if (role === 'PARTY_MEMBER') return loggedIn(t, partyMember.body.username, '246810');
      const username =
        role === 'ADMIN'
          ? 'admin'
          : role === 'NEIGHBOUR'
            ? scene.neighbourAdmin.username
            : {
                TOWNSHIP: scene.townshipUser,
                VILLAGE_ADMIN: scene.villageAdmin,
                SCORER: scene.scorer,
                CLERK: scene.clerk,
                SUPERVISOR: supervisor,
                COUNCIL: councilMember,
                PARTY_BRANCH: branch,
                BANK: banker,
              }[role].username;
      return loggedIn(t, username, role === 'ADMIN' ? 'admin-pass-2026' : TEST_PASSWORD);
    },
  };
}

/** Which id a path parameter means: named by the segment before it (`/households/:id`) or by its own name. */
const SEGMENTS: Record<string, string> = {
  townships: 'township',
  villages: 'village',
  groups: 'group',
  users: 'user',
  households: 'household',
  members: 'member',
  rules: 'rule',
  'score-records': 'record',
  review: 'record',
  publications: 'publication',
  objections: 'objection',
  goods: 'goods',
  redemptions: 'redemption',
  'ranking-snapshots': 'snapshot',
  snapshots: 'snapshot',
  'list-entries': 'entry',
  lists: 'entry',
  certificates: 'certificate',
  'supervision-opinions': 'opinion',
  'stock-movements': 'movement',
  'rule-revisions': 'revision',
  'honour-campaigns': 'campaign',
  honours: 'campaign',
  'honour-objections': 'honourObjection',
  'supermarket-statements': 'statement',
  statements: 'statement',
  'grid-affairs': 'gridAffair',
  activities: 'activity',
  'inspection-rounds': 'inspectionRound',
  'party-members': 'partyMember',
  'party-records': 'partyRecord',
  'party-publications': 'partyPublication',
  'party-objections': 'partyObjection',
  'party-commitments': 'partyCommitment',
};

/** The same words under the party branch's pages (`/party/members/:id` is a party member, not a household's). */
const PARTY_PAGES: Record<string, string> = {
  members: 'partyMember',
  records: 'partyRecord',
  publications: 'partyPublication',
  objections: 'partyObjection',
  commitments: 'partyCommitment',
};

export function fillPath(path: string, ids: Record<string, number>): string {
  const parts = path.split('/');
  return parts
    .map((part, i) => {
      if (!part.startsWith(':')) return part;
      const name = part.slice(1);
      if (name === 'memberId') return String(ids.member);
      if (name === 'recordId') return String(ids.record);
      const kind =
        (parts[1] === 'party' ? PARTY_PAGES[parts[i - 1]] : undefined) ??
        SEGMENTS[parts[i - 1]] ??
        name.replace(/Id$/, '');
      return String(ids[kind] ?? 1);
    })
    .join('/');
}

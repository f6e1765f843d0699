import request from 'supertest';
import { Clock } from '../../src/common/clock.js';
import { addDays, todayInChina } from '../../src/common/dates.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import {
  auth,
  createTestUser,
  csrfFrom,
  loggedIn,
  TEST_PASSWORD,
  villagerAgent,
} from '../support/factories.js';
import { postDeeds } from '../support/ranking-fixtures.js';
import { createScoringScene, createTestHousehold, daysAgo } from '../support/scoring-fixtures.js';

/**
 * 评选活动 (issue 20.5): a campaign's named stars, nominations (the household itself or the committee), the council's
 * votes, the result in 公示 with objections, the township's filing; the honours on the board, the passbook and the
 * door plate; withdrawn (reason kept) when the household lands on the year's black list.
 */
describe('honours campaigns (评选活动)', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;
  let township: string;
  let villageId: number;
  let members: string[];
  const year = Number(todayInChina().slice(0, 4));
  /** 李: 30 德治 points; 王: 10; 赵: 30 and nominates itself. */
  let li: { id: number; code: string };
  let wang: { id: number; code: string };
  let zhao: { id: number; code: string };
  let campaignId: number;
  let stars: { filial: number; diligent: number };

  const post = (path: string, token: string, body: object = {}) =>
    request(t.http).post(path).set(auth(token)).send(body);
  const campaign = async () =>
    (await request(t.http).get(`/api/v1/honour-campaigns/${campaignId}`).set(auth(committee))).body;
  const nominationOf = async (householdId: number, starId: number) =>
    (await campaign()).nominations.find(
      (n: { householdId: number; starId: number }) => n.householdId === householdId && n.starId === starId,
    );
  const onDay = async <T>(day: string, act: () => Promise<T>) => {
    t.app.get(Clock).stopAt(new Date(`${day}T10:00:00+08:00`));
    try {
      return await act();
    } finally {
      t.app.get(Clock).stopAt(null);
    }
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    scene = await createScoringScene(t);
    committee = await scene.villageAdmin.token();
    township = await scene.townshipUser.token();
    villageId = scene.village.id;
    li = await createTestHousehold(t, committee, villageId, { headName: '李大山' });
    wang = await createTestHousehold(t, committee, villageId, { headName: '王小河' });
    zhao = await createTestHousehold(t, committee, villageId, { headName: '赵春花' });
    // The reward rule of postDeeds is a 德治 rule.
    await postDeeds(t, scene, [
      { householdId: li.id, points: 30, occurredOn: daysAgo(0) },
      { householdId: wang.id, points: 10, occurredOn: daysAgo(0) },
      { householdId: zhao.id, points: 30, occurredOn: daysAgo(0) },
    ]);
    members = [];
    for (let i = 0; i < 5; i++)
      members.push(
        await (
          await createTestUser(t, { role: 'COUNCIL', villageId, displayName: `评议员${i}` }, committee)
        ).token(),
      );
  });
  afterAll(() => t.close());

  it('should refuse a star without criteria or with half of the points criterion, marking the star', async () => {
    const none = await post('/api/v1/honour-campaigns', committee, {
      villageId,
      year,
      title: '试一试',
      stars: [{ name: '勤劳节俭' }],
    });
    expect(none.status).toBe(400);
    expect(none.body.error.details['stars.0.name']).toContain('还没有评选条件');
    const half = await post('/api/v1/honour-campaigns', committee, {
      villageId,
      year,
      title: '试一试',
      stars: [{ name: '勤劳节俭', category: '德治' }],
    });
    expect(half.status).toBe(400);
    expect(half.body.error.details['stars.0.minPoints']).toContain('类别和最低积分都要填');
    expect(
      (await post('/api/v1/honour-campaigns', scene.scorer ? await scene.scorer.token() : '', {})).status,
    ).toBe(403);
    const rows = await t.dataSource.query(`SELECT id FROM honour_campaign WHERE "villageId" = ${villageId}`);
    expect(rows).toHaveLength(0);
  });

  it('should start a campaign with named stars and refuse the same title twice', async () => {
    const body = {
      villageId,
      year,
      title: `${year}年星级文明户评选`,
      stars: [
        { name: '孝敬和睦', category: '德治', minPoints: 20, needsCouncil: true },
        { name: '勤劳节俭', category: '德治', minPoints: 20 },
      ],
    };
    const res = await post('/api/v1/honour-campaigns', committee, body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'OPEN',
      year,
      stars: [{ name: '孝敬和睦' }, { name: '勤劳节俭' }],
    });
    expect(res.body.stars[0].criteria).toBe('本年德治类积分满 20 分，评议会表决通过');
    campaignId = res.body.id;
    stars = { filial: res.body.stars[0].id, diligent: res.body.stars[1].id };
    const again = await post('/api/v1/honour-campaigns', committee, body);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DUPLICATE');
  });

  it('should take the committee’s nominations and a household’s own, once each', async () => {
    const nominate = (token: string, householdId: number, starId: number) =>
      post(`/api/v1/honour-campaigns/${campaignId}/nominations`, token, {
        householdId,
        starId,
        reason: '孝顺',
      });
    expect((await nominate(committee, li.id, stars.filial)).status).toBe(201);
    expect((await nominate(committee, li.id, stars.diligent)).status).toBe(201);
    expect((await nominate(committee, wang.id, stars.diligent)).status).toBe(201);
    const twice = await nominate(committee, wang.id, stars.diligent);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('DUPLICATE');

    // 赵 nominates itself on its own page; it cannot nominate another household.
    const villager = await villagerAgent(t, zhao.code, '135790');
    const page = await villager.get('/villager/honours');
    expect(page.text).toContain(`${year}年星级文明户评选`);
    const self = await villager
      .post(`/villager/honours/${campaignId}/nominations`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), starId: String(stars.filial), reason: '照顾婆婆' });
    expect(self.status).toBe(303);
    const other = await villager
      .post(`/villager/honours/${campaignId}/nominations`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), starId: '' });
    expect(other.status).toBe(400);
    expect(other.text).toContain('请选择星');
    const mine = await nominationOf(zhao.id, stars.filial);
    expect(mine).toMatchObject({ selfNominated: true, status: 'NOMINATED', reason: '照顾婆婆' });
    const api = await request(t.http)
      .post('/api/v1/auth/villager-login')
      .send({ householdCode: zhao.code, pin: '135790' });
    const forOther = await post(`/api/v1/honour-campaigns/${campaignId}/nominations`, api.body.token, {
      householdId: li.id,
      starId: stars.filial,
    });
    expect(forOther.status).toBe(403);
  });

  it('should not publish before the council has decided, and let each member vote once', async () => {
    const early = await post(`/api/v1/honour-campaigns/${campaignId}/publish`, committee, { days: 1 });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('评议会尚未表决');

    const liFilial = await nominationOf(li.id, stars.filial);
    const zhaoFilial = await nominationOf(zhao.id, stars.filial);
    const vote = (token: string, nominationId: number, choice: string) =>
      post(`/api/v1/honour-campaigns/${campaignId}/votes`, token, { nominationId, vote: choice });
    for (const token of members.slice(0, 4))
      expect((await vote(token, liFilial.id, 'YES')).body.result).toBe('PENDING');
    const again = await vote(members[0], liFilial.id, 'NO');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DUPLICATE');
    expect((await vote(members[4], liFilial.id, 'YES')).body).toMatchObject({ yes: 5, result: 'APPROVED' });
    // A star judged by points alone takes no vote; the committee cannot vote at all.
    const diligent = await nominationOf(li.id, stars.diligent);
    expect((await vote(members[0], diligent.id, 'YES')).status).toBe(409);
    expect((await vote(committee, zhaoFilial.id, 'YES')).status).toBe(403);
    for (const [i, choice] of ['NO', 'NO', 'YES', 'NO', 'YES'].entries())
      await vote(members[i], zhaoFilial.id, choice);
    expect((await nominationOf(zhao.id, stars.filial)).councilResult).toBe('REJECTED');
  });

  it('should publish the result against each star’s criteria and take no nomination after', async () => {
    const res = await post(`/api/v1/honour-campaigns/${campaignId}/publish`, committee, { days: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'PUBLISHED', windowEndsOn: todayInChina() });
    expect(await nominationOf(li.id, stars.filial)).toMatchObject({ status: 'AWARDED', points: 30 });
    expect(await nominationOf(li.id, stars.diligent)).toMatchObject({ status: 'AWARDED' });
    expect(await nominationOf(wang.id, stars.diligent)).toMatchObject({
      status: 'NOT_AWARDED',
      outcomeNote: `${year}年德治类积分 10 分，不足 20 分`,
    });
    expect(await nominationOf(zhao.id, stars.filial)).toMatchObject({
      status: 'NOT_AWARDED',
      outcomeNote: '评议会未通过',
    });
    const late = await post(`/api/v1/honour-campaigns/${campaignId}/nominations`, committee, {
      householdId: wang.id,
      starId: stars.filial,
    });
    expect(late.status).toBe(409);
    // Not filed: nothing on the board yet.
    const board = await request(t.http).get(`/public/villages/${villageId}?section=honours`);
    expect(board.text).toContain('还没有经乡镇备案的评选结果');
  });

  it('should hold the filing while the window runs and an objection waits, then file and show the honours', async () => {
    // 王 objects to 李's 勤劳节俭 on its own page, during the window.
    const villager = await villagerAgent(t, wang.code, '135790');
    const page = await villager.get('/villager/honours');
    const diligent = await nominationOf(li.id, stars.diligent);
    const objected = await villager
      .post(`/villager/honours/${campaignId}/objections`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), nominationId: String(diligent.id), reason: '他家的地都荒着' });
    expect(objected.status).toBe(303);

    const file = () => post(`/api/v1/honour-campaigns/${campaignId}/file`, township);
    const during = await file();
    expect(during.status).toBe(409);
    expect(during.body.error.message).toContain('结束后才能备案');
    const tomorrow = addDays(todayInChina(), 1);
    const waiting = await onDay(tomorrow, file);
    expect(waiting.status).toBe(409);
    expect(waiting.body.error.message).toContain('异议');
    // After the window no one objects any more.
    const late = await onDay(tomorrow, () =>
      post(`/api/v1/honour-campaigns/${campaignId}/objections`, committee, {
        nominationId: diligent.id,
        reason: 'x',
      }),
    );
    expect(late.status).toBe(409);

    const objection = (await campaign()).objections[0];
    expect(
      (await post(`/api/v1/honour-objections/${objection.id}/resolve`, committee, { decision: 'UPHOLD' }))
        .status,
    ).toBe(400);
    const upheld = await post(`/api/v1/honour-objections/${objection.id}/resolve`, committee, {
      decision: 'UPHOLD',
      answer: '经核实，承包地确有撂荒',
    });
    expect(upheld.status).toBe(200);
    expect(await nominationOf(li.id, stars.diligent)).toMatchObject({
      status: 'NOT_AWARDED',
      outcomeNote: '异议成立：经核实，承包地确有撂荒',
    });

    // The township sees it on its start page, then files it.
    const townshipPage = await onDay(tomorrow, async () =>
      (await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD)).get('/'),
    );
    expect(townshipPage.text).toContain('待备案评选结果');
    expect((await post(`/api/v1/honour-campaigns/${campaignId}/file`, committee)).status).toBe(403);
    const filed = await onDay(tomorrow, file);
    expect(filed.status).toBe(200);
    expect(filed.body.status).toBe('FILED');
    expect((await onDay(tomorrow, file)).status).toBe(409);

    const board = await request(t.http).get(`/public/villages/${villageId}?section=honours`);
    expect(board.text).toMatch(new RegExp(`孝敬和睦</strong>：${li.code} 李大山家`));
    expect(board.text).not.toContain(`${wang.code} 王小河家`);
    expect(board.text).not.toMatch(/勤劳节俭<\/strong>/);
    const staff = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    const passbook = await staff.get(`/households/${li.id}/passbook`);
    expect(passbook.text).toContain(`${year}年 孝敬和睦`);
    const plate = await staff.get(`/households/${li.id}/door-plate`);
    expect(plate.text).toContain(`${year}年 孝敬和睦`);
    const wangPlate = await staff.get(`/households/${wang.id}/door-plate`);
    expect(wangPlate.text).not.toContain('孝敬和睦');
  });

  it('should withdraw the honour, keeping the reason, when the household lands on the year’s black list', async () => {
    await postDeeds(t, scene, [{ householdId: li.id, points: -20, occurredOn: daysAgo(0), blackList: true }]);
    const period = todayInChina().slice(0, 7);
    const entry = await post(`/api/v1/villages/${villageId}/list-entries`, committee, {
      period,
      list: 'BLACK',
      householdId: li.id,
      reason: '违规占地建房',
    });
    expect(entry.status).toBe(201);
    // Confirmed but not published: the honour stands.
    expect((await nominationOf(li.id, stars.filial)).status).toBe('AWARDED');
    const published = await post(`/api/v1/villages/${villageId}/lists/publish`, committee, { period });
    expect(published.status).toBe(200);
    const withdrawn = await nominationOf(li.id, stars.filial);
    expect(withdrawn.status).toBe('WITHDRAWN');
    expect(withdrawn.outcomeNote).toMatch(/黑榜，荣誉撤销$/);
    const board = await request(t.http).get(`/public/villages/${villageId}?section=honours`);
    expect(board.text).toContain('已撤销的荣誉');
    expect(board.text).toContain(`${li.code} 李大山家（孝敬和睦）`);
    const plate = await (
      await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD)
    ).get(`/households/${li.id}/door-plate`);
    expect(plate.text).not.toContain('孝敬和睦');
    const audit = await t.dataSource.query(`SELECT action FROM audit_log WHERE action = 'honour.withdraw'`);
    expect(audit).toHaveLength(1);
    // A household on the year's black list cannot be nominated again this year.
    const next = await post('/api/v1/honour-campaigns', committee, {
      villageId,
      year,
      title: `${year}年道德模范评选`,
      stars: [{ name: '见义勇为', needsCouncil: true }],
    });
    const refused = await post(`/api/v1/honour-campaigns/${next.body.id}/nominations`, committee, {
      householdId: li.id,
      starId: next.body.stars[0].id,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('黑榜');
  });
});

import ExcelJS from 'exceljs';
import request from 'supertest';
import { todayInChina } from '../../src/common/dates.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, csrfFrom, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { postDeeds, afterPeriodEnds } from '../support/ranking-fixtures.js';
import { createScoringScene, createTestHousehold } from '../support/scoring-fixtures.js';

/** What the village publishes (board) and what a household sees of its own rank and stars. */
describe('the public board, the villager page and the passbook: rank, lists and stars', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;
  let top: { id: number; code: string };
  let second: { id: number; code: string };
  let violator: { id: number; code: string };
  const thisMonth = todayInChina().slice(0, 7);
  const firstOfMonth = `${thisMonth}-01`;

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    scene = await createScoringScene(t);
    committee = await scene.villageAdmin.token();
    top = await createTestHousehold(t, committee, scene.village.id, { headName: '李大山' });
    second = await createTestHousehold(t, committee, scene.village.id, { headName: '王秀英' });
    violator = await createTestHousehold(t, committee, scene.village.id, { headName: '赵德福' });
    await request(t.http)
      .put(`/api/v1/villages/${scene.village.id}/ranking-settings`)
      .set(auth(committee))
      .send({ starThresholds: '10,20,30,40,50', blackListMode: 'NAMED', redListSize: 10 });
    await postDeeds(t, scene, [
      { householdId: top.id, points: 45, occurredOn: firstOfMonth },
      { householdId: second.id, points: 25, occurredOn: firstOfMonth },
      { householdId: violator.id, points: 60, occurredOn: firstOfMonth },
      { householdId: violator.id, points: -20, occurredOn: firstOfMonth, blackList: true },
    ]);
  });
  afterAll(() => t.close());

  const board = (query = '') => request(t.http).get(`/public/villages/${scene.village.id}${query}`);

  it('should show no ranking on the board until the township approves one, then the approved rows', async () => {
    expect((await board()).text).toContain('还没有经乡镇审核通过的排名');
    const snap = await afterPeriodEnds(t, thisMonth, () =>
      request(t.http)
        .post(`/api/v1/villages/${scene.village.id}/ranking-snapshots`)
        .set(auth(committee))
        .send({ period: thisMonth }),
    );
    expect((await board()).text).toContain('还没有经乡镇审核通过的排名');
    await request(t.http)
      .post(`/api/v1/ranking-snapshots/${snap.body.id}/approve`)
      .set(auth(await scene.townshipUser.token()));
    const text = (await board()).text;
    expect(text).toContain('乡镇已审核');
    expect(text).toMatch(new RegExp(`第 1 名</td><td>${top.code}</td><td>李大山</td><td>45`));
  });

  it('should show published red and black lists, the black list by group only when the village chooses', async () => {
    const confirm = (list: string, householdId: number, reason: string) =>
      request(t.http)
        .post(`/api/v1/villages/${scene.village.id}/list-entries`)
        .set(auth(committee))
        .send({ period: thisMonth, list, householdId, reason });
    await confirm('RED', top.id, '带头清理河道');
    await confirm('BLACK', violator.id, '违规占地建房');
    expect((await board()).text).toContain('还没有发布红黑榜');
    await request(t.http)
      .post(`/api/v1/villages/${scene.village.id}/lists/publish`)
      .set(auth(committee))
      .send({ period: thisMonth });
    const named = (await board('?section=lists')).text;
    expect(named).toContain(`${top.code} 李大山家</strong>：带头清理河道`);
    expect(named).toContain(`${violator.code} 赵德福家</strong>：违规占地建房`);
    await request(t.http)
      .put(`/api/v1/villages/${scene.village.id}/ranking-settings`)
      .set(auth(committee))
      .send({ starThresholds: '10,20,30,40,50', blackListMode: 'GROUP', redListSize: 10 });
    const byGroup = (await board('?section=lists')).text;
    expect(byGroup).not.toContain('赵德福');
    expect(byGroup).toContain('一户</strong>：违规占地建房');
  });

  it('should show star households of the year, none for a black-listed one, and print one section alone', async () => {
    const stars = (await board('?section=stars')).text;
    expect(stars).toContain(`${top.code} 李大山家（4 星）`);
    expect(stars).toContain(`${second.code} 王秀英家（2 星）`);
    expect(stars).not.toContain('赵德福');
    expect(stars).not.toContain('积分超市商品');
    expect(stars).not.toContain('积分公示</h2>');
    // The whole board lists the same households (drawn once per kept board), with every other section.
    const whole = (await board('')).text;
    expect(whole).toContain(`${top.code} 李大山家（4 星）`);
    expect(whole).not.toContain('赵德福家（');
    expect(whole).toContain('积分公示</h2>');
  });

  it('should show the villager their month rank and stars, and say why a black-listed household has none', async () => {
    const page = async (code: string) => {
      const agent = request.agent(t.http);
      const login = await agent.get('/villager');
      await agent
        .post('/villager/login')
        .type('form')
        .send({ _csrf: csrfFrom(login.text), householdCode: code, pin: '135790' });
      return (await agent.get('/villager')).text;
    };
    const mine = await page(top.code);
    expect(mine).toContain('第 1 名');
    expect(mine).toContain('4 星');
    const theirs = await page(violator.code);
    expect(theirs).toContain('第 2 名');
    expect(theirs).toContain('今年上过黑榜，本年度不评星');
  });

  it('should show the stars on the staff passbook and export the passbook as CSV and .xlsx', async () => {
    const agent = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    const page = await agent.get(`/households/${top.id}/passbook`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('4 星');
    const csv = await agent.get(`/households/${top.id}/passbook.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    expect(csv.text).toContain('日期,摘要,类型,积分,可用余额,累计积分');
    expect(csv.text).toMatch(/积分入账,45,45,45/);
    const xlsx = await agent
      .get(`/households/${top.id}/passbook.xlsx`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    expect(book.worksheets[0].getRow(2).getCell(4).value).toBe(45);
    const neighbour = await loggedIn(t, scene.neighbourAdmin.username, TEST_PASSWORD);
    expect((await neighbour.get(`/households/${top.id}/passbook.csv`)).status).toBe(403);
  });
});

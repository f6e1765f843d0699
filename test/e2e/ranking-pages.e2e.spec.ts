import request from 'supertest';
import { todayInChina } from '../../src/common/dates.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { createTestUser, csrfFrom, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { postDeeds } from '../support/ranking-fixtures.js';
import { createScoringScene, createTestHousehold } from '../support/scoring-fixtures.js';

/** The ranking, review and list pages as the committee and the township use them. */
describe('ranking pages', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: Awaited<ReturnType<typeof loggedIn>>;
  let township: Awaited<ReturnType<typeof loggedIn>>;
  let a: { id: number; code: string };
  let b: { id: number; code: string };
  const month = todayInChina().slice(0, 7);
  const [y, m] = month.split('-').map(Number);
  const lastMonth = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;

  const post = async (agent: typeof committee, page: string, path: string, body: Record<string, string>) =>
    agent
      .post(path)
      .type('form')
      .send({ ...body, _csrf: csrfFrom((await agent.get(page)).text) });

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    scene = await createScoringScene(t);
    const token = await scene.villageAdmin.token();
    a = await createTestHousehold(t, token, scene.village.id, { headName: '甲户' });
    b = await createTestHousehold(t, token, scene.village.id, { headName: '乙户' });
    await postDeeds(t, scene, [
      { householdId: a.id, points: 30, occurredOn: `${lastMonth}-10` },
      { householdId: b.id, points: 10, occurredOn: `${lastMonth}-10` },
      { householdId: a.id, points: 5, occurredOn: `${month}-01` },
      { householdId: b.id, points: 40, occurredOn: `${month}-01` },
      { householdId: a.id, points: -10, occurredOn: `${month}-01`, blackList: true },
    ]);
    committee = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    township = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
  });
  afterAll(() => t.close());

  it('should show ranks with the change since last month in words', async () => {
    const page = await committee.get('/rankings');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(
      new RegExp(`第 1 名</td><td>${b.code}</td><td>乙户</td><td>[^<]*</td><td>40</td><td>上升 1 名`),
    );
    expect(page.text).toMatch(
      new RegExp(`第 2 名</td><td>${a.code}</td><td>甲户</td><td>[^<]*</td><td>-5</td><td>下降 1 名`),
    );
    expect((await committee.get('/rankings?period=2026-13')).status).toBe(400);
  });

  // Only an ended period goes to the township: last month.
  it('should go from submit to the township queue, a return with its comment, a new submit and an approval', async () => {
    expect((await post(committee, '/rankings', '/rankings/snapshots', { period: lastMonth })).status).toBe(
      303,
    );
    const queue = await township.get('/township/reviews');
    const id = /\/rankings\/snapshots\/(\d+)/.exec(queue.text)?.[1] as string;
    expect(id).toBeDefined();
    const page = `/rankings/snapshots/${id}`;
    const empty = await post(township, page, `${page}/return`, { comment: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('请写明退回的原因');
    const other = await loggedIn(
      t,
      (await createTestUser(t, { role: 'TOWNSHIP', townshipId: scene.otherTownship.id })).username,
      TEST_PASSWORD,
    );
    expect((await other.get(page)).status).toBe(403);
    expect((await post(township, page, `${page}/return`, { comment: '乙户的加分缺少照片' })).status).toBe(
      303,
    );
    expect((await committee.get('/rankings')).text).toContain('乡镇意见：乙户的加分缺少照片');
    expect((await post(committee, '/rankings', '/rankings/snapshots', { period: lastMonth })).status).toBe(
      303,
    );
    const again = /\/rankings\/snapshots\/(\d+)/.exec(
      (await township.get('/township/reviews')).text,
    )?.[1] as string;
    expect(again).not.toBe(id);
    const approved = await post(
      township,
      `/rankings/snapshots/${again}`,
      `/rankings/snapshots/${again}/approve`,
      {},
    );
    expect(approved.status).toBe(303);
    expect((await township.get('/township/reviews')).text).toContain('没有等待审核的排名');
    expect((await request(t.http).get(`/public/villages/${scene.village.id}`)).text).toContain('乡镇已审核');
  });

  it('should confirm, publish and lift a black-list entry from the lists page, and export the lists', async () => {
    const page = await committee.get('/lists');
    expect(page.text).toContain('黑榜候选');
    const confirm = await post(committee, '/lists', '/lists/entries', {
      period: month,
      list: 'BLACK',
      householdId: String(a.id),
      reason: '违规占地建房',
    });
    expect(confirm.status).toBe(303);
    expect((await post(committee, '/lists', '/lists/publish', { period: month })).status).toBe(303);
    const [entry] = await t.dataSource.query(`SELECT id FROM list_entry WHERE "householdId" = ${a.id}`);
    const noNote = await post(committee, '/lists', `/lists/${entry.id}/lift`, { note: '' });
    expect(noNote.status).toBe(400);
    expect((await post(committee, '/lists', `/lists/${entry.id}/lift`, { note: '已拆除' })).status).toBe(303);
    const csv = await committee.get(`/lists/export.csv?period=${month}`);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    expect(csv.text).toContain('黑榜');
    expect(csv.text).toContain('已整改销号');
    const ranking = await committee.get(`/rankings/export.csv?period=${month}`);
    expect(ranking.text).toContain(`1,${b.code},乙户`);
  });

  it('should save the settings and bring the form back with 400 for thresholds that do not rise', async () => {
    const bad = await post(committee, '/rankings/settings', '/rankings/settings', {
      starThresholds: '100,50,200,300,500',
      blackListMode: 'GROUP',
      redListSize: '5',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('从小到大');
    expect(bad.text).toContain('value="100,50,200,300,500"');
    const ok = await post(committee, '/rankings/settings', '/rankings/settings', {
      starThresholds: '10,20,30,40,50',
      blackListMode: 'GROUP',
      redListSize: '5',
    });
    expect(ok.status).toBe(303);
    const lists = await request(t.http).get(`/api/v1/villages/${scene.village.id}/lists?period=${month}`);
    expect(lists.body.black[0]).toMatchObject({ code: null, headName: null });
  });
});

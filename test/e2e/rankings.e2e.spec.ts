import request from 'supertest';
import { ReadCache } from '../../src/database/read-cache.js';
import { parsePeriod } from '../../src/common/periods.js';
import { RankingsService } from '../../src/rankings/rankings.service.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, createTestUser } from '../support/factories.js';
import { postDeeds } from '../support/ranking-fixtures.js';
import { createScoringScene, createTestHousehold } from '../support/scoring-fixtures.js';

interface Row {
  rank: number | null;
  householdId: number;
  points: number;
  change: number | null;
}

describe('rankings, snapshots, red and black lists, stars', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
  });
  afterAll(() => t.close());

  /** A fresh village with `n` households, so that each test ranks only its own. */
  async function village(n: number) {
    const scene = await createScoringScene(t);
    const committee = await scene.villageAdmin.token();
    const households = [];
    for (let i = 0; i < n; i++) households.push(await createTestHousehold(t, committee, scene.village.id));
    return { scene, committee, households };
  }
  const ranking = async (villageId: number, query = '') =>
    (await request(t.http).get(`/api/v1/villages/${villageId}/ranking${query}`)).body as {
      period: string;
      rows: Row[];
    };
  const ranksOf = (rows: Row[], ids: number[]) =>
    ids.map((id) => rows.find((r) => r.householdId === id)?.rank);
  const pointsOf = (rows: Row[], ids: number[]) =>
    ids.map((id) => rows.find((r) => r.householdId === id)?.points);

  describe('live ranking', () => {
    it('should give competition ranks (1, 2, 2, 4) with ties sharing a rank', async () => {
      const {
        scene,
        households: [a, b, c, d],
      } = await village(4);
      await postDeeds(t, scene, [
        { householdId: a.id, points: 30, occurredOn: '2026-05-10' },
        { householdId: b.id, points: 20, occurredOn: '2026-05-11' },
        { householdId: c.id, points: 15, occurredOn: '2026-05-12' },
        { householdId: c.id, points: 5, occurredOn: '2026-05-13' },
        { householdId: d.id, points: 10, occurredOn: '2026-05-14' },
      ]);
      const { rows, period } = await ranking(scene.village.id, '?period=2026-05');
      expect(period).toBe('2026-05');
      expect(ranksOf(rows, [a.id, b.id, c.id, d.id])).toEqual([1, 2, 2, 4]);
      expect(pointsOf(rows, [a.id, b.id, c.id, d.id])).toEqual([30, 20, 20, 10]);
    });

    it('should list every household with 0 and no rank when the period is empty', async () => {
      const { scene, households } = await village(3);
      const { rows } = await ranking(scene.village.id, '?period=2026-02');
      expect(rows).toHaveLength(3);
      expect(rows.every((r) => r.rank === null && r.points === 0)).toBe(true);
      expect(rows.map((r) => r.householdId).sort()).toEqual(households.map((h) => h.id).sort());
    });

    it('should put deeds on either side of a quarter and a year boundary in their own periods', async () => {
      const {
        scene,
        households: [a, b],
      } = await village(2);
      await postDeeds(t, scene, [
        { householdId: a.id, points: 7, occurredOn: '2025-12-31' },
        { householdId: b.id, points: 9, occurredOn: '2026-01-01' },
        { householdId: a.id, points: 11, occurredOn: '2026-03-31' },
        { householdId: b.id, points: 13, occurredOn: '2026-04-01' },
      ]);
      const at = async (period: string) =>
        pointsOf((await ranking(scene.village.id, `?period=${period}`)).rows, [a.id, b.id]);
      expect(await at('2025')).toEqual([7, 0]);
      expect(await at('2025-Q4')).toEqual([7, 0]);
      expect(await at('2026')).toEqual([11, 22]);
      expect(await at('2026-Q1')).toEqual([11, 9]);
      expect(await at('2026-Q2')).toEqual([0, 13]);
      expect(await at('2026-03')).toEqual([11, 0]);
      expect(await at('2026-04')).toEqual([0, 13]);
    });

    it('should count deductions and show each household’s change of rank since the previous period', async () => {
      const {
        scene,
        households: [a, b, c],
      } = await village(3);
      await postDeeds(t, scene, [
        { householdId: a.id, points: 30, occurredOn: '2026-06-05' },
        { householdId: b.id, points: 20, occurredOn: '2026-06-05' },
        { householdId: c.id, points: 10, occurredOn: '2026-06-05' },
        { householdId: a.id, points: 5, occurredOn: '2026-07-05' },
        { householdId: b.id, points: 25, occurredOn: '2026-07-05' },
        { householdId: c.id, points: 40, occurredOn: '2026-07-05' },
        { householdId: c.id, points: -10, occurredOn: '2026-07-06' },
      ]);
      const { rows } = await ranking(scene.village.id, '?period=2026-07');
      const byId = (id: number) => rows.find((r) => r.householdId === id) as Row;
      expect([byId(c.id).rank, byId(c.id).points, byId(c.id).change]).toEqual([1, 30, 2]);
      expect([byId(b.id).rank, byId(b.id).change]).toEqual([2, 0]);
      expect([byId(a.id).rank, byId(a.id).change]).toEqual([3, -2]);
    });

    it('should rank one group on its own when a group is asked for, and refuse another village’s group', async () => {
      const scene = await createScoringScene(t);
      const committee = await scene.villageAdmin.token();
      const groupIds = (
        await request(t.http).get(`/api/v1/villages/${scene.village.id}`).set(auth(committee))
      ).body.groups.map((g: { id: number }) => g.id);
      expect(groupIds.length).toBeGreaterThanOrEqual(2);
      const inFirst = await createTestHousehold(t, committee, scene.village.id, { groupId: groupIds[0] });
      const inSecond = await createTestHousehold(t, committee, scene.village.id, { groupId: groupIds[1] });
      await postDeeds(t, scene, [
        { householdId: inFirst.id, points: 5, occurredOn: '2026-08-01' },
        { householdId: inSecond.id, points: 50, occurredOn: '2026-08-01' },
      ]);
      const group = await ranking(scene.village.id, `?period=2026-08&groupId=${groupIds[0]}`);
      expect(group.rows.map((r) => [r.householdId, r.rank])).toEqual([[inFirst.id, 1]]);
      const other = await createScoringScene(t);
      const foreignGroup = (
        await request(t.http)
          .get(`/api/v1/villages/${other.village.id}`)
          .set(auth(await other.villageAdmin.token()))
      ).body.groups[0].id;
      const refused = await request(t.http).get(
        `/api/v1/villages/${scene.village.id}/ranking?groupId=${foreignGroup}`,
      );
      expect(refused.status).toBe(400);
    });

    it('should give each household the same rank on its own page as in the village ranking, ties and deductions included', async () => {
      const { scene, households } = await village(5);
      const [a, b, c, d] = households;
      await postDeeds(t, scene, [
        { householdId: a.id, points: 20, occurredOn: '2026-04-10' },
        { householdId: b.id, points: 20, occurredOn: '2026-04-10' },
        { householdId: c.id, points: 5, occurredOn: '2026-04-10' },
        { householdId: d.id, points: -5, occurredOn: '2026-04-10' },
      ]);
      const period = parsePeriod('2026-04')!;
      const { rows } = await ranking(scene.village.id, '?period=2026-04');
      for (const h of households) {
        const own = await t.app.get(RankingsService).rankOf(h.id, period);
        const row = rows.find((r) => r.householdId === h.id) as Row;
        expect([h.id, own.rank, own.points, own.households]).toEqual([
          h.id,
          row.rank,
          row.points,
          rows.length,
        ]);
      }
    });

    it('should read the per-period totals, not the ledger, when it ranks', async () => {
      const {
        scene,
        households: [a, b],
      } = await village(2);
      await postDeeds(t, scene, [
        { householdId: a.id, points: 10, occurredOn: '2026-09-09' },
        { householdId: b.id, points: 20, occurredOn: '2026-09-09' },
      ]);
      const entriesBefore = await t.dataSource.query('SELECT COUNT(*) AS n FROM ledger_entry');
      await t.dataSource.query(
        `UPDATE period_total SET points = 99 WHERE "householdId" = ${a.id} AND period = '2026-09'`,
      );
      t.app.get(ReadCache).clear(); // the SQL above went behind the app's back
      const moved = await ranking(scene.village.id, '?period=2026-09');
      await t.dataSource.query(
        `UPDATE period_total SET points = 10 WHERE "householdId" = ${a.id} AND period = '2026-09'`,
      );
      t.app.get(ReadCache).clear();
      expect(ranksOf(moved.rows, [a.id, b.id])).toEqual([1, 2]);
      expect(pointsOf(moved.rows, [a.id])).toEqual([99]);
      expect(await t.dataSource.query('SELECT COUNT(*) AS n FROM ledger_entry')).toEqual(entriesBefore);
      expect(ranksOf((await ranking(scene.village.id, '?period=2026-09')).rows, [a.id, b.id])).toEqual([
        2, 1,
      ]);
    });

    it('should refuse a period that is not a month, quarter or year with 400', async () => {
      const { scene } = await village(1);
      for (const period of ['2026-13', '2026-Q5', 'last-month', '2026-11-01']) {
        const res = await request(t.http).get(
          `/api/v1/villages/${scene.village.id}/ranking?period=${period}`,
        );
        expect(res.status).toBe(400);
        expect(res.body.error.details.period).toMatch(/2026-11/);
      }
      expect((await request(t.http).get('/api/v1/villages/999999/ranking')).status).toBe(404);
    });
  });

  describe('snapshots for the township', () => {
    it('should keep a snapshot as taken when points post after it, while the live ranking moves', async () => {
      const {
        scene,
        committee,
        households: [a, b],
      } = await village(2);
      await postDeeds(t, scene, [{ householdId: a.id, points: 10, occurredOn: '2026-10-03' }]);
      const snap = await request(t.http)
        .post(`/api/v1/villages/${scene.village.id}/ranking-snapshots`)
        .set(auth(committee))
        .send({ period: '2026-10' });
      expect(snap.status).toBe(201);
      expect(snap.body.status).toBe('SUBMITTED');
      expect(snap.body.rows[0]).toMatchObject({ householdId: a.id, rank: 1, points: 10 });
      await postDeeds(t, scene, [{ householdId: b.id, points: 50, occurredOn: '2026-10-04' }]);
      const live = await ranking(scene.village.id, '?period=2026-10');
      expect(ranksOf(live.rows, [b.id, a.id])).toEqual([1, 2]);
      const kept = await request(t.http)
        .get(`/api/v1/villages/${scene.village.id}/ranking-snapshots`)
        .set(auth(committee));
      expect(kept.body.items[0].rows).toEqual(snap.body.rows);
    });

    it('should let only the village’s own township approve or return, and never twice', async () => {
      const { scene, committee } = await village(2);
      const submit = () =>
        request(t.http)
          .post(`/api/v1/villages/${scene.village.id}/ranking-snapshots`)
          .set(auth(committee))
          .send({ period: '2026-Q3' });
      const first = await submit();
      expect((await submit()).status).toBe(409);
      const township = await scene.townshipUser.token();
      const otherTownship = await (
        await createTestUser(t, { role: 'TOWNSHIP', townshipId: scene.otherTownship.id })
      ).token();
      const approve = (token: string) =>
        request(t.http).post(`/api/v1/ranking-snapshots/${first.body.id}/approve`).set(auth(token));
      expect((await approve(committee)).status).toBe(403);
      expect((await approve(otherTownship)).status).toBe(403);
      const returned = await request(t.http)
        .post(`/api/v1/ranking-snapshots/${first.body.id}/return`)
        .set(auth(township))
        .send({ comment: '第二名的加分缺少照片，请核实' });
      expect(returned.status).toBe(200);
      expect(returned.body).toMatchObject({ status: 'RETURNED', comment: '第二名的加分缺少照片，请核实' });
      expect((await approve(township)).status).toBe(409);
      const again = await submit();
      expect(again.status).toBe(201);
      const approved = await request(t.http)
        .post(`/api/v1/ranking-snapshots/${again.body.id}/approve`)
        .set(auth(township));
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('APPROVED');
      expect((await submit()).status).toBe(409);
      const history = await request(t.http)
        .get(`/api/v1/villages/${scene.village.id}/ranking-snapshots`)
        .set(auth(committee));
      expect(history.body.items.map((s: { status: string }) => s.status)).toEqual(['APPROVED', 'RETURNED']);
    });

    it('should refuse a return without a comment', async () => {
      const { scene, committee } = await village(1);
      const snap = await request(t.http)
        .post(`/api/v1/villages/${scene.village.id}/ranking-snapshots`)
        .set(auth(committee))
        .send({ period: '2025' });
      const res = await request(t.http)
        .post(`/api/v1/ranking-snapshots/${snap.body.id}/return`)
        .set(auth(await scene.townshipUser.token()))
        .send({ comment: '  ' });
      expect(res.status).toBe(400);
      expect(res.body.error.details.comment).toBe('请写明退回的原因');
    });
  });

  describe('red and black lists', () => {
    async function listScene() {
      const v = await village(3);
      const [good, fine, bad] = v.households;
      await postDeeds(t, v.scene, [
        { householdId: good.id, points: 40, occurredOn: '2026-06-10' },
        { householdId: fine.id, points: 20, occurredOn: '2026-06-10' },
        { householdId: bad.id, points: 10, occurredOn: '2026-06-02' },
        { householdId: bad.id, points: -30, occurredOn: '2026-06-12', blackList: true },
      ]);
      return { ...v, good, fine, bad };
    }

    it('should propose the top households for the red list and black-list violators for the black list', async () => {
      const { scene, committee, good, fine, bad } = await listScene();
      const res = await request(t.http)
        .get(`/api/v1/villages/${scene.village.id}/list-candidates?period=2026-06`)
        .set(auth(committee));
      expect(res.body.red.map((c: { householdId: number }) => c.householdId)).toEqual([good.id, fine.id]);
      expect(res.body.black.map((c: { householdId: number }) => c.householdId)).toEqual([bad.id]);
      expect(res.body.black[0].why).toContain('违规占地建房');
    });

    it('should publish confirmed entries with their reasons, show the black list named or by group, lift and withdraw', async () => {
      const { scene, committee, good, bad } = await listScene();
      const villageId = scene.village.id;
      const confirm = (body: Record<string, unknown>) =>
        request(t.http).post(`/api/v1/villages/${villageId}/list-entries`).set(auth(committee)).send(body);
      const red = await confirm({
        period: '2026-06',
        list: 'RED',
        householdId: good.id,
        reason: '带头清理河道',
      });
      expect(red.status).toBe(201);
      const black = await confirm({
        period: '2026-06',
        list: 'BLACK',
        householdId: bad.id,
        reason: '违规占地建房',
      });
      expect(black.status).toBe(201);
      expect(
        (await confirm({ period: '2026-06', list: 'BLACK', householdId: good.id, reason: '无' })).status,
      ).toBe(409);
      expect(
        (await confirm({ period: '2026-06', list: 'RED', householdId: good.id, reason: '再来一次' })).status,
      ).toBe(409);
      const lists = () => request(t.http).get(`/api/v1/villages/${villageId}/lists?period=2026-06`);
      expect((await lists()).body).toMatchObject({ red: [], black: [] });
      expect(
        (
          await request(t.http)
            .post(`/api/v1/villages/${villageId}/lists/publish`)
            .set(auth(committee))
            .send({ period: '2026-06' })
        ).body,
      ).toEqual({ published: 2 });
      const named = (await lists()).body;
      expect(named.red).toEqual([expect.objectContaining({ householdId: good.id, reason: '带头清理河道' })]);
      expect(named.black).toEqual([expect.objectContaining({ householdId: bad.id, code: bad.code })]);
      await request(t.http)
        .put(`/api/v1/villages/${villageId}/ranking-settings`)
        .set(auth(committee))
        .send({ starThresholds: '50,100,200,300,500', blackListMode: 'GROUP', redListSize: 10 });
      const byGroup = (await lists()).body.black[0];
      expect(byGroup).toMatchObject({
        householdId: null,
        code: null,
        headName: null,
        reason: '违规占地建房',
      });
      const lifted = await request(t.http)
        .post(`/api/v1/list-entries/${black.body.id}/lift`)
        .set(auth(committee))
        .send({ note: '已拆除违建，经村两委核实' });
      expect(lifted.body).toMatchObject({ status: 'LIFTED', closingNote: '已拆除违建，经村两委核实' });
      expect((await lists()).body.black[0]).toMatchObject({ status: 'LIFTED' });
      const township = await scene.townshipUser.token();
      expect(
        (
          await request(t.http)
            .post(`/api/v1/list-entries/${red.body.id}/withdraw`)
            .set(auth(committee))
            .send({ note: 'x' })
        ).status,
      ).toBe(403);
      const withdrawn = await request(t.http)
        .post(`/api/v1/list-entries/${red.body.id}/withdraw`)
        .set(auth(township))
        .send({ note: '上榜理由与事实不符' });
      expect(withdrawn.body.status).toBe('WITHDRAWN');
      expect((await lists()).body.red).toEqual([]);
      const history = await t.dataSource.query(
        `SELECT status FROM list_entry WHERE "villageId" = ${villageId} ORDER BY id`,
      );
      expect(history.map((r: { status: string }) => r.status)).toEqual(['WITHDRAWN', 'LIFTED']);
    });

    it('should refuse a red-list entry for a household outside the top of the period', async () => {
      const { scene, committee, bad } = await listScene();
      await request(t.http)
        .put(`/api/v1/villages/${scene.village.id}/ranking-settings`)
        .set(auth(committee))
        .send({ starThresholds: '50,100,200,300,500', blackListMode: 'NAMED', redListSize: 1 });
      const res = await request(t.http)
        .post(`/api/v1/villages/${scene.village.id}/list-entries`)
        .set(auth(committee))
        .send({ period: '2026-06', list: 'RED', householdId: bad.id, reason: '试试' });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('红榜候选');
    });
  });

  describe('stars', () => {
    it('should give stars by the year’s points against the village’s thresholds, and none to the black-listed', async () => {
      const {
        scene,
        committee,
        households: [a, b, c],
      } = await village(3);
      await request(t.http)
        .put(`/api/v1/villages/${scene.village.id}/ranking-settings`)
        .set(auth(committee))
        .send({ starThresholds: '10,20,30,40,50', blackListMode: 'NAMED', redListSize: 10 });
      await postDeeds(t, scene, [
        { householdId: a.id, points: 35, occurredOn: '2026-03-01' },
        { householdId: b.id, points: 60, occurredOn: '2026-03-01' },
        { householdId: c.id, points: 80, occurredOn: '2026-03-01' },
        { householdId: c.id, points: -20, occurredOn: '2026-03-02', blackList: true },
        { householdId: a.id, points: 100, occurredOn: '2025-05-01' },
      ]);
      await request(t.http)
        .post(`/api/v1/villages/${scene.village.id}/list-entries`)
        .set(auth(committee))
        .send({ period: '2026-03', list: 'BLACK', householdId: c.id, reason: '违规占地建房' });
      await request(t.http)
        .post(`/api/v1/villages/${scene.village.id}/lists/publish`)
        .set(auth(committee))
        .send({ period: '2026-03' });
      const stars = (await request(t.http).get(`/api/v1/villages/${scene.village.id}/stars?year=2026`)).body;
      const of = (id: number) => stars.rows.find((r: { householdId: number }) => r.householdId === id);
      expect([of(a.id).stars, of(b.id).stars, of(c.id).stars]).toEqual([3, 5, 0]);
      expect(of(c.id)).toMatchObject({ points: 60, blackListed: true });
      const lastYear = (await request(t.http).get(`/api/v1/villages/${scene.village.id}/stars?year=2025`))
        .body;
      expect(lastYear.rows.find((r: { householdId: number }) => r.householdId === a.id).stars).toBe(5);
    });

    it('should refuse thresholds that are not five rising numbers', async () => {
      const { scene, committee } = await village(1);
      const res = await request(t.http)
        .put(`/api/v1/villages/${scene.village.id}/ranking-settings`)
        .set(auth(committee))
        .send({ starThresholds: '100,50,200,300,500', blackListMode: 'NAMED', redListSize: 10 });
      expect(res.status).toBe(400);
      expect(res.body.error.details.starThresholds).toMatch(/从小到大/);
    });
  });
});

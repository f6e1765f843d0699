import request from 'supertest';
import { Clock } from '../../src/common/clock.js';
import { todayInChina } from '../../src/common/dates.js';
import { parsePeriod, type Period } from '../../src/common/periods.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, csrfFrom, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { postDeeds } from '../support/ranking-fixtures.js';
import { createScoringScene, createTestHousehold } from '../support/scoring-fixtures.js';

/**
 * Issue 19, defect 1 and item 8 for the ranking pages: no rank without points, only ended periods go to the township,
 * period pickers that read what people type, and the lists page's notes marked where they are wrong.
 */
describe('ranking periods', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let token: string;
  let committee: Awaited<ReturnType<typeof loggedIn>>;
  let township: Awaited<ReturnType<typeof loggedIn>>;
  let a: { id: number; code: string };
  let b: { id: number; code: string };
  let idle: { id: number; code: string };
  // Two months back has points, last month has none: the empty month once listed everyone as 第 1 名, 上升 N 名.
  const thisMonth = parsePeriod(todayInChina().slice(0, 7)) as Period;
  const lastMonth = parsePeriod(thisMonth.previous) as Period;
  const scored = parsePeriod(lastMonth.previous) as Period;
  const nextMonth = parsePeriod(thisMonth.next.slice(0, 7)) as Period;

  const post = async (agent: typeof committee, page: string, path: string, body: Record<string, string>) =>
    agent
      .post(path)
      .type('form')
      .send({ ...body, _csrf: csrfFrom((await agent.get(page)).text) });
  const submitApi = (period: string) =>
    request(t.http)
      .post(`/api/v1/villages/${scene.village.id}/ranking-snapshots`)
      .set(auth(token))
      .send({ period });
  const alerts = (html: string) => html.match(/role="alert"/g)?.length ?? 0;

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    scene = await createScoringScene(t);
    token = await scene.villageAdmin.token();
    a = await createTestHousehold(t, token, scene.village.id, { headName: '甲户' });
    b = await createTestHousehold(t, token, scene.village.id, { headName: '乙户' });
    idle = await createTestHousehold(t, token, scene.village.id, { headName: '闲户' });
    await postDeeds(t, scene, [
      { householdId: a.id, points: 30, occurredOn: `${scored.key}-10` },
      { householdId: b.id, points: 10, occurredOn: `${scored.key}-10` },
    ]);
    committee = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    township = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
  });
  afterEach(() => t.app.get(Clock).stopAt(null));
  afterAll(() => t.close());

  describe('no rank without points', () => {
    it('should give no rank and no movement in a month without points, and say so on the page', async () => {
      const api = await request(t.http).get(
        `/api/v1/villages/${scene.village.id}/ranking?period=${lastMonth.key}`,
      );
      expect(api.body.rows).toHaveLength(3);
      for (const row of api.body.rows) expect(row).toMatchObject({ points: 0, rank: null, change: null });

      const page = await committee.get(`/rankings?period=${lastMonth.key}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('第 1 名');
      expect(page.text).not.toMatch(/上升 \d+ 名/);
      expect(page.text).toContain(`${lastMonth.label}各户都还没有积分：本期无积分，不排名。`);
      expect(page.text).toMatch(
        new RegExp(
          `<td>不排名</td><td>${a.code}</td><td>甲户</td><td>[^<]*</td><td>0</td><td>本期无积分，不排名</td>`,
        ),
      );
      const csv = await committee.get(`/rankings/export.csv?period=${lastMonth.key}`);
      expect(csv.text).toContain(`不排名,${a.code},甲户`);
    });

    it('should rank only the households with points and list the others after them, unranked', async () => {
      const page = await committee.get(`/rankings?period=${scored.key}`);
      expect(page.text).toMatch(
        new RegExp(`<td>第 1 名</td><td>${a.code}</td><td>甲户</td><td>[^<]*</td><td>30</td>`),
      );
      expect(page.text).toMatch(
        new RegExp(`<td>第 2 名</td><td>${b.code}</td><td>乙户</td><td>[^<]*</td><td>10</td>`),
      );
      expect(page.text).toMatch(
        new RegExp(
          `<td>不排名</td><td>${idle.code}</td><td>闲户</td><td>[^<]*</td><td>0</td><td>本期无积分，不排名</td>`,
        ),
      );
      expect(page.text).toContain(`1 户${scored.label}没有积分，不排名，列在最后。`);
      const api = await request(t.http).get(
        `/api/v1/villages/${scene.village.id}/ranking?period=${scored.key}`,
      );
      expect(
        api.body.rows.map((r: { householdId: number; rank: number | null }) => [r.householdId, r.rank]),
      ).toEqual([
        [a.id, 1],
        [b.id, 2],
        [idle.id, null],
      ]);
    });

    it('should state no rank on a certificate for a household without points this year', async () => {
      const issued = await request(t.http)
        .post(`/api/v1/households/${idle.id}/certificates`)
        .set(auth(token))
        .send({ purpose: '申请积分贷' });
      expect(issued.status).toBe(201);
      expect(issued.body).toMatchObject({ yearPoints: 0, rank: null });
      const page = await committee.get(`/certificates/${issued.body.id}`);
      expect(page.text).toContain('0 分，本年无积分，不排名');
      expect(page.text).not.toMatch(/户中第 \d+ 名/);
      const verify = await request(t.http).get(`/verify/${issued.body.code}`);
      expect(verify.text).toContain('0 分，本年无积分，不排名');
      expect(verify.text).not.toMatch(/户中第 \d+ 名/);
    });
  });

  describe('only ended periods are submitted', () => {
    it('should refuse the running and a future month with 409 INVALID_STATE in words, by API and page', async () => {
      const running = await submitApi(thisMonth.key);
      expect(running.status).toBe(409);
      expect(running.body.error).toMatchObject({
        code: 'INVALID_STATE',
        message: `${thisMonth.label}还没有结束，结束后才能上报`,
      });
      const future = await submitApi(nextMonth.key);
      expect(future.status).toBe(409);
      expect(future.body.error.code).toBe('INVALID_STATE');
      const year = await submitApi(thisMonth.key.slice(0, 4));
      expect(year.status).toBe(409);

      const page = await post(committee, `/rankings?period=${thisMonth.key}`, '/rankings/snapshots', {
        period: thisMonth.key,
      });
      expect(page.status).toBe(409);
      expect(page.text).toContain(`${thisMonth.label}还没有结束，结束后才能上报`);
      expect(alerts(page.text)).toBe(1);
      expect(
        await t.dataSource.query(`SELECT id FROM ranking_snapshot WHERE "villageId" = ${scene.village.id}`),
      ).toEqual([]);
    });

    it('should offer the submit button only for an ended period, and say from when otherwise', async () => {
      const running = await committee.get(`/rankings?period=${thisMonth.key}`);
      expect(running.text).not.toContain('给乡镇审核</button>');
      expect(running.text).toContain(`${thisMonth.label}还没有结束，`);
      expect(running.text).toContain('起可以提交乡镇审核');
      const future = await committee.get(`/rankings?period=${nextMonth.key}`);
      expect(future.text).not.toContain('给乡镇审核</button>');
      expect(future.text).toContain(`${nextMonth.label}还没有开始，`);
      const ended = await committee.get(`/rankings?period=${scored.key}`);
      expect(ended.text).toContain(`提交${scored.label}排名给乡镇审核</button>`);
      expect(ended.text).not.toContain('起可以提交乡镇审核');
      const ok = await post(committee, `/rankings?period=${scored.key}`, '/rankings/snapshots', {
        period: scored.key,
      });
      expect(ok.status).toBe(303);
    });

    it('should read today from the app clock: 2026-12 on 3 December is running, on 1 January it is over', async () => {
      const clock = t.app.get(Clock);
      clock.stopAt(new Date('2026-12-03T13:51:14+08:00'));
      const refused = await submitApi('2026-12');
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe('2026年12月还没有结束，结束后才能上报');
      const page = await committee.get('/rankings?period=2026-12');
      expect(page.text).toContain('2026年12月还没有结束，2027年1月1日起可以提交乡镇审核。');
      expect((await committee.get('/rankings?period=2027-01')).text).not.toContain('给乡镇审核</button>');
      clock.stopAt(new Date('2027-01-01T00:30:00+08:00'));
      expect((await committee.get('/rankings?period=2026-12')).text).toContain(
        '提交2026年12月排名给乡镇审核</button>',
      );
      expect((await submitApi('2026-12')).status).toBe(201);
    });
  });

  describe('period pickers', () => {
    it('should offer months, quarters and years to pick, not a text box', async () => {
      for (const path of ['/rankings', '/lists']) {
        const page = await committee.get(`${path}?period=${scored.key}`);
        expect(page.text).toContain('<select id="f-period" name="period"');
        expect(page.text).not.toMatch(/<input id="f-period"/);
        expect(page.text).toContain('<optgroup label="按月">');
        expect(page.text).toContain('<optgroup label="按季度">');
        expect(page.text).toContain('<optgroup label="按年">');
        expect(page.text).toContain(`<option value="${scored.key}" selected>${scored.label}</option>`);
        expect(page.text).toContain(`<option value="${thisMonth.key}">${thisMonth.label}（进行中）</option>`);
      }
    });

    it('should read a period typed as people write it', async () => {
      const typed: [string, string][] = [
        ['2026年11月', '2026年11月排名'],
        ['2026年第4季度', '2026年第四季度排名'],
        ['2026年第四季度', '2026年第四季度排名'],
        ['2026年', '2026年排名'],
      ];
      for (const [text, title] of typed) {
        const page = await committee.get(`/rankings?period=${encodeURIComponent(text)}`);
        expect(page.status).toBe(200);
        expect(page.text).toContain(title);
      }
      const lists = await committee.get(`/lists?period=${encodeURIComponent('2026年11月')}`);
      expect(lists.status).toBe(200);
      expect(lists.text).toContain('2026年11月红黑榜');
      const bad = await committee.get(`/rankings?period=${encodeURIComponent('2026年13月')}`);
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('aria-invalid="true"');
      expect(bad.text).toContain('期间应为 2026年11月、2026年第4季度或2026年');
    });
  });

  describe('the lists page marks the note at fault', () => {
    it('should bring back a missing or too long red-list reason with that field marked and one banner', async () => {
      const page = `/lists?period=${scored.key}`;
      const empty = await post(committee, page, '/lists/entries', {
        period: scored.key,
        list: 'RED',
        householdId: String(a.id),
        reason: '  ',
      });
      expect(empty.status).toBe(400);
      expect(alerts(empty.text)).toBe(1);
      expect(empty.text).toMatch(
        new RegExp(
          `<input id="reason-RED-${a.id}" name="reason" value="[^"]*" aria-required="true" aria-describedby="e-reason-RED-${a.id}" aria-invalid="true">`,
        ),
      );
      expect(empty.text).toContain(`<p class="error" id="e-reason-RED-${a.id}">请写明上榜理由</p>`);
      expect(empty.text).not.toMatch(new RegExp(`id="reason-RED-${b.id}"[^>]*aria-invalid`));

      const long = '带头清理河道'.repeat(40);
      const tooLong = await post(committee, page, '/lists/entries', {
        period: scored.key,
        list: 'RED',
        householdId: String(b.id),
        reason: long,
      });
      expect(tooLong.status).toBe(400);
      expect(alerts(tooLong.text)).toBe(1);
      expect(tooLong.text).toContain(`<input id="reason-RED-${b.id}" name="reason" value="${long}"`);
      expect(tooLong.text).toContain(`<p class="error" id="e-reason-RED-${b.id}">理由最多 200 个字</p>`);
      expect(tooLong.text).not.toMatch(new RegExp(`id="reason-RED-${a.id}"[^>]*aria-invalid`));
    });

    it('should bring back a missing township withdrawal note with that field marked', async () => {
      const confirmed = await post(committee, `/lists?period=${scored.key}`, '/lists/entries', {
        period: scored.key,
        list: 'RED',
        householdId: String(a.id),
        reason: '本月积分全村第一',
      });
      expect(confirmed.status).toBe(303);
      const [entry] = await t.dataSource.query(
        `SELECT id FROM list_entry WHERE "householdId" = ${a.id} AND period = '${scored.key}'`,
      );
      const page = `/lists?period=${scored.key}&villageId=${scene.village.id}`;
      const empty = await post(township, page, `/lists/${entry.id}/withdraw`, { note: '' });
      expect(empty.status).toBe(400);
      expect(alerts(empty.text)).toBe(1);
      expect(empty.text).toMatch(
        new RegExp(`<input id="withdraw-note-${entry.id}" name="note"[^>]*aria-invalid="true">`),
      );
      expect(empty.text).toContain(`<p class="error" id="e-withdraw-note-${entry.id}">请写明说明</p>`);
      const long = '核实'.repeat(101);
      const tooLong = await post(township, page, `/lists/${entry.id}/withdraw`, { note: long });
      expect(tooLong.status).toBe(400);
      expect(tooLong.text).toContain(`<input id="withdraw-note-${entry.id}" name="note" value="${long}"`);
      expect(tooLong.text).toContain('说明最多 200 个字');
      const done = await post(township, page, `/lists/${entry.id}/withdraw`, { note: '理由与事实不符' });
      expect(done.status).toBe(303);
    });
  });
});

import { readFileSync } from 'node:fs';
import request from 'supertest';
import { projectRoot } from '../../src/common/paths.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, csrfFrom, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import {
  createScoringScene,
  createTestHousehold,
  createTestRule,
  daysAgo,
} from '../support/scoring-fixtures.js';

type Agent = Awaited<ReturnType<typeof loggedIn>>;

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** The rule list, recording, batch and review pages as the committee, a scorer and the township use them. */
describe('pages: 积分清单, 登记, 批量登记, 审核', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committeeToken: string;
  let committee: Agent;
  let reviewer: Agent;
  let scorer: Agent;
  let neighbour: Agent;
  let township: Agent;
  let villageId: number;
  const rules: Record<string, { id: number; code: string; version: number }> = {};
  const households: Record<string, { id: number; code: string }> = {};

  const recordCount = async (where = '1 = 1') =>
    Number(
      (
        await t.dataSource.query(
          `SELECT COUNT(*) AS n FROM score_record WHERE "villageId" = ${villageId} AND ${where}`,
        )
      )[0].n,
    );
  const statusOf = async (id: number) =>
    (await t.dataSource.query(`SELECT status FROM score_record WHERE id = ${id}`))[0].status as string;

  /** Fills the phone form as a scorer would and sends it, with the photo last as the browser does. */
  async function sendScoreForm(
    agent: Agent,
    fields: Record<string, string | number>,
    photo?: { bytes: Buffer; name: string },
  ) {
    const form = await agent.get('/scoring/new');
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    let req = agent.post(`/scoring/new?_csrf=${encodeURIComponent(csrfFrom(form.text))}`);
    for (const [name, value] of Object.entries({
      idempotencyKey: key,
      occurredOn: daysAgo(1),
      ...fields,
    })) {
      req = req.field(name, String(value));
    }
    if (photo) req = req.attach('photo', photo.bytes, photo.name);
    return req;
  }

  async function postForm(agent: Agent, formPath: string, action: string, body: Record<string, unknown>) {
    const form = await agent.get(formPath);
    return agent
      .post(action)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), ...body });
  }

  async function apiRecord(householdId: number, ruleId: number) {
    const res = await request(t.http)
      .post('/api/v1/score-records')
      .set(auth(await scene.scorer.token()))
      .send({ householdId, ruleId, occurredOn: daysAgo(1) });
    expect(res.status).toBe(201);
    return res.body as { id: number };
  }

  beforeAll(async () => {
    t = await createTestApp();
    scene = await createScoringScene(t);
    villageId = scene.village.id;
    committeeToken = await scene.villageAdmin.token();
    [committee, reviewer, scorer, neighbour, township] = await Promise.all([
      loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD),
      loggedIn(t, scene.secondAdmin.username, TEST_PASSWORD),
      loggedIn(t, scene.scorer.username, TEST_PASSWORD),
      loggedIn(t, scene.neighbourAdmin.username, TEST_PASSWORD),
      loggedIn(t, scene.townshipUser.username, TEST_PASSWORD),
    ]);
    const [first, second] = scene.village.groups;
    households.zhang = await createTestHousehold(t, committeeToken, villageId, {
      headName: '张国强',
      groupId: first.id,
    });
    households.wang = await createTestHousehold(t, committeeToken, villageId, {
      headName: '王秀英',
      groupId: first.id,
    });
    households.li = await createTestHousehold(t, committeeToken, villageId, {
      headName: '李大山',
      groupId: second.id,
    });
    rules.volunteer = await createTestRule(t, committeeToken, villageId, {
      code: 'ZZ-02',
      category: '自治',
      title: '参加志愿服务',
      points: 15,
      capCount: 4,
      capPeriod: 'month',
    });
    rules.mediate = await createTestRule(t, committeeToken, villageId, {
      code: 'ZZ-03',
      category: '自治',
      title: '调解邻里纠纷',
      points: undefined,
      minPoints: 10,
      maxPoints: 20,
    });
    rules.gambling = await createTestRule(t, committeeToken, villageId, {
      code: 'FZ-03',
      category: '法治',
      title: '参与赌博',
      points: -20,
      blackList: true,
      evidenceRequired: true,
    });
    rules.meeting = await createTestRule(t, committeeToken, villageId, {
      code: 'ZZ-01',
      category: '自治',
      title: '参加村民代表会议',
      points: 5,
      capCount: 1,
      capPeriod: 'month',
    });
    rules.old = await createTestRule(t, committeeToken, villageId, {
      code: 'QT-09',
      category: '其他',
      title: '旧的细则',
      points: 3,
    });
    await request(t.http)
      .patch(`/api/v1/rules/${rules.old.id}`)
      .set(auth(committeeToken))
      .send({ active: false })
      .expect(200);
  });
  afterAll(() => t.close());

  describe('积分清单', () => {
    it('should show the list grouped by category with points, caps, marks and retired rules greyed', async () => {
      const res = await scorer.get('/rules');
      expect(res.status).toBe(200);
      const html = res.text;
      expect(html).toContain(`${scene.village.name}积分清单`);
      const order = ['<h2>自治</h2>', '<h2>法治</h2>', '<h2>其他</h2>'].map((h) => html.indexOf(h));
      expect(order.every((i) => i > 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(html).toMatch(/ZZ-02<\/td>\s*<td class="rule-title">\s*参加志愿服务/);
      for (const text of ['+15', '−20', '+10～+20', '每户每月最多 4 次', '需照片或说明', '列入黑榜']) {
        expect(html).toContain(text);
      }
      expect(html).toMatch(/<tr class="inactive rule-retired">\s*<td class="rule-code">QT-09/);
      // A scorer reads the list; only the committee keeps it.
      expect(html).not.toContain('href="/rules/new"');
      expect(html).not.toContain('/rules/copy');
    });

    it('should have print markup and an A4 print stylesheet for the notice board', async () => {
      const res = await committee.get('/rules');
      expect(res.text).toContain('class="print-only"');
      expect(res.text).toContain('class="rule-actions"');
      expect(res.text).toContain('href="/rules/new"');
      expect(res.text).toContain('href="/rules/copy"');
      const css = readFileSync(`${projectRoot()}/views/assets/app.css`, 'utf8');
      const rulesPart = css.slice(css.indexOf('/* rules pages */'));
      expect(css.indexOf('/* rules pages */')).toBeGreaterThan(0);
      expect(rulesPart).toMatch(/@media print\s*{[\s\S]*size: A4[\s\S]*\.rule-actions/);
    });

    it("should show the township a village's list with ?villageId= and refuse another village's committee", async () => {
      const choose = await township.get('/rules');
      expect(choose.text).toContain(`href="/rules?villageId=${villageId}"`);
      const res = await township.get(`/rules?villageId=${villageId}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('ZZ-02');
      expect(res.text).not.toContain('href="/rules/new"');
      expect((await neighbour.get(`/rules?villageId=${villageId}`)).status).toBe(403);
      expect((await township.get('/rules?villageId=abc')).status).toBe(404);
    });

    it('should bring the new-rule form back with the range message and what was typed', async () => {
      const res = await postForm(committee, '/rules/new', '/rules', {
        code: 'dz-07',
        category: '德治',
        title: '孝老爱亲',
        minPoints: '20',
        maxPoints: '5',
        capCount: '',
        capPeriod: '',
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain('区间上限应大于下限');
      expect(res.text).toMatch(/id="f-maxPoints"[^>]*aria-invalid="true"/);
      expect(res.text).toContain('value="孝老爱亲"');
      expect(res.text).toContain('value="20"');
      expect(
        Number(
          (await t.dataSource.query(`SELECT COUNT(*) AS n FROM scoring_rule WHERE code = 'DZ-07'`))[0].n,
        ),
      ).toBe(0);
    });

    it('should create a rule from the page and list it', async () => {
      const res = await postForm(committee, '/rules/new', '/rules', {
        code: 'dz-07',
        category: '德治',
        title: '孝老爱亲',
        minPoints: '5',
        maxPoints: '20',
        capCount: '2',
        capPeriod: 'year',
        evidenceRequired: 'true',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/rules');
      const list = await committee.get('/rules');
      expect(list.text).toContain('已新增 DZ-07 孝老爱亲（+5～+20）');
      expect(list.text).toContain('每户每年最多 2 次');
    });

    it('should make a new version when the points are changed on the edit page, and keep the old one otherwise', async () => {
      const form = await committee.get(`/rules/${rules.volunteer.id}/edit`);
      expect(form.status).toBe(200);
      expect(form.text).toContain('会生成第 2 版');
      expect(form.text).toContain('已登记的记录保留登记时的分值');
      expect(form.text).toMatch(/id="f-points"[^>]*value="15"/);
      const fields = {
        _csrf: csrfFrom(form.text),
        category: '自治',
        title: '参加志愿服务',
        capCount: '4',
        capPeriod: 'month',
      };
      const unchanged = await committee
        .post(`/rules/${rules.volunteer.id}`)
        .type('form')
        .send({ ...fields, points: '15' });
      expect(unchanged.status).toBe(303);
      const res = await committee
        .post(`/rules/${rules.volunteer.id}`)
        .type('form')
        .send({ ...fields, points: '20' });
      expect(res.status).toBe(303);
      expect((await committee.get('/rules')).text).toContain('现为第 2 版；已登记的记录保留原分值');
      const rule = await request(t.http).get(`/api/v1/rules/${rules.volunteer.id}`).set(auth(committeeToken));
      expect(rule.body).toMatchObject({ points: 20, version: 2, capCount: 4 });
    });

    it('should let only the committee edit, and retire and reactivate a rule', async () => {
      expect((await scorer.get(`/rules/${rules.meeting.id}/edit`)).status).toBe(403);
      expect((await township.get(`/rules/${rules.meeting.id}/edit`)).status).toBe(403);
      const retire = await postForm(committee, '/rules', `/rules/${rules.meeting.id}/active`, {
        active: 'false',
      });
      expect(retire.status).toBe(303);
      const list = await committee.get('/rules');
      expect(list.text).toContain('ZZ-01 参加村民代表会议 已停用');
      expect(list.text).toMatch(/<tr class="inactive rule-retired">\s*<td class="rule-code">ZZ-01/);
      const back = await postForm(committee, '/rules', `/rules/${rules.meeting.id}/active`, {
        active: 'true',
      });
      expect(back.status).toBe(303);
      expect((await committee.get('/rules')).text).toContain('ZZ-01 参加村民代表会议 已重新启用');
    });

    it('should keep the township template list with the same form, and copy chosen templates into the village', async () => {
      const page = await township.get('/rules/templates');
      expect(page.status).toBe(200);
      expect(page.text).toContain(`${scene.township.name}模板细则`);
      const created = await postForm(township, '/rules/templates/new', '/rules/templates', {
        code: 'mb-01',
        category: '人居环境',
        title: '庭院干净整洁',
        points: '10',
      });
      expect(created.status).toBe(303);
      const again = await postForm(township, '/rules/templates/new', '/rules/templates', {
        code: 'ZZ-02',
        category: '自治',
        title: '参加志愿服务',
        points: '10',
      });
      expect(again.status).toBe(303);
      const templates = await township.get('/rules/templates');
      expect(templates.text).toContain('已新增 ZZ-02 参加志愿服务（+10）');
      expect(templates.text).toContain('庭院干净整洁');
      const ids = Object.fromEntries(
        (
          (await t.dataSource.query(
            `SELECT id, code FROM scoring_rule WHERE "townshipId" = ${scene.township.id} AND "villageId" IS NULL`,
          )) as { id: number; code: string }[]
        ).map((r) => [r.code, Number(r.id)]),
      );

      const form = await committee.get('/rules/copy');
      expect(form.status).toBe(200);
      expect(form.text).toMatch(new RegExp(`id="t-${ids['ZZ-02']}"[^>]*disabled`));
      expect(form.text).toContain('本村已有');
      const none = await committee
        .post('/rules/copy')
        .type('form')
        .send({ _csrf: csrfFrom(form.text) });
      expect(none.status).toBe(400);
      expect(none.text).toContain('请至少勾选一条模板细则');

      const res = await committee
        .post('/rules/copy')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), ruleIds: String(ids['MB-01']) });
      expect(res.status).toBe(303);
      const list = await committee.get('/rules');
      expect(list.text).toContain('已从乡镇模板复制 1 条：MB-01');
      expect(list.text).toContain('<h2>人居环境</h2>');
      expect(list.text).toContain('庭院干净整洁');
    });
  });

  describe('登记 and 审核', () => {
    let photoRecordId: number;

    it('should find households by name with a GET search and pick the only match', async () => {
      const res = await scorer.get(`/scoring/new?q=${encodeURIComponent('王秀')}`);
      expect(res.status).toBe(200);
      expect(res.text).toMatch(
        new RegExp(
          `type="radio" id="h-${households.wang.id}" name="householdId" value="${households.wang.id}" checked`,
        ),
      );
      expect(res.text).not.toContain('张国强');
      expect(res.text).toContain(`action="/scoring/new?_csrf=`);
      expect(res.text).toContain('enctype="multipart/form-data"');
      expect(res.text).toContain('capture="environment"');
      expect(res.text).toMatch(/<optgroup label="自治">[\s\S]*ZZ-03 调解邻里纠纷（\+10～\+20）/);
      const byCode = await scorer.get(`/scoring/new?q=${households.li.code.toLowerCase()}`);
      expect(byCode.text).toContain('李大山家');
    });

    it('should record one score with a photo and show it pending in the review queue', async () => {
      const res = await sendScoreForm(
        scorer,
        { householdId: households.wang.id, ruleId: rules.volunteer.id, note: '打扫村道' },
        { bytes: PNG, name: 'deed.png' },
      );
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/scoring/new');
      const next = await scorer.get('/scoring/new');
      expect(next.text).toContain(`已登记：${households.wang.code} 王秀英家 ZZ-02 参加志愿服务 +20，待审核`);
      const [row] = await t.dataSource.query(
        `SELECT id, status, "evidencePath" FROM score_record WHERE "householdId" = ${households.wang.id}`,
      );
      expect(row.status).toBe('PENDING');
      expect(row.evidencePath).toMatch(/^[0-9a-f]{32}\.png$/);
      photoRecordId = Number(row.id);

      const queue = await reviewer.get('/scoring/review');
      expect(queue.status).toBe(200);
      expect(queue.text).toContain(`${households.wang.code} 王秀英家`);
      expect(queue.text).toContain('打扫村道');
      expect(queue.text).toContain(`href="/score-records/${photoRecordId}/evidence"`);
      expect(queue.text).toContain(`value="${photoRecordId}" form="review-bulk"`);
    });

    it("should serve the photo back as image/png to the village's staff and not to another village's", async () => {
      const res = await reviewer.get(`/score-records/${photoRecordId}/evidence`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('private');
      expect(Buffer.compare(res.body as Buffer, PNG)).toBe(0);
      expect((await scorer.get(`/score-records/${photoRecordId}/evidence`)).status).toBe(200);
      // The record exists, in another village: the scope guard says 403.
      expect((await neighbour.get(`/score-records/${photoRecordId}/evidence`)).status).toBe(403);
      expect((await reviewer.get('/score-records/999999/evidence')).status).toBe(404);
    });

    it('should bring the form back with the message when the "photo" is text named .jpg', async () => {
      const before = await recordCount();
      const res = await sendScoreForm(
        scorer,
        { householdId: households.zhang.id, ruleId: rules.volunteer.id, note: '假照片' },
        { bytes: Buffer.from('this is not a picture'), name: 'photo.jpg' },
      );
      expect(res.status).toBe(400);
      expect(res.text).toContain('照片只能是 JPEG 或 PNG 图片');
      expect(res.text).toMatch(/id="f-photo"[^>]*aria-invalid="true"/);
      expect(res.text).toContain('假照片');
      expect(res.text).toMatch(new RegExp(`value="${households.zhang.id}" checked`));
      expect(await recordCount()).toBe(before);
    });

    it('should bring the form back with a Chinese message when the photo is over 5 MB', async () => {
      const before = await recordCount();
      const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]);
      const res = await sendScoreForm(
        scorer,
        { householdId: households.zhang.id, ruleId: rules.volunteer.id, note: '大照片' },
        { bytes: big, name: 'big.png' },
      );
      expect(res.status).toBe(400);
      expect(res.text).toContain('照片不能超过 5 MB');
      expect(res.text).toContain('大照片');
      expect(await recordCount()).toBe(before);
    });

    it('should bring the form back with messages beside the fields when nothing is chosen', async () => {
      const res = await sendScoreForm(scorer, { occurredOn: '2026-13-01' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('请选择农户');
      expect(res.text).toMatch(/id="f-ruleId"[^>]*aria-invalid="true"/);
      expect(res.text).toContain('value="2026-13-01"');
      // Nothing sent but the token: still the form, never a 500.
      const bare = await scorer
        .post('/scoring/batch')
        .type('form')
        .send({ _csrf: csrfFrom(res.text) });
      expect(bare.status).toBe(400);
      expect(bare.text).toContain('请至少勾选一户');
    });

    it('should record once when the same form is sent twice (a double tap)', async () => {
      const form = await scorer.get('/scoring/new');
      const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.text)?.[1] as string;
      expect(key).toMatch(/^[0-9a-f-]{36}$/);
      const send = () =>
        scorer
          .post(`/scoring/new?_csrf=${encodeURIComponent(csrfFrom(form.text))}`)
          .field('idempotencyKey', key)
          .field('householdId', String(households.li.id))
          .field('ruleId', String(rules.mediate.id))
          .field('occurredOn', daysAgo(2))
          .field('points', '12');
      // Two taps at once, then a third after the page came back.
      expect((await Promise.all([send(), send()])).map((r) => r.status)).toEqual([303, 303]);
      await scorer.get('/scoring/new');
      expect((await send()).status).toBe(303);
      expect((await scorer.get('/scoring/new')).text).toContain('重复提交，只登记了一次');
      expect(await recordCount(`"idempotencyKey" = '${key}'`)).toBe(1);
    });

    it('should change nothing and name the household when the batch reaches a cap for one of them', async () => {
      await apiRecord(households.wang.id, rules.meeting.id);
      const before = await recordCount();
      const form = await scorer.get('/scoring/batch');
      expect(form.status).toBe(200);
      const [first, second] = scene.village.groups;
      expect(form.text.indexOf(`<h2>${first.name}</h2>`)).toBeLessThan(
        form.text.indexOf(`<h2>${second.name}</h2>`),
      );
      const res = await scorer
        .post('/scoring/batch')
        .type('form')
        .send(
          `_csrf=${encodeURIComponent(csrfFrom(form.text))}&ruleId=${rules.meeting.id}&occurredOn=${daysAgo(1)}` +
            `&note=${encodeURIComponent('十一月例会')}&householdIds=${households.zhang.id}&householdIds=${households.wang.id}`,
        );
      expect(res.status).toBe(409);
      expect(res.text).toContain(`${households.wang.code} 王秀英家：此项每户当月最多 1 次`);
      expect(res.text).toMatch(new RegExp(`id="h-${households.zhang.id}"[^>]*checked`));
      expect(res.text).toMatch(
        new RegExp(`id="h-${households.wang.id}"[^>]*checked[^>]*aria-invalid="true"`),
      );
      expect(res.text).not.toMatch(new RegExp(`id="h-${households.li.id}"[^>]*checked`));
      expect(res.text).toContain('十一月例会');
      expect(await recordCount()).toBe(before);
    });

    it('should record a batch for every ticked household', async () => {
      const before = await recordCount();
      const res = await postForm(scorer, '/scoring/batch', '/scoring/batch', {
        ruleId: String(rules.gambling.id),
        occurredOn: daysAgo(3),
        note: '联合检查',
        householdIds: [String(households.zhang.id), String(households.li.id)],
      });
      expect(res.status).toBe(303);
      expect((await scorer.get('/scoring/batch')).text).toContain(
        '已为 2 户登记：FZ-03 参与赌博 −20，待审核',
      );
      expect(await recordCount()).toBe(before + 2);
    });

    it('should approve two ticked records at once and list them as waiting for 公示', async () => {
      const a = await apiRecord(households.zhang.id, rules.volunteer.id);
      const b = await apiRecord(households.li.id, rules.volunteer.id);
      const res = await postForm(reviewer, '/scoring/review', '/scoring/review', {
        recordIds: [String(a.id), String(b.id)],
        decision: 'APPROVE',
      });
      expect(res.status).toBe(303);
      expect([await statusOf(a.id), await statusOf(b.id)]).toEqual(['APPROVED', 'APPROVED']);
      const page = await reviewer.get('/scoring/review');
      expect(page.text).toContain('已通过 2 条记录，等待公示');
      expect(page.text).toContain('href="/publications"');
      expect(page.text).not.toContain(`value="${a.id}" form="review-bulk"`);
    });

    it('should return ticked records with a reason, and ask for the reason when it is missing', async () => {
      const rec = await apiRecord(households.zhang.id, rules.volunteer.id);
      const missing = await postForm(reviewer, '/scoring/review', '/scoring/review', {
        recordIds: String(rec.id),
        decision: 'REJECT',
        reason: '',
      });
      expect(missing.status).toBe(400);
      expect(missing.text).toContain('退回时请填写理由');
      expect(missing.text).toMatch(new RegExp(`value="${rec.id}" form="review-bulk" checked`));
      const res = await postForm(reviewer, '/scoring/review', '/scoring/review', {
        recordIds: String(rec.id),
        decision: 'REJECT',
        reason: '照片看不清',
      });
      expect(res.status).toBe(303);
      expect(await statusOf(rec.id)).toBe('REJECTED');
    });

    it('should approve one range record with points chosen in the range, and refuse points outside it', async () => {
      const [row] = await t.dataSource.query(
        `SELECT id FROM score_record WHERE "ruleId" = ${rules.mediate.id} AND status = 'PENDING'`,
      );
      const id = Number(row.id);
      const queue = await reviewer.get('/scoring/review');
      expect(queue.text).toContain(`<label for="p-${id}">分值（+10～+20）</label>`);
      const wrong = await reviewer
        .post(`/scoring/review/${id}/approve`)
        .type('form')
        .send({ _csrf: csrfFrom(queue.text), points: '25' });
      expect(wrong.status).toBe(400);
      expect(wrong.text).toContain('分值应在 10 到 20 之间');
      expect(wrong.text).toMatch(new RegExp(`id="p-${id}"[^>]*value="25"[^>]*aria-invalid="true"`));
      const ok = await reviewer
        .post(`/scoring/review/${id}/approve`)
        .type('form')
        .send({ _csrf: csrfFrom(queue.text), points: '18' });
      expect(ok.status).toBe(303);
      const [after] = await t.dataSource.query(`SELECT status, points FROM score_record WHERE id = ${id}`);
      expect(after).toMatchObject({ status: 'APPROVED', points: 18 });
    });

    it('should show the recorder who approves an own record the page again with 409 and the message', async () => {
      const res = await sendScoreForm(committee, {
        householdId: households.li.id,
        ruleId: rules.volunteer.id,
      });
      expect(res.status).toBe(303);
      const [row] = await t.dataSource.query(
        `SELECT id FROM score_record WHERE "recordedBy" = ${scene.villageAdmin.id} ORDER BY id DESC`,
      );
      const id = Number(row.id);
      const queue = await committee.get('/scoring/review');
      expect(queue.text).toContain('您登记的记录，须由其他村两委成员审核');
      const refused = await committee
        .post('/scoring/review')
        .type('form')
        .send({ _csrf: csrfFrom(queue.text), recordIds: String(id), decision: 'APPROVE' });
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('登记人不能审核自己登记的记录，请由其他村两委成员审核');
      expect(refused.text).toContain('<h1>审核积分登记</h1>');
      expect(refused.text).toMatch(new RegExp(`value="${id}" form="review-bulk" checked`));
      const single = await committee
        .post(`/scoring/review/${id}/approve`)
        .type('form')
        .send({ _csrf: csrfFrom(queue.text) });
      expect(single.status).toBe(409);
      expect(single.text).toContain('登记人不能审核自己登记的记录');
      expect(await statusOf(id)).toBe('PENDING');
    });

    it('should keep the scoring pages to scorers and the committee', async () => {
      expect((await township.get('/scoring/new')).status).toBe(403);
      expect((await scorer.get('/scoring/review')).status).toBe(403);
      const visitor = await request(t.http).get('/scoring/new');
      expect(visitor.status).toBe(303);
      expect(visitor.headers.location).toBe('/login?next=%2Fscoring%2Fnew');
    });
  });
});

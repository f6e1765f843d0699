import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import request from 'supertest';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, csrfFrom, loggedIn, TEST_PASSWORD } from '../support/factories.js';
import { createScoringScene, createTestHousehold } from '../support/scoring-fixtures.js';

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('名册');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('households in spreadsheets: import, export, opening balances; members', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;
  let villageId: number;
  const count = async () =>
    Number(
      (await t.dataSource.query(`SELECT COUNT(*) AS n FROM household WHERE "villageId" = ${villageId}`))[0].n,
    );
  const upload = (path: string, file: Buffer, name: string, token = committee) =>
    request(t.http).post(`${path}?villageId=${villageId}`).set(auth(token)).attach('file', file, name);

  beforeAll(async () => {
    t = await createTestApp();
    scene = await createScoringScene(t);
    committee = await scene.villageAdmin.token();
    villageId = scene.village.id;
  });
  afterAll(() => t.close());

  it('should import a GBK CSV as Excel saves it in China, with codes generated and groups matched by name', async () => {
    const csv = iconv.encode(
      `户主姓名,村民小组,家庭人口,联系电话\r\n赵铁柱,第一组,4,13900001111\r\n钱翠花,,2,\r\n`,
      'gbk',
    );
    const res = await upload('/api/v1/households/import', csv, '名册.csv');
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(2);
    expect(res.body.households.map((h: { headName: string }) => h.headName)).toEqual(['赵铁柱', '钱翠花']);
    const [zhao] = await t.dataSource.query(
      `SELECT "groupId", phone, "memberCount", "pinHash" FROM household WHERE "headName" = '赵铁柱'`,
    );
    expect(zhao).toEqual({
      groupId: scene.village.groups[0].id,
      phone: '13900001111',
      memberCount: 4,
      pinHash: null,
    });
  });

  it('should import an .xlsx and a UTF-8 CSV with a BOM', async () => {
    const before = await count();
    const book = await xlsx([
      ['户主姓名', '村民小组', '家庭人口', '联系电话'],
      ['孙大圣', '第二组', 5, '13700001111'],
    ]);
    expect((await upload('/api/v1/households/import', book, '名册.xlsx')).status).toBe(201);
    const bom = Buffer.from('\uFEFF户主姓名,家庭人口\n周八戒,3\n', 'utf8');
    expect((await upload('/api/v1/households/import', bom, 'bom.csv')).status).toBe(201);
    expect(await count()).toBe(before + 2);
  });

  it('should import nothing from a file with bad rows and name each row that is wrong', async () => {
    const before = await count();
    const csv = Buffer.from(
      '户主姓名,村民小组,家庭人口,联系电话\n好人,第一组,3,\n,第一组,2,\n坏组,不存在组,2,\n零口,第二组,0,\n电话,第一组,2,abc\n',
      'utf8',
    );
    const res = await upload('/api/v1/households/import', csv, 'bad.csv');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.rows).toEqual([
      '第 3 行：户主姓名没有填',
      '第 4 行：本村没有“不存在组”这个村民小组',
      '第 5 行：家庭人口应为 1–99 的整数',
      '第 6 行：联系电话应为 5–20 位数字',
    ]);
    expect(await count()).toBe(before);
    const noHeader = await upload('/api/v1/households/import', Buffer.from('姓名,人口\n李,2\n'), 'x.csv');
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.error.details.file).toContain('缺少列');
    const garbage = await upload(
      '/api/v1/households/import',
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]),
      'x.xlsx',
    );
    expect(garbage.status).toBe(400);
    const big = await upload('/api/v1/households/import', Buffer.alloc(6 * 1024 * 1024, 0x41), 'big.csv');
    expect(big.status).toBe(400);
    expect(big.body.error.details.file).toBe('文件不能超过 5 MB');
    expect(await count()).toBe(before);
    expect(
      (
        await upload(
          '/api/v1/households/import',
          Buffer.from('户主姓名,家庭人口\n甲,1\n'),
          'x.csv',
          await scene.scorer.token(),
        )
      ).status,
    ).toBe(403);
  });

  it('should export the register as CSV and .xlsx that read back with the same rows', async () => {
    const csv = await request(t.http)
      .get(`/api/v1/households/export.csv?villageId=${villageId}`)
      .set(auth(committee))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(csv.status).toBe(200);
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.startsWith('\uFEFF户号,户主姓名,村民小组,家庭人口,联系电话,可用积分,累计积分,状态')).toBe(
      true,
    );
    expect(text).toContain('赵铁柱,第一组,4,13900001111,0,0,在册');
    expect(text.trim().split('\r\n')).toHaveLength((await count()) + 1);
    const file = await request(t.http)
      .get(`/api/v1/households/export.xlsx?villageId=${villageId}`)
      .set(auth(committee))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(file.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.body as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe('户号');
    expect(sheet.rowCount).toBe((await count()) + 1);
    expect(
      (
        await request(t.http)
          .get(`/api/v1/households/export.csv?villageId=${scene.neighbour.id}`)
          .set(auth(committee))
      ).status,
    ).toBe(403);
  });

  it('should take opening balances as records for review, within the township cap, once, all rows or none', async () => {
    const a = await createTestHousehold(t, committee, villageId);
    const b = await createTestHousehold(t, committee, villageId);
    const cap = await request(t.http)
      .put(`/api/v1/townships/${scene.township.id}/opening-cap`)
      .set(auth(await scene.townshipUser.token()))
      .send({ openingCap: 300 });
    expect(cap.status).toBe(200);
    const bad = await upload(
      '/api/v1/households/opening',
      Buffer.from(`户号,期初积分\n${a.code},120\n${b.code},-5\nXX-9999,10\n`),
      'o.csv',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.rows).toEqual([
      '第 3 行：期初积分应为 1 到 300 之间的整数（乡镇设定的上限）',
      '第 4 行：本村没有户号“XX-9999”',
    ]);
    const ok = await upload(
      '/api/v1/households/opening',
      Buffer.from(`户号,期初积分\n${a.code},120\n${b.code},1\n`),
      'o.csv',
    );
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ entries: 2, total: 121 });
    // Waiting for review: nothing in the passbook yet.
    expect(await t.dataSource.query(`SELECT available, earned FROM household WHERE id = ${a.id}`)).toEqual([
      { available: 0, earned: 0 },
    ]);
    const records = await t.dataSource.query(
      `SELECT status, points FROM score_record WHERE "householdId" = ${a.id}`,
    );
    expect(records).toEqual([{ status: 'PENDING', points: 120 }]);
    const again = await upload(
      '/api/v1/households/opening',
      Buffer.from(`户号,期初积分\n${a.code},50\n`),
      'o.csv',
    );
    expect(again.status).toBe(400);
    expect(again.body.error.details.rows[0]).toContain('已经有期初积分');
    expect((await t.app.get(LedgerService).verify([villageId])).ok).toBe(true);
  });

  it('should import from the page and bring the row errors back on the page', async () => {
    const agent = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    const form = await agent.get('/households/import');
    expect(form.status).toBe(200);
    const token = encodeURIComponent(csrfFrom(form.text));
    const bad = await agent
      .post(`/households/import?_csrf=${token}`)
      .attach('file', Buffer.from('户主姓名,家庭人口\n,3\n'), 'x.csv');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('第 2 行：户主姓名没有填');
    const empty = await agent.post(`/households/import?_csrf=${token}`).field('x', '1');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('请选择要上传的文件');
    const ok = await agent
      .post(`/households/import?_csrf=${token}`)
      .attach('file', Buffer.from('户主姓名,家庭人口\n页面导入户,3\n'), 'x.csv');
    expect(ok.status).toBe(303);
    expect((await agent.get('/households?q=页面导入户')).text).toContain('页面导入户');
    const noToken = await agent
      .post('/households/import')
      .attach('file', Buffer.from('户主姓名,家庭人口\n偷偷,3\n'), 'x.csv');
    expect(noToken.status).toBe(403);
  });

  it('should keep members on the household page: add, list, remove, with audit and scope', async () => {
    const h = await createTestHousehold(t, committee, villageId, { headName: '有成员' });
    const added = await request(t.http)
      .post(`/api/v1/households/${h.id}/members`)
      .set(auth(committee))
      .send({ name: '李小花', relation: '子女', partyMember: true });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: '李小花', relation: '子女', partyMember: true });
    const bad = await request(t.http)
      .post(`/api/v1/households/${h.id}/members`)
      .set(auth(committee))
      .send({ name: '', relation: '表哥' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual({ name: '请填写姓名', relation: '请选择与户主的关系' });
    const list = await request(t.http)
      .get(`/api/v1/households/${h.id}/members`)
      .set(auth(await scene.clerk.token()));
    expect(list.body.items.map((m: { name: string }) => m.name)).toEqual(['李小花']);
    const foreign = await request(t.http)
      .post(`/api/v1/households/${h.id}/members`)
      .set(auth(await scene.neighbourAdmin.token()))
      .send({ name: '外人', relation: '其他' });
    expect(foreign.status).toBe(403);
    const agent = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    const page = await agent.get(`/households/${h.id}`);
    expect(page.text).toContain('李小花');
    const viaPage = await agent
      .post(`/households/${h.id}/members`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), memberName: '李大宝', relation: '孙辈' });
    expect(viaPage.status).toBe(303);
    const removed = await request(t.http)
      .delete(`/api/v1/households/${h.id}/members/${added.body.id}`)
      .set(auth(committee));
    expect(removed.status).toBe(200);
    const names = (
      await request(t.http).get(`/api/v1/households/${h.id}/members`).set(auth(committee))
    ).body.items.map((m: { name: string }) => m.name);
    expect(names).toEqual(['李大宝']);
    const audit = await t.dataSource.query(
      `SELECT action FROM audit_log WHERE "entityType" = 'household' AND "entityId" = ${h.id} ORDER BY id`,
    );
    expect(audit.map((r: { action: string }) => r.action)).toEqual([
      'household.create',
      'member.add',
      'member.add',
      'member.remove',
    ]);
  });
});

import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { AuditLog } from '../../src/audit/audit-log.entity.js';
import { verifySecret } from '../../src/auth/password.js';
import { todayInChina } from '../../src/common/dates.js';
import { projectRoot } from '../../src/common/paths.js';
import { Household } from '../../src/households/household.entity.js';
import { parseCsv } from '../../src/households/spreadsheet.js';
import { LedgerEntry } from '../../src/ledger/ledger-entry.entity.js';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { Village } from '../../src/villages/village.entity.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import {
  auth,
  createTestCounty,
  createTestUser,
  csrfFrom,
  loggedIn,
  TEST_PASSWORD,
} from '../support/factories.js';

type County = Awaited<ReturnType<typeof createTestCounty>>;
interface Imported {
  id: number;
  code: string;
  headName: string;
  canLogIn: boolean;
  pin?: string;
}

const fixture = (name: string) => readFileSync(`${projectRoot()}/test/fixtures/${name}`);

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('农户名册');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** supertest buffers text answers only: this keeps the bytes of a download. */
const bytes = (res: request.Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('household spreadsheets (农户名册导入、导出、期初积分)', () => {
  let t: TestApp;
  let county: County;
  let committee: string;
  let villageId: number;

  const households = () => t.dataSource.getRepository(Household);
  const count = (village = villageId) => households().countBy({ villageId: village });
  const upload = (path: string, file: Buffer, name: string, token = committee, village = villageId) =>
    request(t.http).post(`${path}?villageId=${village}`).set(auth(token)).attach('file', file, name);
  const importFile = (file: Buffer, name = 'households.csv', token = committee) =>
    upload('/api/v1/households/import', file, name, token);
  const openingFile = (file: Buffer, name = 'opening.csv') =>
    upload('/api/v1/households/opening', file, name);
  const villagerLogin = (householdCode: string, pin: string) =>
    request(t.http).post('/api/v1/auth/villager-login').send({ householdCode, pin });

  beforeAll(async () => {
    t = await createTestApp();
    county = await createTestCounty(t);
    committee = await county.villageAdmin.token();
    villageId = county.village.id;
  });
  afterAll(() => t.close());

  describe('import', () => {
    it('should import a GBK CSV as Excel saves it in China, with codes in order and groups matched by name', async () => {
      const res = await importFile(fixture('households-gbk.csv'));
      expect(res.status).toBe(201);
      const code = (n: number) => `${county.village.code}-000${n}`;
      expect(res.body).toEqual({
        created: 3,
        households: [
          { id: expect.any(Number), code: code(1), headName: '赵铁柱', canLogIn: false },
          { id: expect.any(Number), code: code(2), headName: '钱翠花', canLogIn: false },
          { id: expect.any(Number), code: code(3), headName: '孙淑珍, 大院', canLogIn: false },
        ],
      });
      const stored = await households().find({ where: { villageId }, order: { code: 'ASC' } });
      expect(
        stored.map((h) => [h.code, h.headName, h.groupId, h.memberCount, h.phone, h.pinHash, h.available]),
      ).toEqual([
        [code(1), '赵铁柱', county.village.groups[0].id, 4, '13900001111', null, 0],
        [code(2), '钱翠花', null, 2, null, null, 0],
        [code(3), '孙淑珍, 大院', county.village.groups[1].id, 5, '0571-88886666', null, 0],
      ]);
    });

    it('should import a UTF-8 CSV with a BOM and an .xlsx alike', async () => {
      const before = await count();
      const bom = Buffer.from('\uFEFF户主姓名,村民小组,家庭人口,联系电话\r\n周春梅,第二组,3,\r\n', 'utf8');
      const fromBom = await importFile(bom, 'bom.csv');
      expect(fromBom.status).toBe(201);
      expect(fromBom.body.households[0].headName).toBe('周春梅');
      const book = await xlsx([
        ['户主姓名', '村民小组', '家庭人口', '联系电话'],
        ['吴建国', '第一组', 6, '13700002222'],
        ['郑桂兰', '', 1, ''],
      ]);
      const fromXlsx = await importFile(book, 'households.xlsx');
      expect(fromXlsx.status).toBe(201);
      expect(fromXlsx.body.created).toBe(2);
      expect(await households().findOneByOrFail({ headName: '吴建国' })).toMatchObject({
        groupId: county.village.groups[0].id,
        memberCount: 6,
        phone: '13700002222',
      });
      expect(await count()).toBe(before + 3);
    });

    it('should set the PINs typed in the PIN column and make up six digits for empty cells, returned only once', async () => {
      const res = await importFile(
        Buffer.from('户主姓名,家庭人口,密码（PIN）\n冯有田,3,246810\n陈小满,2,\n', 'utf8'),
      );
      expect(res.status).toBe(201);
      const [typed, made] = res.body.households as Imported[];
      expect([typed.canLogIn, made.canLogIn]).toEqual([true, true]);
      expect(typed.pin).toBeUndefined();
      expect(made.pin).toMatch(/^\d{6}$/);
      expect((await villagerLogin(typed.code, '246810')).status).toBe(200);
      expect((await villagerLogin(made.code, made.pin as string)).status).toBe(200);
      const stored = await households().findOneByOrFail({ id: made.id });
      expect(stored.pinHash).not.toContain(made.pin);
      expect(await verifySecret(made.pin as string, stored.pinHash)).toBe(true);
      const [audit] = await t.dataSource
        .getRepository(AuditLog)
        .find({ where: { action: 'household.import', villageId }, order: { id: 'DESC' }, take: 1 });
      expect(JSON.parse(audit.details as string)).toEqual({
        count: 2,
        first: typed.code,
        last: made.code,
        pins: 2,
        generatedPins: 1,
        file: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(audit.details).not.toContain('246810');
      expect(audit.details).not.toContain(made.pin);
    });

    it('should refuse a file that asks for more PINs than one import hashes, before hashing any', async () => {
      const before = await count();
      const lines = ['户主姓名,家庭人口,密码(PIN)'];
      for (let i = 1; i <= 501; i++) lines.push(`多密码户${i},2,`);
      const res = await importFile(Buffer.from(lines.join('\n')));
      expect(res.status).toBe(400);
      expect(res.body.error.details.file).toBe(
        '一次最多为 500 户设置密码(PIN)，这个文件有 501 户。请分批导入，或删去“密码(PIN)”列，导入后在各户页面设置密码',
      );
      expect(await count()).toBe(before);
    });

    it('should import nothing and list each wrong row by its number when any row is wrong', async () => {
      const before = await count();
      const { householdSeq } = await t.dataSource.getRepository(Village).findOneByOrFail({ id: villageId });
      const csv = Buffer.from(
        [
          '户主姓名,村民小组,家庭人口,联系电话,密码(PIN)',
          '好人家,第一组,3,,',
          ',第一组,2,,',
          '错组家,第九组,2,,',
          '零口家,第二组,0,,',
          '短密码,第二组,2,,12',
        ].join('\n'),
        'utf8',
      );
      const res = await importFile(csv);
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({
        code: 'VALIDATION_FAILED',
        message: '文件中有 4 行有错误，没有导入任何一行，请改正后重新上传',
        details: {
          rows: [
            '第 3 行：户主姓名没有填',
            '第 4 行：本村没有“第九组”这个村民小组',
            '第 5 行：家庭人口应为 1–99 的整数',
            '第 6 行：密码(PIN)应为 4–8 位数字',
          ],
        },
      });
      expect(await count()).toBe(before);
      const village = await t.dataSource.getRepository(Village).findOneByOrFail({ id: villageId });
      expect(village.householdSeq).toBe(householdSeq);
    });

    it('should refuse a file over 5 MB, an old .xls, a picture or a sheet without the columns, with a message and nothing imported', async () => {
      const before = await count();
      const refusals = [
        [Buffer.alloc(5 * 1024 * 1024 + 1, 0x41), 'big.csv', '文件不能超过 5 MB'],
        [Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), 'old.xls', '.xlsx'],
        [
          Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
          'photo.png',
          '无法识别',
        ],
        [Buffer.from('姓名,人口\n李,2\n'), 'other.csv', '缺少列：户主姓名、家庭人口'],
        [Buffer.from('户主姓名,家庭人口\n'), 'empty.csv', '没有农户'],
      ] as const;
      for (const [file, name, message] of refusals) {
        const res = await importFile(file, name);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
        expect(res.body.error.details.file).toContain(message);
      }
      const none = await request(t.http)
        .post(`/api/v1/households/import?villageId=${villageId}`)
        .set(auth(committee))
        .send({});
      expect(none.status).toBe(400);
      expect(none.body.error.details.file).toContain('请选择要上传的文件');
      expect(await count()).toBe(before);
    });

    it('should keep the import to the committee of the village', async () => {
      const file = Buffer.from('户主姓名,家庭人口\n外人,1\n');
      const before = await count();
      expect((await importFile(file, 'x.csv', await county.scorer.token())).status).toBe(403);
      expect((await importFile(file, 'x.csv', await county.neighbourAdmin.token())).status).toBe(403);
      const noVillage = await request(t.http)
        .post('/api/v1/households/import')
        .set(auth(committee))
        .attach('file', file, 'x.csv');
      expect(noVillage.status).toBe(400);
      expect(noVillage.body.error.details.villageId).toBe('请选择村');
      expect(await count()).toBe(before);
    });

    it('should import 10,000 households in one transaction well within 10 seconds', async () => {
      const lines = ['户主姓名,村民小组,家庭人口,联系电话'];
      for (let i = 1; i <= 10_000; i++)
        lines.push(`户主${i},第一组,${(i % 6) + 1},1390000${String(i).padStart(4, '0')}`);
      const neighbour = county.neighbour;
      const started = Date.now();
      const res = await upload(
        '/api/v1/households/import',
        Buffer.from(lines.join('\n')),
        'big.csv',
        await county.neighbourAdmin.token(),
        neighbour.id,
      );
      const seconds = (Date.now() - started) / 1000;
      expect(res.status).toBe(201);
      expect(res.body.created).toBe(10_000);
      expect(res.body.households[9_999]).toMatchObject({
        code: `${neighbour.code}-10000`,
        headName: '户主10000',
      });
      expect(await count(neighbour.id)).toBe(10_000);
      expect(seconds).toBeLessThan(10);
    }, 60_000);
  });

  describe('once only, and rows like a household the village has (重复导入)', () => {
    const audits = () =>
      t.dataSource.getRepository(AuditLog).countBy({ action: 'household.import', villageId });

    it('should create nothing and answer with the first import when the same file is uploaded again', async () => {
      const file = Buffer.from(
        '户主姓名,村民小组,家庭人口,联系电话\n重传甲,第一组,3,13811112222\n重传乙,,2,\n',
      );
      const first = await importFile(file);
      expect(first.status).toBe(201);
      const before = await count();
      const auditsBefore = await audits();
      for (let i = 0; i < 2; i++) {
        const again = await importFile(file);
        expect(again.status).toBe(200);
        expect(again.body).toMatchObject({ created: 0, alreadyImported: true });
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect(again.body.households).toEqual(first.body.households);
      }
      expect(await count()).toBe(before);
      expect(await audits()).toBe(auditsBefore);
    });

    it('should create the households once when the same file is sent twice at the same moment', async () => {
      const file = Buffer.from('户主姓名,家庭人口\n并发甲,3\n并发乙,2\n');
      const before = await count();
      const answers = await Promise.all([importFile(file), importFile(file)]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
      expect(await count()).toBe(before + 2);
    });

    it('should name the rows like a household of the village and import nothing, then skip or add them as chosen', async () => {
      const before = await count();
      const file = (extra: string) =>
        Buffer.from(
          `户主姓名,村民小组,家庭人口,联系电话\n新来户${extra},第二组,2,\n重传甲,第一组,4,13811112222\n`,
        );
      const refused = await importFile(file('甲'));
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('DUPLICATE');
      expect(refused.body.error.message).toContain('文件中有 1 行与已有的农户相同');
      expect(refused.body.error.details.rows).toEqual([
        expect.stringMatching(/^第 3 行：重传甲（第一组，13811112222）与本村已有农户 [A-Z0-9]+-\d+ 相同$/),
      ]);
      expect(await count()).toBe(before);

      const skipped = await upload('/api/v1/households/import', file('甲'), 'x.csv').query({
        duplicates: 'skip',
      });
      expect(skipped.status).toBe(201);
      expect(skipped.body).toMatchObject({ created: 1, skipped: 1 });
      expect(skipped.body.households[0].headName).toBe('新来户甲');
      const added = await upload('/api/v1/households/import', file('乙'), 'x.csv').query({
        duplicates: 'add',
      });
      expect(added.status).toBe(201);
      expect(added.body.created).toBe(2);
      expect(await count()).toBe(before + 3);
      const bad = await upload('/api/v1/households/import', file('丙'), 'x.csv').query({
        duplicates: 'maybe',
      });
      expect(bad.status).toBe(400);
    });

    it('should not create the households again when the result page with the PINs is reloaded', async () => {
      const agent = await loggedIn(t, county.villageAdmin.username, TEST_PASSWORD);
      const form = await agent.get('/households/import');
      expect(form.text).toContain('name="duplicates" value="skip"');
      const action = `/households/import?_csrf=${encodeURIComponent(csrfFrom(form.text))}`;
      const file = Buffer.from('户主姓名,家庭人口,密码(PIN)\n刷新户,2,\n');
      const before = await count();
      const first = await agent.post(action).attach('file', file, 'x.csv');
      expect(first.status).toBe(201);
      const reload = await agent.post(action).attach('file', file, 'x.csv');
      expect(reload.status).toBe(303);
      expect((await agent.get('/households')).text).toContain('这次没有重复导入');
      expect(await count()).toBe(before + 1);

      const twin = Buffer.from('户主姓名,家庭人口\n刷新户,2\n');
      const refused = await agent.post(action).attach('file', twin, 'y.csv');
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('第 2 行：刷新户（没有小组和电话）与本村已有农户');
      const added = await agent.post(action).field('duplicates', 'add').attach('file', twin, 'y.csv');
      expect(added.status).toBe(303);
      expect(await count()).toBe(before + 2);
    });
  });

  describe('hostile spreadsheets (超大表格)', () => {
    /** A zip of stored files, as an .xlsx is: enough to hand-write a sheet that exceljs could not write. */
    function zip(files: Record<string, string>): Buffer {
      const locals: Buffer[] = [];
      const centrals: Buffer[] = [];
      let offset = 0;
      for (const [name, text] of Object.entries(files)) {
        const data = Buffer.from(text, 'utf8');
        const path = Buffer.from(name, 'utf8');
        const crc = crc32(data);
        const local = Buffer.alloc(30);
        local.writeUInt32LE(0x04034b50, 0);
        local.writeUInt16LE(20, 4);
        local.writeUInt32LE(crc, 14);
        local.writeUInt32LE(data.length, 18);
        local.writeUInt32LE(data.length, 22);
        local.writeUInt16LE(path.length, 26);
        const central = Buffer.alloc(46);
        central.writeUInt32LE(0x02014b50, 0);
        central.writeUInt16LE(20, 4);
        central.writeUInt16LE(20, 6);
        central.writeUInt32LE(crc, 16);
        central.writeUInt32LE(data.length, 20);
        central.writeUInt32LE(data.length, 24);
        central.writeUInt16LE(path.length, 28);
        central.writeUInt32LE(offset, 42);
        locals.push(local, path, data);
        centrals.push(central, path);
        offset += local.length + path.length + data.length;
      }
      const directory = Buffer.concat(centrals);
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0);
      end.writeUInt16LE(Object.keys(files).length, 8);
      end.writeUInt16LE(Object.keys(files).length, 10);
      end.writeUInt32LE(directory.length, 12);
      end.writeUInt32LE(offset, 16);
      return Buffer.concat([...locals, directory, end]);
    }

    const workbook = (sheet: string) =>
      zip({
        '[Content_Types].xml':
          '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        '_rels/.rels':
          '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        'xl/workbook.xml':
          '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="农户" sheetId="1" r:id="rId1"/></sheets></workbook>',
        'xl/_rels/workbook.xml.rels':
          '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        'xl/worksheets/sheet1.xml': `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${sheet}</worksheet>`,
      });

    /** The upload, and how long the login page took to answer while it ran. */
    async function uploadWhileBrowsing(file: Buffer) {
      const started = Date.now();
      const upload = importFile(file, 'hostile.xlsx').then((res) => ({ res, ms: Date.now() - started }));
      await new Promise((resolve) => setTimeout(resolve, 20));
      const pageStarted = Date.now();
      const page = await request(t.http).get('/login');
      const pageMs = Date.now() - pageStarted;
      const { res, ms } = await upload;
      return { res, ms, page, pageMs };
    }

    it('should refuse with 400 within seconds an .xlsx with a cell in the last column, answering other requests meanwhile', async () => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('农户名册');
      sheet.addRow(['户主姓名', '家庭人口']);
      for (let i = 0; i < 300; i++) sheet.addRow([`大表户${i}`, 2]);
      sheet.getCell('XFD1').value = 'x';
      const file = Buffer.from(await book.xlsx.writeBuffer());
      expect(file.length).toBeLessThan(20_000);
      const before = await count();
      const { res, ms, page, pageMs } = await uploadWhileBrowsing(file);
      expect(res.status).toBe(400);
      expect(res.body.error.details.file).toMatch(/^表格超出范围：第一个工作表用到了 XFD\d+ 单元格/);
      expect(ms).toBeLessThan(3_000);
      expect(page.status).toBe(200);
      expect(pageMs).toBeLessThan(1_000);
      expect(await count()).toBe(before);
    });

    it('should refuse a sheet whose declared size or last row is beyond the limits, naming it', async () => {
      const declared = workbook(
        '<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>户主姓名</t></is></c></row></sheetData>',
      );
      const far = workbook(
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>户主姓名</t></is></c></row><row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>',
      );
      for (const [file, cell] of [
        [declared, 'XFD1048576'],
        [far, 'A1048576'],
      ] as const) {
        const { res, ms, pageMs } = await uploadWhileBrowsing(file);
        expect(res.status).toBe(400);
        expect(res.body.error.details.file).toContain(`用到了 ${cell} 单元格`);
        expect(ms).toBeLessThan(3_000);
        expect(pageMs).toBeLessThan(1_000);
      }
    });

    it('should read a hand-written sheet with a data validation over the whole sheet, quickly', async () => {
      const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
      const file = workbook(
        `<dimension ref="A1:C2"/><sheetData><row r="1">${cell('A1', '户主姓名')}${cell('B1', '村民小组')}${cell('C1', '家庭人口')}</row>` +
          `<row r="2">${cell('A2', '有效性户')}${cell('B2', '第一组')}<c r="C2"><v>3</v></c></row></sheetData>` +
          '<dataValidations count="1"><dataValidation type="list" allowBlank="1" sqref="A1:XFD1048576"><formula1>"第一组,第二组"</formula1></dataValidation></dataValidations>',
      );
      const { res, ms } = await uploadWhileBrowsing(file);
      expect(res.status).toBe(201);
      expect(res.body.households[0].headName).toBe('有效性户');
      expect(ms).toBeLessThan(3_000);
      expect(await households().findOneByOrFail({ headName: '有效性户' })).toMatchObject({
        groupId: county.village.groups[0].id,
        memberCount: 3,
      });
    });
  });

  describe('export', () => {
    it('should export CSV in UTF-8 with a BOM that reads back with the same rows, and no PIN', async () => {
      const res = await request(t.http)
        .get(`/api/v1/households/export.csv?villageId=${villageId}`)
        .set(auth(committee))
        .buffer(true)
        .parse(bytes);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/csv');
      const file = res.body as Buffer;
      expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = parseCsv(file.toString('utf8').replace(/^\uFEFF/, '')).filter((r) => r.join('') !== '');
      expect(rows[0]).toEqual([
        '户号',
        '户主姓名',
        '村民小组',
        '家庭人口',
        '联系电话',
        '可用积分',
        '累计积分',
        '状态',
      ]);
      expect(rows).toHaveLength((await count()) + 1);
      expect(rows).toContainEqual([
        `${county.village.code}-0001`,
        '赵铁柱',
        '第一组',
        '4',
        '13900001111',
        '0',
        '0',
        '在册',
      ]);
      expect(rows).toContainEqual([
        `${county.village.code}-0003`,
        '孙淑珍, 大院',
        '第二组',
        '5',
        '0571-88886666',
        '0',
        '0',
        '在册',
      ]);
      expect(file.toString('utf8')).not.toContain('246810');
    });

    it('should export an .xlsx that opens with the same rows, from the API and from the page', async () => {
      const res = await request(t.http)
        .get(`/api/v1/households/export.xlsx?villageId=${villageId}`)
        .set(auth(committee))
        .buffer(true)
        .parse(bytes);
      expect(res.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.body as ArrayBuffer);
      const sheet = book.worksheets[0];
      const rows: unknown[][] = [];
      sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      expect(rows[0]).toEqual([
        '户号',
        '户主姓名',
        '村民小组',
        '家庭人口',
        '联系电话',
        '可用积分',
        '累计积分',
        '状态',
      ]);
      expect(rows).toHaveLength((await count()) + 1);
      expect(rows).toContainEqual([
        `${county.village.code}-0001`,
        '赵铁柱',
        '第一组',
        4,
        '13900001111',
        0,
        0,
        '在册',
      ]);

      const agent = await loggedIn(t, county.clerk.username, TEST_PASSWORD);
      const list = await agent.get('/households');
      expect(list.text).toContain(`/households/export.csv?villageId=${villageId}`);
      expect(list.text).toContain(`/households/export.xlsx?villageId=${villageId}`);
      const page = await agent
        .get(`/households/export.xlsx?villageId=${villageId}`)
        .buffer(true)
        .parse(bytes);
      expect(page.status).toBe(200);
      expect(page.headers['content-disposition']).toContain('households.xlsx');
    });

    it('should not export another village', async () => {
      const res = await request(t.http)
        .get(`/api/v1/households/export.csv?villageId=${county.neighbour.id}`)
        .set(auth(committee));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    });
  });

  describe('opening balances (期初积分)', () => {
    let opened: Imported[];
    let reviewer: string;
    const entriesOf = (householdId: number) =>
      t.dataSource.getRepository(LedgerEntry).find({ where: { householdId }, order: { id: 'ASC' } });
    const setCap = async (openingCap: number) =>
      request(t.http)
        .put(`/api/v1/townships/${county.township.id}/opening-cap`)
        .set(auth(await county.townshipUser.token()))
        .send({ openingCap });
    const recordsOf = (
      ids: number[],
    ): Promise<{ id: number; householdId: number; points: number; status: string }[]> =>
      t.dataSource.query(
        `SELECT id, "householdId", points, status FROM score_record WHERE id IN (${ids.join(',')}) ORDER BY id`,
      );

    beforeAll(async () => {
      const res = await importFile(
        Buffer.from('户主姓名,家庭人口\n开户甲,3\n开户乙,2\n开户丙,4\n开户丁,1\n开户戊,2\n'),
      );
      opened = res.body.households;
      const second = await createTestUser(t, { role: 'VILLAGE_ADMIN', villageId });
      reviewer = await second.token();
    });

    it('should refuse opening balances until the township has set its cap', async () => {
      const res = await openingFile(Buffer.from(`户号,期初积分\n${opened[0].code},100\n`));
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('乡镇还没有设定期初积分上限');
      expect(await entriesOf(opened[0].id)).toEqual([]);
    });

    it('should let only the township (or the admin) set the cap of its villages', async () => {
      const committeeTry = await request(t.http)
        .put(`/api/v1/townships/${county.township.id}/opening-cap`)
        .set(auth(committee))
        .send({ openingCap: 9_999_999 });
      expect(committeeTry.status).toBe(403);
      const ok = await setCap(200);
      expect(ok.status).toBe(200);
      expect(ok.body.openingCap).toBe(200);
    });

    it('should change nothing and list each wrong row when any row is wrong, 9999999 included', async () => {
      const [a, b, c] = opened;
      const res = await openingFile(
        Buffer.from(
          `户号,期初积分\n${a.code},120\n${b.code},-5\nXX-9999,10\n${c.code},1.5\n${a.code},30\n,8\n${opened[3].code},9999999\n`,
        ),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      const range = '期初积分应为 1 到 200 之间的整数（乡镇设定的上限）';
      expect(res.body.error.details.rows).toEqual([
        `第 3 行：${range}`,
        '第 4 行：本村没有户号“XX-9999”',
        `第 5 行：${range}`,
        `第 6 行：${a.code} 在文件里出现了两次`,
        '第 7 行：户号没有填',
        `第 8 行：${range}`,
      ]);
      const blank = await openingFile(Buffer.from('户号,期初积分\n,5\n'));
      expect(blank.status).toBe(400);
      expect(blank.body.error.details.rows).toEqual(['第 2 行：户号没有填']);
      for (const h of opened) expect(await entriesOf(h.id)).toEqual([]);
      expect((await households().findOneByOrFail({ id: a.id })).available).toBe(0);
    });

    it('should post nothing at upload: each row waits for another member’s review and 公示, then posts as OPENING', async () => {
      const [a, b, c] = opened;
      const book = await xlsx([
        ['户号', '期初积分'],
        [a.code, 120],
        [b.code, 1],
        [c.code, 35],
      ]);
      const res = await openingFile(book, 'opening.xlsx');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ entries: 3, total: 156 });
      const ids = res.body.recordIds as number[];
      expect((await recordsOf(ids)).map((r) => [r.householdId, r.points, r.status])).toEqual([
        [a.id, 120, 'PENDING'],
        [b.id, 1, 'PENDING'],
        [c.id, 35, 'PENDING'],
      ]);
      for (const h of [a, b, c]) {
        expect(await entriesOf(h.id)).toEqual([]);
        expect((await households().findOneByOrFail({ id: h.id })).available).toBe(0);
      }
      // The member who uploaded cannot approve; another can, then the village publishes and posts.
      const own = await request(t.http)
        .post(`/api/v1/score-records/${ids[0]}/approve`)
        .set(auth(committee))
        .send({});
      expect(own.status).toBe(409);
      expect(own.body.error.code).toBe('SAME_PERSON');
      const approved = await request(t.http)
        .post('/api/v1/score-records/review')
        .set(auth(reviewer))
        .send({ recordIds: ids, decision: 'APPROVE' });
      expect(approved.status).toBeLessThan(300);
      const pub = await request(t.http)
        .post('/api/v1/publications')
        .set(auth(committee))
        .send({ villageId, days: 1 });
      expect(pub.status).toBe(201);
      expect(pub.body.recordIds).toEqual(ids);
      for (const h of [a, b, c]) expect(await entriesOf(h.id)).toEqual([]);
      await t.dataSource.query(`UPDATE publication SET "endsOn" = '2000-01-01' WHERE id = ${pub.body.id}`);
      const closed = await request(t.http)
        .post(`/api/v1/publications/${pub.body.id}/close`)
        .set(auth(committee));
      expect(closed.status).toBe(200);
      for (const [h, amount] of [
        [a, 120],
        [b, 1],
        [c, 35],
      ] as const) {
        expect(await households().findOneByOrFail({ id: h.id })).toMatchObject({
          available: amount,
          earned: amount,
        });
        const entries = await entriesOf(h.id);
        expect(entries).toHaveLength(1);
        expect(entries[0]).toMatchObject({
          kind: 'OPENING',
          amount,
          description: '期初积分（纸质台账结转）',
          refType: 'score_record',
        });
      }
      const report = await t.app.get(LedgerService).verify([villageId]);
      expect(report.ok).toBe(true);
      const audit = await t.dataSource
        .getRepository(AuditLog)
        .findOneByOrFail({ action: 'household.opening_import', villageId });
      expect(JSON.parse(audit.details as string)).toEqual({ entries: 3, total: 156, recordIds: ids });
    });

    it('should refuse a second opening, and an opening for a household that already has points', async () => {
      const [a, b, , d, e] = opened;
      // e earns points the normal way first (recorded, approved, published, posted).
      const rule = await request(t.http)
        .post('/api/v1/rules')
        .set(auth(committee))
        .send({ villageId, code: 'KH-01', category: '德治', title: '志愿服务', points: 5 });
      const rec = await request(t.http)
        .post('/api/v1/score-records')
        .set(auth(await county.scorer.token()))
        .send({ householdId: e.id, ruleId: rule.body.id, occurredOn: todayInChina() });
      await request(t.http).post(`/api/v1/score-records/${rec.body.id}/approve`).set(auth(reviewer)).send({});
      const pub = await request(t.http)
        .post('/api/v1/publications')
        .set(auth(committee))
        .send({ villageId, days: 1 });
      await t.dataSource.query(`UPDATE publication SET "endsOn" = '2000-01-01' WHERE id = ${pub.body.id}`);
      await request(t.http).post(`/api/v1/publications/${pub.body.id}/close`).set(auth(committee));
      expect(await entriesOf(e.id)).toHaveLength(1);

      const res = await openingFile(
        Buffer.from(`户号,期初积分\n${d.code},10\n${a.code},50\n${b.code},7\n${e.code},100\n`),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.details.rows).toEqual([
        `第 3 行：${a.code} 已经有期初积分，不能重复结转`,
        `第 4 行：${b.code} 已经有期初积分，不能重复结转`,
        `第 5 行：${e.code} 的存折已有明细，期初积分只用于刚加入、还没有积分的农户`,
      ]);
      expect(await entriesOf(d.id)).toEqual([]);
      const pending: unknown[] = await t.dataSource.query(
        `SELECT id FROM score_record WHERE "householdId" = ${d.id}`,
      );
      expect(pending).toEqual([]);
      expect((await households().findOneByOrFail({ id: a.id })).available).toBe(120);
    });

    it('should keep opening balances to the committee of the village', async () => {
      const [, , , d] = opened;
      const file = Buffer.from(`户号,期初积分\n${d.code},10\n`);
      const scorer = await upload('/api/v1/households/opening', file, 'o.csv', await county.scorer.token());
      expect(scorer.status).toBe(403);
      const foreign = await upload(
        '/api/v1/households/opening',
        file,
        'o.csv',
        await county.neighbourAdmin.token(),
      );
      expect(foreign.status).toBe(403);
      expect(await entriesOf(d.id)).toEqual([]);
    });
  });

  describe('pages (no JavaScript)', () => {
    it('should import from the page: row errors on the form with 400, then the list page with a message', async () => {
      const agent = await loggedIn(t, county.villageAdmin.username, TEST_PASSWORD);
      const list = await agent.get('/households');
      expect(list.text).toContain('href="/households/import"');
      expect(list.text).toContain('href="/households/opening"');
      const form = await agent.get('/households/import');
      expect(form.status).toBe(200);
      expect(form.text).toContain('enctype="multipart/form-data"');
      expect(form.text).toContain('一次最多为 500 户设置密码');
      const token = csrfFrom(form.text);
      expect(form.text).toContain(`action="/households/import?_csrf=${token}"`);
      const action = `/households/import?_csrf=${encodeURIComponent(token)}`;

      const before = await count();
      const bad = await agent
        .post(action)
        .attach('file', Buffer.from('户主姓名,家庭人口\n页面户,0\n'), 'x.csv');
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('第 2 行：家庭人口应为 1–99 的整数');
      const big = await agent.post(action).attach('file', Buffer.alloc(5 * 1024 * 1024 + 1, 0x41), 'big.csv');
      expect(big.status).toBe(400);
      expect(big.text).toContain('文件不能超过 5 MB');
      const noToken = await agent
        .post('/households/import')
        .attach('file', Buffer.from('户主姓名,家庭人口\n偷偷户,3\n'), 'x.csv');
      expect(noToken.status).toBe(403);
      expect(await count()).toBe(before);

      const ok = await agent
        .post(action)
        .attach('file', Buffer.from('户主姓名,家庭人口\n页面户,3\n'), 'x.csv');
      expect(ok.status).toBe(303);
      expect(ok.headers.location).toBe('/households');
      const after = await agent.get('/households?q=页面户');
      expect(after.text).toContain('已导入 1 户');
      expect(after.text).toContain('其中 1 户还没有密码(PIN)');
      expect(after.text).toContain('页面户');
    });

    it('should show the made-up PINs on the answer page only, not cached, and keep only their hashes', async () => {
      const agent = await loggedIn(t, county.villageAdmin.username, TEST_PASSWORD);
      const form = await agent.get('/households/import');
      const res = await agent
        .post(`/households/import?_csrf=${encodeURIComponent(csrfFrom(form.text))}`)
        .attach('file', Buffer.from('户主姓名,家庭人口,密码(PIN)\n页面密码户,2,\n'), 'x.csv');
      expect(res.status).toBe(201);
      expect(res.headers['cache-control']).toBe('no-store');
      const match = /<td>([A-Z0-9]+-\d+)<\/td><td>页面密码户<\/td><td><strong>(\d{6})<\/strong>/.exec(
        res.text,
      );
      expect(match).not.toBeNull();
      const [, code, pin] = match as RegExpExecArray;
      expect((await villagerLogin(code, pin)).status).toBe(200);
      expect((await households().findOneByOrFail({ code })).pinHash).not.toContain(pin);
    });

    it('should carry opening balances over from the page', async () => {
      const [h] = (await importFile(Buffer.from('户主姓名,家庭人口\n页面期初户,3\n'))).body
        .households as Imported[];
      const agent = await loggedIn(t, county.villageAdmin.username, TEST_PASSWORD);
      const form = await agent.get('/households/opening');
      expect(form.status).toBe(200);
      const action = `/households/opening?_csrf=${encodeURIComponent(csrfFrom(form.text))}`;
      expect(form.text).toContain('action="/households/opening?_csrf=');
      const bad = await agent
        .post(action)
        .attach('file', Buffer.from(`户号,期初积分\n${h.code},-1\n`), 'o.csv');
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('第 2 行：期初积分应为 1 到 200 之间的整数（乡镇设定的上限）');
      const ok = await agent
        .post(action)
        .attach('file', Buffer.from(`户号,期初积分\n${h.code},88\n`), 'o.csv');
      expect(ok.status).toBe(303);
      expect((await agent.get('/households')).text).toContain(
        '已为 1 户登记期初积分，共 88 分，待另一位村两委成员审核、公示期满后入账',
      );
      // Nothing is spendable before review and 公示.
      expect((await households().findOneByOrFail({ id: h.id })).available).toBe(0);
    });
  });
});

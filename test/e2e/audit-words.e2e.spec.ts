import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, createTestCounty, loggedIn, TEST_PASSWORD } from '../support/factories.js';

/** What a reader sees of a page: its text without tags, and without the 原始记录 disclosures kept for auditors. */
function visibleText(html: string, { withRaw = false } = {}): string {
  const body = withRaw ? html : html.replace(/<details class="audit-raw">[\s\S]*?<\/details>/g, '');
  return body
    .replace(/<(script|style|select)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** Issue 19 item 9: the township reads the audit log in Chinese, the stored record one click away. */
describe('the audit log in words', () => {
  let t: TestApp;
  let county: Awaited<ReturnType<typeof createTestCounty>>;
  let codes: string[];

  beforeAll(async () => {
    t = await createTestApp();
    county = await createTestCounty(t);
    const committee = await county.villageAdmin.token();
    const imported = await request(t.http)
      .post(`/api/v1/households/import?villageId=${county.village.id}`)
      .set(auth(committee))
      .attach('file', Buffer.from('户主姓名,家庭人口\n冯有田,3\n陈小满,2\n', 'utf8'), 'households.csv');
    expect(imported.status).toBe(201);
    codes = imported.body.households.map((h: { code: string }) => h.code);
  });
  afterAll(() => t.close());

  it('should say an import as 导入农户 2 户 with the codes, who did it and their role, and no action code', async () => {
    const page = await loggedIn(t, county.townshipUser.username, TEST_PASSWORD);
    const html = await page.get(`/audit?villageId=${county.village.id}`);
    expect(html.status).toBe(200);
    const text = visibleText(html.text);
    expect(text).toContain(`导入农户 2 户：${codes[0]} 至 ${codes[1]}`);
    expect(text).toContain('测试人员 村两委');
    expect(text).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    expect(text).not.toContain('household.import');
    expect(text).not.toMatch(/[{}]|"count"/);
  });

  it('should keep the stored record behind 原始记录 for an auditor', async () => {
    const page = await loggedIn(t, county.townshipUser.username, TEST_PASSWORD);
    const html = await page.get(`/audit?villageId=${county.village.id}&action=household.import`);
    const raw = visibleText(html.text, { withRaw: true });
    expect(raw).toContain('原始记录');
    expect(raw).toContain('household.import');
    expect(raw).toContain(`"first": "${codes[0]}"`);
  });
});

import ExcelJS from 'exceljs';
import request from 'supertest';
import { Clock } from '../../src/common/clock.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, csrfFrom, loggedIn, TEST_PASSWORD, villagerAgent } from '../support/factories.js';
import { createScoringScene } from '../support/scoring-fixtures.js';
import { createHouseholdWithPoints, createTestGoods, newKey } from '../support/supermarket-fixtures.js';

/** Beijing wall-clock time of a moment, written by the platform's own zone data (not by the code under test). */
const BEIJING = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  dateStyle: 'short',
  timeStyle: 'medium',
});
const beijingSeconds = (at: Date) => BEIJING.format(at); // 2026-12-03 21:51:08
const beijingMinutes = (at: Date) => beijingSeconds(at).slice(0, 16); // 2026-12-03 21:51

const ISO_MOMENT = /\d{4}-\d\d-\d\dT\d\d:/;
const SLASHED_MOMENT = /\d{4}\/\d{1,2}\/\d{1,2}/;
/** What a reader sees of a page: its text without tags, attributes or scripts. */
const shown = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

/**
 * Issue 19 item 3: every moment a page, a print or an export shows is Beijing time in one format — `YYYY-MM-DD HH:MM`,
 * with seconds on receipts and the audit log — never the stored ISO `…T…Z`. The JSON API keeps ISO.
 */
describe('times as people read them', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let household: { id: number; code: string };
  let redemptionId: number;
  // Made at 05:51 Beijing time, when UTC is still on the day before: an ISO or UTC date would show the wrong day.
  let made: Date;
  let cancelled: Date;

  beforeAll(async () => {
    t = await createTestApp();
    scene = await createScoringScene(t);
    household = await createHouseholdWithPoints(t, await scene.villageAdmin.token(), scene.village.id, 100);
    const goods = await createTestGoods(t, await scene.clerk.token(), scene.village.id, { pricePoints: 10 });
    const clerk = await loggedIn(t, scene.clerk.username, TEST_PASSWORD);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    made = new Date(`${today}T05:51:14.845+08:00`);
    if (made.getTime() > Date.now()) made = new Date(made.getTime() - 86_400_000);
    cancelled = new Date(made.getTime() + 6 * 60_000 + 49_000); // 05:58:03
    const clock = t.app.get(Clock);
    try {
      clock.stopAt(made);
      const res = await request(t.http)
        .post('/api/v1/redemptions')
        .set(auth(await scene.clerk.token()))
        .send({
          householdId: household.id,
          items: [{ goodsId: goods.id, quantity: 2 }],
          idempotencyKey: newKey(),
        });
      expect(res.status).toBe(201);
      redemptionId = res.body.id;
      clock.stopAt(cancelled);
      const path = `/supermarket/redemptions/${redemptionId}`;
      const done = await clerk
        .post(`${path}/cancel`)
        .type('form')
        .send({ reason: '拿错了', _csrf: csrfFrom((await clerk.get(path)).text) });
      expect(done.status).toBe(303);
    } finally {
      clock.stopAt(null);
    }
  });
  afterAll(() => t.close());

  it('should show a cancelled receipt made and cancelled in the same Beijing format, never T…Z', async () => {
    const clerk = await loggedIn(t, scene.clerk.username, TEST_PASSWORD);
    const page = await clerk.get(`/supermarket/redemptions/${redemptionId}`);
    expect(page.status).toBe(200);
    const text = shown(page.text);
    expect(text).toContain(`时间 ${beijingSeconds(made)}`);
    expect(text).toContain(`此兑换单已撤销（${beijingSeconds(cancelled)}）：拿错了`);
    expect(text).toMatch(/时间 \d{4}-\d\d-\d\d 05:51:14 /);
    expect(text).not.toMatch(ISO_MOMENT);
    expect(text).not.toMatch(SLASHED_MOMENT);

    const slip = await clerk.get(`/supermarket/redemptions/${redemptionId}?format=thermal`);
    expect(shown(slip.text)).toContain(beijingSeconds(made));
    expect(shown(slip.text)).not.toMatch(ISO_MOMENT);
  });

  it('should list the cancellation in the audit log at its Beijing time, with seconds', async () => {
    const township = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
    const page = await township.get(`/audit?villageId=${scene.village.id}`);
    expect(page.status).toBe(200);
    const cells = [...page.text.matchAll(/<time>([^<]*)<\/time>/g)].map((m) => m[1]);
    expect(cells).toContain(beijingSeconds(cancelled));
    expect(cells).toContain(beijingSeconds(made));
    for (const cell of cells) expect(cell).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it("should export the township overview's last activity in Beijing time, as CSV and XLSX", async () => {
    const township = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
    const [{ last }] = await t.dataSource.query(
      `SELECT MAX("createdAt") AS last FROM audit_log WHERE "villageId" = ${scene.village.id}`,
    );
    const lastMoment =
      last instanceof Date ? last : new Date(`${String(last).replace(' ', 'T').replace(/Z?$/, 'Z')}`);
    const csv = await township.get('/township/export.csv');
    expect(csv.status).toBe(200);
    const row = csv.text.split(/\r?\n/).find((line) => line.startsWith(`${scene.village.name},`));
    expect(row?.split(',').at(-1)).toBe(beijingMinutes(lastMoment));
    expect(csv.text).not.toMatch(ISO_MOMENT);
    const xlsx = await township
      .get('/township/export.xlsx')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    const rows = book.worksheets[0].getSheetValues() as unknown[][];
    const sheetRow = rows.find((r) => r?.[1] === scene.village.name);
    expect(sheetRow?.at(-1)).toBe(beijingMinutes(lastMoment));
  });

  it('should show no ISO moment on the pages of the committee, the clerk, the township and the household', async () => {
    const committee = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    const clerk = await loggedIn(t, scene.clerk.username, TEST_PASSWORD);
    const township = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
    const villager = await villagerAgent(t, household.code, '135790');
    const pages: [typeof committee, string][] = [
      [clerk, `/supermarket/redemptions/${redemptionId}`],
      [clerk, `/supermarket/redemptions/${redemptionId}?format=thermal`],
      [clerk, '/supermarket/redemptions'],
      [committee, `/households/${household.id}`],
      [committee, `/households/${household.id}/passbook`],
      [township, `/audit?villageId=${scene.village.id}`],
      [township, '/township'],
      [villager, '/villager'],
      [villager, '/villager/notices'],
    ];
    const withMoments: string[] = [];
    for (const [agent, path] of pages) {
      const res = await agent.get(path);
      if (/\d{4}-\d\d-\d\d \d\d:\d\d/.test(shown(res.text))) withMoments.push(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect([path, ISO_MOMENT.exec(shown(res.text))?.[0] ?? null]).toEqual([path, null]);
      expect([path, SLASHED_MOMENT.exec(shown(res.text))?.[0] ?? null]).toEqual([path, null]);
    }
    // The sweep looks at pages that do show moments, in the one format.
    expect(withMoments).toEqual(
      expect.arrayContaining([
        `/supermarket/redemptions/${redemptionId}`,
        `/supermarket/redemptions/${redemptionId}?format=thermal`,
        `/audit?villageId=${scene.village.id}`,
        '/villager',
        '/villager/notices',
      ]),
    );
  });
});

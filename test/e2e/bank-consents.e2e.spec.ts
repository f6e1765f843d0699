import { jest } from '@jest/globals';
import request from 'supertest';
import { Clock } from '../../src/common/clock.js';
import { addDays } from '../../src/common/dates.js';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, createTestUser, loggedIn, TEST_PASSWORD, villagerAgent } from '../support/factories.js';
import { createScoringScene, createTestHousehold } from '../support/scoring-fixtures.js';
import { createHouseholdWithPoints } from '../support/supermarket-fixtures.js';

jest.setTimeout(120_000);

/**
 * 银行授权查询 (issue 22, point 3): a bank's loan officer sees a household only with a live consent code the household
 * made, inside the officer's township; every look is written down where the household and its committee see it; an
 * outcome is recorded once per code; the township sees only counts.
 */
describe('the bank view with the household consent', () => {
  let t: TestApp;
  let scene: Awaited<ReturnType<typeof createScoringScene>>;
  let committee: string;
  let household: { id: number; code: string };
  let villager: string;
  let officer: string;
  let farOfficer: string;
  let countyOfficer: string;

  const seen = async () => {
    const [uses] = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM consent_use WHERE "householdId" = ${household.id}`,
    );
    const [audited] = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'bank.%' AND "entityId" = ${household.id}`,
    );
    return { uses: Number(uses.n), audited: Number(audited.n) };
  };
  const lookup = (token: string, code?: string) =>
    request(t.http)
      .get('/api/v1/bank/households')
      .query(code === undefined ? {} : { consentCode: code })
      .set(auth(token));
  const newCode = async (token = villager) => {
    const res = await request(t.http).post('/api/v1/me/consents').set(auth(token)).send({});
    expect(res.status).toBe(201);
    return res.body as { code: string; expiresOn: string };
  };

  beforeAll(async () => {
    t = await createTestApp();
    scene = await createScoringScene(t);
    committee = await scene.villageAdmin.token();
    household = await createHouseholdWithPoints(t, committee, scene.village.id, 120);
    villager = (
      await request(t.http)
        .post('/api/v1/auth/villager-login')
        .send({ householdCode: household.code, pin: '135790' })
    ).body.token as string;
    const bank = await createTestUser(t, {
      role: 'BANK',
      townshipId: scene.township.id,
      displayName: '农商行张信贷',
    });
    officer = await bank.token();
    farOfficer = await (
      await createTestUser(t, { role: 'BANK', townshipId: scene.otherTownship.id })
    ).token();
    countyOfficer = await (await createTestUser(t, { role: 'BANK' })).token();
  });
  afterAll(() => t.close());
  // Each test starts with no live code, so that the five-code cap is its own test's business.
  afterEach(() =>
    t.dataSource.query(`UPDATE consent_code SET status = 'REVOKED' WHERE "householdId" = ${household.id}`),
  );

  it('should make a six-digit code for 30 days, shown once and stored only as a hash', async () => {
    const { code, expiresOn } = await newCode();
    expect(code).toMatch(/^\d{6}$/);
    expect(expiresOn).toBe(addDays(t.app.get(Clock).today(), 29));
    const rows = await t.dataSource.query(
      `SELECT "codeHash", "lastDigits" FROM consent_code WHERE "householdId" = ${household.id}`,
    );
    expect(JSON.stringify(rows)).not.toContain(code);
    expect(rows.at(-1).lastDigits).toBe(code.slice(-2));
  });

  it('should refuse an officer with no code, a wrong code, or outside its township, and record nothing as seen', async () => {
    const { code } = await newCode();
    const before = await seen();
    const none = await lookup(officer);
    expect(none.status).toBe(403);
    expect(none.body.error.message).toMatch(/授权码/);
    const wrong = await lookup(officer, code === '000000' ? '000001' : '000000');
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toMatch(/授权码不对/);
    const far = await lookup(farOfficer, code);
    expect(far.status).toBe(403);
    expect(far.body.error.message).toMatch(/不在您服务的乡镇/);
    expect(JSON.stringify(far.body)).not.toContain(household.code);
    expect(await seen()).toEqual(before);
  });

  it('should show the household with a valid code, and put the use in its audit log and on /villager', async () => {
    const certificate = await request(t.http)
      .post(`/api/v1/households/${household.id}/certificates`)
      .set(auth(committee))
      .send({});
    expect(certificate.status).toBe(201);
    const { code } = await newCode();
    const before = await seen();
    const res = await lookup(officer, code);
    expect(res.status).toBe(200);
    expect(res.body.household).toMatchObject({ code: household.code, villageName: scene.village.name });
    expect(res.body.earned).toMatchObject({ total: expect.any(Number), yearPoints: expect.any(Number) });
    expect(res.body.stars).toMatchObject({ stars: expect.any(Number) });
    expect(res.body.grade).toBeNull();
    expect(res.body.certificate).toMatchObject({
      code: certificate.body.code,
      verifyPath: `/verify/${certificate.body.code}`,
    });
    // The county's officer (no township on the account) reaches every township.
    expect((await lookup(countyOfficer, code)).status).toBe(200);
    expect(await seen()).toEqual({ uses: before.uses + 2, audited: before.audited + 2 });

    // The village's audit log, as the township and the supervision committee read it: each look names the household.
    const log = await request(t.http)
      .get('/api/v1/audit-logs')
      .query({ villageId: scene.village.id, action: 'bank.lookup' })
      .set(auth(await scene.townshipUser.token()));
    expect(log.status).toBe(200);
    expect(log.body.items.filter((r: { entityId: number }) => r.entityId === household.id)).toHaveLength(2);
    const auditPage = await (
      await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD)
    ).get(`/audit?villageId=${scene.village.id}&action=bank.lookup`);
    expect(auditPage.text).toContain(`查看 ${household.code}`);

    const page = await (await villagerAgent(t, household.code, '135790')).get('/villager');
    expect(page.text).toContain('授权银行查询');
    expect(page.text).toContain(`尾号 ${code.slice(-2)}`);
    expect(page.text).toContain('农商行张信贷 查看了本户的信用等级和积分');
    expect(page.text).not.toContain(code);
  });

  it('should refuse a revoked code and an expired one, recording nothing', async () => {
    const revoked = await newCode();
    const gone = await request(t.http).delete(`/api/v1/me/consents/${revoked.code}`).set(auth(villager));
    expect(gone.status).toBe(200);
    expect(gone.body.status).toBe('REVOKED');
    const expiring = await newCode();
    const before = await seen();
    expect((await lookup(officer, revoked.code)).status).toBe(403);

    const clock = t.app.get(Clock);
    clock.stopAt(new Date(`${addDays(clock.today(), 30)}T10:00:00+08:00`));
    try {
      const late = await lookup(officer, expiring.code);
      expect(late.status).toBe(403);
      expect(late.body.error.message).toMatch(/已过期/);
    } finally {
      clock.stopAt(null);
    }
    expect(await seen()).toEqual(before);
    // A code made today still works on its last day.
    clock.stopAt(new Date(`${expiring.expiresOn}T20:00:00+08:00`));
    try {
      expect((await lookup(officer, expiring.code)).status).toBe(200);
    } finally {
      clock.stopAt(null);
    }
  });

  it('should record an outcome once when it is submitted twice, and refuse a different one', async () => {
    const { code } = await newCode();
    const body = { consentCode: code, outcome: 'GRANTED', band: '5-10万' };
    const first = await request(t.http).post('/api/v1/bank/outcomes').set(auth(officer)).send(body);
    expect(first.status).toBe(201);
    const again = await request(t.http).post('/api/v1/bank/outcomes').set(auth(officer)).send(body);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await request(t.http)
      .post('/api/v1/bank/outcomes')
      .set(auth(officer))
      .send({ ...body, outcome: 'DECLINED' });
    expect(other.status).toBe(409);
    const rows = await t.dataSource.query(
      `SELECT o.outcome FROM loan_outcome o JOIN consent_code c ON c.id = o."consentId" WHERE c."householdId" = ${household.id}`,
    );
    expect(rows).toEqual([{ outcome: 'GRANTED' }]);

    // A double click: both sent at once, one outcome.
    const twin = { ...body, consentCode: (await newCode()).code };
    const both = await Promise.all(
      [1, 2].map(() => request(t.http).post('/api/v1/bank/outcomes').set(auth(officer)).send(twin)),
    );
    expect(both.map((r) => r.status).sort()).toEqual([200, 201]);
    const [{ n }] = await t.dataSource.query(
      `SELECT COUNT(*) AS n FROM loan_outcome o JOIN consent_code c ON c.id = o."consentId" WHERE c."householdId" = ${household.id}`,
    );
    expect(Number(n)).toBe(2);

    const bad = await request(t.http)
      .post('/api/v1/bank/outcomes')
      .set(auth(officer))
      .send({ consentCode: code, outcome: 'MAYBE', band: '100万' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toMatchObject({ outcome: expect.any(String), band: expect.any(String) });
    const far = await request(t.http)
      .post('/api/v1/bank/outcomes')
      .set(auth(farOfficer))
      .send({ ...body, consentCode: (await newCode()).code });
    expect(far.status).toBe(403);
  });

  it('should show the township counts per village and band, and never a household', async () => {
    const year = t.app.get(Clock).today().slice(0, 4);
    const res = await request(t.http)
      .get(`/api/v1/townships/${scene.township.id}/loan-outcomes`)
      .query({ period: year })
      .set(auth(await scene.townshipUser.token()));
    expect(res.status).toBe(200);
    const village = res.body.villages.find((v: { villageId: number }) => v.villageId === scene.village.id);
    expect(village.counts.GRANTED['5-10万']).toBe(2);
    expect(village.total).toBe(2);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(household.code);
    expect(text).not.toContain('householdId');
    const far = await request(t.http)
      .get(`/api/v1/townships/${scene.otherTownship.id}/loan-outcomes`)
      .set(auth(await scene.townshipUser.token()));
    expect(far.status).toBe(403);

    const townshipPages = await loggedIn(t, scene.townshipUser.username, TEST_PASSWORD);
    const page = await townshipPages.get(`/township?period=${year}`);
    expect(page.text).toContain('积分贷结果');
    expect(page.text).not.toContain(household.code);
    // The dashboard is kept between writes; a new outcome is a write in the village and redraws it.
    const granted = (html: string) =>
      Number(
        /<td data-label="已放贷" class="num">(\d+)<\/td>/.exec(
          html.split('积分贷结果').slice(1).join(''),
        )?.[1],
      );
    expect(granted(page.text)).toBe(2);
    const another = await request(t.http)
      .post('/api/v1/bank/outcomes')
      .set(auth(officer))
      .send({ consentCode: (await newCode()).code, outcome: 'GRANTED', band: '<5万' });
    expect(another.status).toBe(201);
    expect(granted((await townshipPages.get(`/township?period=${year}`)).text)).toBe(3);
  });

  it('should let the committee make a code for a household of its village, and no one else', async () => {
    const made = await request(t.http)
      .post(`/api/v1/households/${household.id}/consents`)
      .set(auth(committee))
      .send({});
    expect(made.status).toBe(201);
    expect(made.body.code).toMatch(/^\d{6}$/);
    const neighbour = await request(t.http)
      .post(`/api/v1/households/${household.id}/consents`)
      .set(auth(await t.token(scene.neighbourAdmin.username, TEST_PASSWORD)))
      .send({});
    expect(neighbour.status).toBe(403);
    const revoked = await request(t.http)
      .delete(`/api/v1/households/${household.id}/consents/${made.body.code}`)
      .set(auth(committee));
    expect(revoked.status).toBe(200);
  });

  it("should let the committee make and revoke a code on the household's page", async () => {
    const agent = await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD);
    const card = await agent.get(`/households/${household.id}`);
    expect(card.text).toContain(`href="/households/${household.id}/consents"`);
    const page = await agent.get(`/households/${household.id}/consents`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const made = await agent
      .post(`/households/${household.id}/consents`)
      .type('form')
      .send({ _csrf: csrf })
      .redirects(1);
    const code = /授权码 (\d{6})/.exec(made.text)![1];
    expect(made.text).toContain(`尾号 ${code.slice(-2)} 的授权码`);
    expect((await lookup(officer, code)).status).toBe(200);
    const [row] = await t.dataSource.query(
      `SELECT id FROM consent_code WHERE "householdId" = ${household.id} AND status = 'ACTIVE'`,
    );
    const revoked = await agent
      .post(`/households/${household.id}/consents/${row.id}/revoke`)
      .type('form')
      .send({ _csrf: csrf })
      .redirects(1);
    expect(revoked.text).toContain('已撤销');
    expect((await lookup(officer, code)).status).toBe(403);
  });

  it('should describe its JSON routes in the OpenAPI description, and not its pages', async () => {
    const res = await request(t.http).get('/api/docs-json');
    const paths = Object.keys(res.body.paths);
    for (const path of [
      '/api/v1/me/consents',
      '/api/v1/me/consents/{code}',
      '/api/v1/households/{id}/consents',
      '/api/v1/bank/households',
      '/api/v1/bank/outcomes',
      '/api/v1/townships/{id}/loan-outcomes',
    ])
      expect(paths).toContain(path);
    expect(paths.filter((p) => p.startsWith('/bank'))).toEqual([]);
    expect(res.body.paths['/api/v1/bank/outcomes'].post.tags).toEqual(['bank 银行授权查询']);
  });

  it('should hold at most five live codes per household', async () => {
    const other = await createTestHousehold(t, committee, scene.village.id);
    for (let i = 0; i < 5; i++)
      expect(
        (await request(t.http).post(`/api/v1/households/${other.id}/consents`).set(auth(committee)).send({}))
          .status,
      ).toBe(201);
    const sixth = await request(t.http)
      .post(`/api/v1/households/${other.id}/consents`)
      .set(auth(committee))
      .send({});
    expect(sixth.status).toBe(409);
    expect(sixth.body.error.message).toMatch(/最多同时有 5 个/);
    // On its own page the household gets its page back, with the reason.
    const agent = await villagerAgent(t, other.code, '135790');
    const page = await agent.get('/villager');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const refused = await agent.post('/villager/consents').type('form').send({ _csrf: csrf });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('最多同时有 5 个有效的授权码');
    expect(refused.text).toContain('授权银行查询');
  });

  it('should stop an officer guessing codes for a while, even with a right one', async () => {
    const guesser = await (await createTestUser(t, { role: 'BANK', townshipId: scene.township.id })).token();
    const { code } = await newCode();
    const wrong = code === '999999' ? '999998' : '999999';
    for (let i = 0; i < 5; i++) expect((await lookup(guesser, wrong)).status).toBe(403);
    const blocked = await lookup(guesser, code);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.message).toMatch(/输错次数过多/);
    // Another officer is not held back by this one's guesses.
    expect((await lookup(officer, code)).status).toBe(200);
  });

  it('should show the grade line and a QR code of the verify address on the certificate', async () => {
    const list = await request(t.http).get(`/api/v1/households/${household.id}`).set(auth(committee));
    expect(list.status).toBe(200);
    const [row] = await t.dataSource.query(
      `SELECT id, code FROM credit_certificate WHERE "householdId" = ${household.id} ORDER BY id DESC LIMIT 1`,
    );
    const page = await (
      await loggedIn(t, scene.villageAdmin.username, TEST_PASSWORD)
    ).get(`/certificates/${row.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('信用等级');
    expect(page.text).toMatch(/<svg[^>]*>/);
    expect(page.text).toContain(`/verify/${row.code}`);
  });

  it('should let the officer look up and record on the /bank page, the form kept on a refusal', async () => {
    const { code } = await newCode();
    const agent = await loggedIn(
      t,
      (await createTestUser(t, { role: 'BANK', townshipId: scene.township.id })).username,
      TEST_PASSWORD,
    );
    const page = await agent.get('/bank');
    expect(page.status).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const refused = await agent.post('/bank/lookup').type('form').send({ _csrf: csrf, consentCode: '12a' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('aria-invalid="true"');
    const found = await agent.post('/bank/lookup').type('form').send({ _csrf: csrf, consentCode: code });
    expect(found.status).toBe(200);
    expect(found.text).toContain(household.code);
    const bad = await agent
      .post('/bank/outcomes')
      .type('form')
      .send({ _csrf: csrf, outcomeCode: code, outcome: 'DECLINED', band: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain(`value="${code}"`);
    const done = await agent
      .post('/bank/outcomes')
      .type('form')
      .send({ _csrf: csrf, outcomeCode: code, outcome: 'DECLINED', band: '<5万' })
      .redirects(0);
    expect(done.status).toBe(303);
  });
});

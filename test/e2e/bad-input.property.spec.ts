import { jest } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';
import { appRoutes, type AppRoute } from '../support/routes.js';
import { createWorld, type Role } from '../support/world.js';

jest.setTimeout(600_000);

/** Field names the API's bodies use: generated bodies put wrong values under the right names, too. */
const FIELDS = [
  'villageId',
  'householdId',
  'householdIds',
  'ruleId',
  'recordIds',
  'goodsId',
  'items',
  'quantity',
  'points',
  'occurredOn',
  'note',
  'reason',
  'comment',
  'decision',
  'days',
  'period',
  'list',
  'idempotencyKey',
  'name',
  'unit',
  'pricePoints',
  'stock',
  'source',
  'donor',
  'counted',
  'headName',
  'memberCount',
  'pin',
  'phone',
  'groupId',
  'username',
  'password',
  'role',
  'displayName',
  'code',
  'title',
  'category',
  'minPoints',
  'maxPoints',
  'capCount',
  'capPeriod',
  'active',
  'resetEnabled',
  'resetOn',
  'resetKeep',
  'starThresholds',
  'blackListMode',
  'redListSize',
  'townshipId',
  'groups',
  'relation',
  'householdCode',
  'newPassword',
  'currentPassword',
  'movedOutOn',
];

const weird = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 1e308, -1e308, 2 ** 53, 2 ** 31, -(2 ** 31) - 1, 0.5, 1e-9),
  fc.double(),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ minLength: 2000, maxLength: 6000 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\uFEFF',
    '𠀀𠀁'.repeat(50),
    '<script>alert(1)</script>',
    '2026-02-30',
    '9999-99-99',
  ),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 4 }),
);
const bodies = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), weird, { minKeys: 1, maxKeys: 6 }),
  fc.jsonValue(),
  fc.dictionary(fc.string({ maxLength: 12 }), weird, { maxKeys: 5 }),
);

/** What bad input must never change. (The audit log may grow: a failed login is recorded.) */
const TABLES = [
  'township',
  'village',
  'village_group',
  'app_user',
  'household',
  'household_member',
  'scoring_rule',
  'scoring_rule_version',
  'score_record',
  'publication',
  'objection',
  'ledger_entry',
  'goods',
  'stock_movement',
  'redemption',
  'redemption_line',
  'ranking_snapshot',
  'list_entry',
  'period_total',
];

/**
 * Bad input, generated: for every write route of the API (and every page form), wrong types, missing and extra
 * fields, huge numbers, negative quantities, long and odd Unicode, broken JSON, wrong content types, oversized bodies.
 * Never a 5xx; an API refusal always has the error shape; a refusal writes nothing.
 */
describe('generated bad input on every write route', () => {
  let t: TestApp;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let routes: AppRoute[];

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    world = await createWorld(t);
    routes = appRoutes(t.app).filter((r) => r.method !== 'GET');
  });
  afterAll(() => t.close());

  const fingerprint = async () => {
    const counts = await t.dataSource.query(
      `SELECT ${TABLES.map((x) => `(SELECT COUNT(*) FROM ${x}) AS "${x}"`).join(', ')},
        (SELECT COALESCE(SUM(available), 0) FROM household) AS available,
        (SELECT COALESCE(SUM(stock), 0) FROM goods) AS stock`,
    );
    return JSON.stringify(Object.values(counts[0]).map(Number));
  };
  /** The role a route lets in (the committee on a public route), to get past the guards to the validation. */
  const roleFor = (r: AppRoute): Role | null =>
    r.access === 'public'
      ? 'VILLAGE_ADMIN'
      : ((['VILLAGE_ADMIN', 'CLERK', 'SCORER', 'TOWNSHIP', 'ADMIN', 'VILLAGER'] as Role[]).find((x) =>
          (r.access as string[]).includes(x),
        ) ?? null);

  it('should answer generated JSON bodies on every API write route with a 2xx or a 4xx in the error shape', async () => {
    const problems: string[] = [];
    const statuses: Record<number, number> = {};
    for (const route of routes.filter((r) => r.api)) {
      const role = roleFor(route);
      const path = world.fill(route.path);
      await fc.assert(
        fc.asyncProperty(bodies, async (body) => {
          const before = await fingerprint();
          const req = request(t.http)[route.method.toLowerCase() as 'post'](path);
          const res = await (role ? req.set(auth(world.tokens[role])) : req).send(body as object);
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (res.status >= 500)
            problems.push(
              `${route.method} ${route.path} → ${res.status} for ${JSON.stringify(body).slice(0, 150)}`,
            );
          else if (res.status >= 400) {
            if (typeof res.body?.error?.code !== 'string' || typeof res.body?.error?.message !== 'string')
              problems.push(`${route.method} ${route.path} → ${res.status} without the error shape`);
            if ((await fingerprint()) !== before)
              problems.push(`${route.method} ${route.path} → ${res.status} but wrote`);
          }
        }),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 12), seed: 20261122 },
      );
    }
    // Most bodies must reach the validation (not stop at a guard), or this test would prove little.
    const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
    expect(statuses[400] ?? 0).toBeGreaterThan(answered / 2);
    expect(problems).toEqual([]);
  });

  it('should answer the values at the edge (NUL, 2^31, 1e308, null, huge page, deep JSON) with a 4xx on every API route', async () => {
    const problems: string[] = [];
    const everyField = (value: unknown) => Object.fromEntries(FIELDS.map((f) => [f, value]));
    const bodies: (object | string)[] = [
      { name: null },
      { active: null },
      { headName: null, memberCount: null },
      everyField(2 ** 31),
      everyField(1e308),
      everyField(-(2 ** 31) - 1),
      everyField('a\u0000b'),
      '['.repeat(5000) + ']'.repeat(5000),
      `{"name": ${'{"a": '.repeat(30)}1${'}'.repeat(30)}}`,
    ];
    for (const route of appRoutes(t.app).filter((r) => r.api)) {
      const role = roleFor(route);
      const method = route.method.toLowerCase() as 'post';
      const send = (path: string, body?: object | string) => {
        let req = request(t.http)[method](path);
        if (role) req = req.set(auth(world.tokens[role]));
        if (typeof body === 'string') req = req.set('Content-Type', 'application/json');
        return body === undefined ? req : req.send(body);
      };
      const check = async (path: string, body: object | string | undefined, label: string) => {
        const before = await fingerprint();
        const res = await send(path, body);
        if (res.status >= 500) problems.push(`${route.method} ${path} ${label} → ${res.status}`);
        else if (res.status >= 400 && typeof res.body?.error?.code !== 'string')
          problems.push(`${route.method} ${path} ${label} → ${res.status} without the error shape`);
        if (res.status >= 400 && (await fingerprint()) !== before)
          problems.push(`${route.method} ${path} ${label} → ${res.status} but wrote`);
      };
      const path = world.fill(route.path);
      for (const id of ['2147483648', '1e308', '99999999999999999999'])
        if (route.path.includes(':')) await check(route.path.replace(/:\w+/g, id), undefined, `(id ${id})`);
      const query = `page=99999999999&pageSize=1e308&villageId=abc&householdId=2147483648&q=a%00b`;
      await check(`${path}${path.includes('?') ? '&' : '?'}${query}`, undefined, '(query)');
      if (route.method !== 'GET')
        for (const body of bodies) await check(path, body, JSON.stringify(body).slice(0, 60));
    }
    expect(problems).toEqual([]);
  });

  it('should refuse broken JSON, wrong content types and oversized bodies with a 4xx in the error shape', async () => {
    const problems: string[] = [];
    for (const route of routes.filter((r) => r.api && !r.path.startsWith('/api/v1/auth'))) {
      const role = roleFor(route);
      const path = world.fill(route.path);
      const send = (type: string, payload: string | Buffer) => {
        const req = request(t.http)[route.method.toLowerCase() as 'post'](path).set('Content-Type', type);
        return (role ? req.set(auth(world.tokens[role])) : req).send(payload);
      };
      const before = await fingerprint();
      for (const [type, payload] of [
        ['application/json', '{"householdId": 1, "items": ['],
        ['application/json', '\u0000\u0001\u0002'],
        ['text/plain', 'householdId=1'],
        ['application/xml', '<redeem><householdId>1</householdId></redeem>'],
        ['application/json', JSON.stringify({ note: 'x'.repeat(3 * 1024 * 1024) })],
      ] as const) {
        const res = await send(type, payload);
        if (res.status >= 500 || (res.status >= 400 && typeof res.body?.error?.code !== 'string'))
          problems.push(
            `${route.method} ${route.path} with ${type} (${payload.length} bytes) → ${res.status}`,
          );
      }
      if ((await fingerprint()) !== before)
        problems.push(`${route.method} ${route.path}: bad content wrote something`);
    }
    expect(problems).toEqual([]);
  });

  it('should answer generated form bodies on every page form with no 5xx, refuse a form without its CSRF token, and write nothing', async () => {
    const problems: string[] = [];
    const agents = new Map<Role, Awaited<ReturnType<typeof world.agent>>>();
    for (const route of routes.filter((r) => !r.api && !/login|logout|text-size/.test(r.path))) {
      const role = roleFor(route) ?? 'VILLAGE_ADMIN';
      if (!agents.has(role)) agents.set(role, await world.agent(role));
      const agent = agents.get(role)!;
      const path = world.fill(route.path);
      const page = await agent.get(role === 'VILLAGER' ? '/villager' : '/');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
      const before = await fingerprint();
      const noToken = await agent.post(path).type('form').send({ name: 'x' });
      if (noToken.status !== 403) problems.push(`${route.path} without CSRF → ${noToken.status}`);
      if ((await fingerprint()) !== before) problems.push(`${route.path} without CSRF wrote`);
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.constantFrom(...FIELDS), fc.string({ unit: 'binary', maxLength: 300 }), {
            maxKeys: 6,
          }),
          async (form) => {
            const start = await fingerprint();
            const res = await agent
              .post(`${path}${path.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(csrf)}`)
              .type('form')
              .send({ ...form, _csrf: csrf });
            if (res.status >= 500)
              problems.push(`${route.path} → ${res.status} for ${JSON.stringify(form).slice(0, 150)}`);
            else if (res.status >= 400 && (await fingerprint()) !== start)
              problems.push(`${route.path} → ${res.status} but wrote`);
          },
        ),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 6), seed: 20261122 },
      );
    }
    expect(problems).toEqual([]);
  });
});

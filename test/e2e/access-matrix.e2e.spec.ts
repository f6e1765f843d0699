import { jest } from '@jest/globals';
import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';
import { appRoutes, routeKey } from '../support/routes.js';
import { createWorld, ROLES, type Role } from '../support/world.js';

jest.setTimeout(300_000);

/**
 * Who may call what, kept here by hand: every route of the app (method and path) with the roles it lets in,
 * `public` (no login) or `login` (anyone logged in, scope decided by the target). A route missing from this table,
 * or in it but gone from the app, fails the build; every route is then called by every role, with no login, and by
 * the committee of a neighbouring village, and must let in exactly whom the table says.
 */
const ACCESS: Record<string, string> = {
  'GET /': 'public',
  'GET /account/password': 'login',
  'POST /account/password': 'login',
  'POST /admin/groups/:id': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'GET /admin/townships': 'ADMIN',
  'POST /admin/townships': 'ADMIN',
  'POST /admin/townships/:id': 'ADMIN',
  'POST /admin/townships/:id/active': 'ADMIN',
  'GET /admin/townships/:id/edit': 'ADMIN',
  'GET /admin/townships/new': 'ADMIN',
  'GET /admin/users': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'POST /admin/users': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'POST /admin/users/:id': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'POST /admin/users/:id/active': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'POST /admin/users/:id/confirm': 'ADMIN TOWNSHIP',
  'GET /admin/users/:id/edit': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'GET /admin/users/new': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'GET /admin/villages': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'POST /admin/villages': 'ADMIN',
  'GET /admin/villages/:id': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'POST /admin/villages/:id': 'ADMIN TOWNSHIP',
  'POST /admin/villages/:id/active': 'ADMIN TOWNSHIP',
  'POST /admin/villages/:id/groups': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'POST /admin/villages/:id/settings': 'VILLAGE_ADMIN',
  'GET /admin/villages/new': 'ADMIN',
  'POST /api/v1/auth/login': 'public',
  'GET /api/v1/auth/me': 'login',
  'POST /api/v1/auth/password': 'login',
  'POST /api/v1/auth/villager-login': 'public',
  'POST /api/v1/declarations': 'VILLAGER',
  'GET /api/v1/goods': 'public',
  'POST /api/v1/goods': 'CLERK VILLAGE_ADMIN',
  'GET /api/v1/goods/:id': 'ADMIN CLERK TOWNSHIP VILLAGE_ADMIN',
  'PUT /api/v1/goods/:id': 'CLERK VILLAGE_ADMIN',
  'GET /api/v1/goods/:id/movements': 'ADMIN CLERK TOWNSHIP VILLAGE_ADMIN',
  'POST /api/v1/goods/:id/stock-in': 'CLERK VILLAGE_ADMIN',
  'POST /api/v1/goods/:id/stock-take': 'CLERK VILLAGE_ADMIN',
  'PATCH /api/v1/groups/:id': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'GET /api/v1/households': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'POST /api/v1/households': 'VILLAGE_ADMIN',
  'GET /api/v1/households/:id': 'login',
  'PATCH /api/v1/households/:id': 'VILLAGE_ADMIN',
  'GET /api/v1/households/:id/members': 'ADMIN CLERK SCORER TOWNSHIP VILLAGER VILLAGE_ADMIN',
  'POST /api/v1/households/:id/members': 'VILLAGE_ADMIN',
  'DELETE /api/v1/households/:id/members/:memberId': 'VILLAGE_ADMIN',
  'POST /api/v1/households/:id/move-out': 'VILLAGE_ADMIN',
  'GET /api/v1/households/:id/passbook': 'login',
  'POST /api/v1/households/:id/pin': 'VILLAGE_ADMIN',
  'GET /api/v1/households/export.csv': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'GET /api/v1/households/export.xlsx': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'POST /api/v1/households/import': 'VILLAGE_ADMIN',
  'POST /api/v1/households/opening': 'VILLAGE_ADMIN',
  'GET /api/v1/ledger/verify': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'POST /api/v1/list-entries/:id/lift': 'VILLAGE_ADMIN',
  'POST /api/v1/list-entries/:id/withdraw': 'TOWNSHIP',
  'POST /api/v1/objections/:id/resolve': 'VILLAGE_ADMIN',
  'POST /api/v1/publications': 'VILLAGE_ADMIN',
  'GET /api/v1/publications/:id': 'ADMIN CLERK SCORER TOWNSHIP VILLAGER VILLAGE_ADMIN',
  'POST /api/v1/publications/:id/close': 'VILLAGE_ADMIN',
  'POST /api/v1/ranking-snapshots/:id/approve': 'TOWNSHIP',
  'POST /api/v1/ranking-snapshots/:id/return': 'TOWNSHIP',
  'GET /api/v1/redemptions': 'ADMIN CLERK TOWNSHIP VILLAGE_ADMIN',
  'POST /api/v1/redemptions': 'CLERK VILLAGE_ADMIN',
  'GET /api/v1/redemptions/:id': 'ADMIN CLERK TOWNSHIP VILLAGER VILLAGE_ADMIN',
  'POST /api/v1/redemptions/:id/cancel': 'CLERK VILLAGE_ADMIN',
  'GET /api/v1/rules': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'POST /api/v1/rules': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'GET /api/v1/rules/:id': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  // A village's rule: only its committee (the township edits its template rules; rules.e2e covers those).
  'PATCH /api/v1/rules/:id': 'VILLAGE_ADMIN',
  'GET /api/v1/score-records': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'POST /api/v1/score-records': 'SCORER VILLAGE_ADMIN',
  'GET /api/v1/score-records/:id': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'POST /api/v1/score-records/:id/approve': 'VILLAGE_ADMIN',
  'POST /api/v1/score-records/:id/correct': 'VILLAGE_ADMIN',
  'POST /api/v1/score-records/:id/objections': 'ADMIN CLERK SCORER TOWNSHIP VILLAGER VILLAGE_ADMIN',
  'POST /api/v1/score-records/:id/reject': 'VILLAGE_ADMIN',
  'POST /api/v1/score-records/batch': 'SCORER VILLAGE_ADMIN',
  'POST /api/v1/score-records/review': 'VILLAGE_ADMIN',
  'GET /api/v1/townships': 'ADMIN TOWNSHIP',
  'POST /api/v1/townships': 'ADMIN',
  'GET /api/v1/townships/:id': 'ADMIN TOWNSHIP',
  'PATCH /api/v1/townships/:id': 'ADMIN',
  'PUT /api/v1/townships/:id/opening-cap': 'ADMIN TOWNSHIP',
  'GET /api/v1/users': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'POST /api/v1/users': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'GET /api/v1/users/:id': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'PATCH /api/v1/users/:id': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'POST /api/v1/users/:id/confirm': 'ADMIN TOWNSHIP',
  'GET /api/v1/villages': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'POST /api/v1/villages': 'ADMIN',
  'GET /api/v1/villages/:id': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'PATCH /api/v1/villages/:id': 'ADMIN TOWNSHIP',
  'POST /api/v1/villages/:id/groups': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'GET /api/v1/villages/:id/list-candidates': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'POST /api/v1/villages/:id/list-entries': 'VILLAGE_ADMIN',
  'GET /api/v1/villages/:id/lists': 'public',
  'POST /api/v1/villages/:id/lists/publish': 'VILLAGE_ADMIN',
  'GET /api/v1/villages/:id/ranking': 'public',
  'PUT /api/v1/villages/:id/ranking-settings': 'VILLAGE_ADMIN',
  'GET /api/v1/villages/:id/ranking-snapshots': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'POST /api/v1/villages/:id/ranking-snapshots': 'VILLAGE_ADMIN',
  'PUT /api/v1/villages/:id/reset-settings': 'VILLAGE_ADMIN',
  'POST /api/v1/villages/:id/rules/copy-templates': 'VILLAGE_ADMIN',
  'GET /api/v1/villages/:id/stars': 'public',
  'GET /households': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'POST /households': 'VILLAGE_ADMIN',
  'GET /households/:id': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'POST /households/:id': 'VILLAGE_ADMIN',
  'POST /households/:id/members': 'VILLAGE_ADMIN',
  'POST /households/:id/members/:memberId/remove': 'VILLAGE_ADMIN',
  'POST /households/:id/move-out': 'VILLAGE_ADMIN',
  'GET /households/:id/passbook': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'GET /households/:id/passbook.csv': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'GET /households/:id/passbook.xlsx': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'POST /households/:id/pin': 'VILLAGE_ADMIN',
  'GET /households/export.csv': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'GET /households/export.xlsx': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'GET /households/import': 'VILLAGE_ADMIN',
  'POST /households/import': 'VILLAGE_ADMIN',
  'GET /households/new': 'VILLAGE_ADMIN',
  'GET /households/opening': 'VILLAGE_ADMIN',
  'POST /households/opening': 'VILLAGE_ADMIN',
  'GET /ledger/verify': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'GET /login': 'public',
  'POST /login': 'public',
  'POST /logout': 'public',
  'POST /objections/:id/resolve': 'VILLAGE_ADMIN',
  'POST /prefs/text-size': 'public',
  'GET /public/villages/:id': 'public',
  'GET /publications': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'POST /publications': 'VILLAGE_ADMIN',
  'GET /publications/:id': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'POST /publications/:id/close': 'VILLAGE_ADMIN',
  'GET /rules': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'POST /rules': 'VILLAGE_ADMIN',
  // A village's rule: only its committee (the township edits its template rules; rules.e2e covers those).
  'POST /rules/:id': 'VILLAGE_ADMIN',
  'POST /rules/:id/active': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  // A village's rule: only its committee (the township edits its template rules; rules.e2e covers those).
  'GET /rules/:id/edit': 'VILLAGE_ADMIN',
  'GET /rules/copy': 'VILLAGE_ADMIN',
  'POST /rules/copy': 'VILLAGE_ADMIN',
  'GET /rules/new': 'VILLAGE_ADMIN',
  'GET /rules/templates': 'ADMIN TOWNSHIP',
  'POST /rules/templates': 'ADMIN TOWNSHIP',
  'GET /rules/templates/new': 'ADMIN TOWNSHIP',
  'GET /score-records/:id/evidence': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'GET /scoring/batch': 'SCORER VILLAGE_ADMIN',
  'POST /scoring/batch': 'SCORER VILLAGE_ADMIN',
  'GET /scoring/new': 'SCORER VILLAGE_ADMIN',
  'POST /scoring/new': 'SCORER VILLAGE_ADMIN',
  'GET /scoring/review': 'VILLAGE_ADMIN',
  'POST /scoring/review': 'VILLAGE_ADMIN',
  'POST /scoring/review/:id/approve': 'VILLAGE_ADMIN',
  'GET /households/:id/certificates': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'POST /households/:id/certificates': 'VILLAGE_ADMIN',
  'GET /certificates/:id': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'POST /certificates/:id/revoke': 'VILLAGE_ADMIN',
  'GET /verify': 'public',
  'GET /verify/:code': 'public',
  'POST /api/v1/households/:id/certificates': 'VILLAGE_ADMIN',
  'GET /api/v1/certificates/verify/:code': 'public',
  'POST /api/v1/certificates/:id/revoke': 'VILLAGE_ADMIN',
  'GET /households/door-plates': 'CLERK SCORER VILLAGE_ADMIN',
  'GET /households/:id/door-plate': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'GET /audit': 'ADMIN TOWNSHIP',
  'GET /api/v1/audit-logs': 'ADMIN TOWNSHIP',
  'GET /rankings': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'POST /rankings/snapshots': 'VILLAGE_ADMIN',
  'GET /rankings/export.csv': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'GET /rankings/export.xlsx': 'ADMIN CLERK SCORER TOWNSHIP VILLAGE_ADMIN',
  'GET /rankings/snapshots/:id': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'POST /rankings/snapshots/:id/approve': 'TOWNSHIP',
  'POST /rankings/snapshots/:id/return': 'TOWNSHIP',
  'GET /rankings/settings': 'VILLAGE_ADMIN',
  'POST /rankings/settings': 'VILLAGE_ADMIN',
  'GET /api/v1/townships/:id/overview': 'ADMIN TOWNSHIP',
  'GET /api/v1/townships/:id/fairness': 'ADMIN TOWNSHIP',
  'GET /township': 'ADMIN TOWNSHIP',
  'GET /township/export.csv': 'ADMIN TOWNSHIP',
  'GET /township/export.xlsx': 'ADMIN TOWNSHIP',
  'GET /township/reviews': 'TOWNSHIP',
  'GET /lists': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'POST /lists/entries': 'VILLAGE_ADMIN',
  'POST /lists/publish': 'VILLAGE_ADMIN',
  'POST /lists/:id/lift': 'VILLAGE_ADMIN',
  'POST /lists/:id/withdraw': 'TOWNSHIP',
  'GET /lists/export.csv': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'GET /lists/export.xlsx': 'ADMIN TOWNSHIP VILLAGE_ADMIN',
  'GET /supermarket/counter': 'CLERK VILLAGE_ADMIN',
  'POST /supermarket/counter/review': 'CLERK VILLAGE_ADMIN',
  'POST /supermarket/counter/confirm': 'CLERK VILLAGE_ADMIN',
  'GET /supermarket/redemptions': 'CLERK VILLAGE_ADMIN',
  'GET /supermarket/redemptions/:id': 'CLERK VILLAGE_ADMIN',
  'POST /supermarket/redemptions/:id/cancel': 'CLERK VILLAGE_ADMIN',
  'GET /supermarket/goods': 'CLERK VILLAGE_ADMIN',
  'GET /supermarket/goods/new': 'CLERK VILLAGE_ADMIN',
  'POST /supermarket/goods/new': 'CLERK VILLAGE_ADMIN',
  'GET /supermarket/goods/:id': 'CLERK VILLAGE_ADMIN',
  'GET /supermarket/goods/:id/edit': 'CLERK VILLAGE_ADMIN',
  'POST /supermarket/goods/:id/edit': 'CLERK VILLAGE_ADMIN',
  'GET /supermarket/goods/:id/stock-in': 'CLERK VILLAGE_ADMIN',
  'POST /supermarket/goods/:id/stock-in': 'CLERK VILLAGE_ADMIN',
  'GET /supermarket/goods/:id/stock-take': 'CLERK VILLAGE_ADMIN',
  'POST /supermarket/goods/:id/stock-take': 'CLERK VILLAGE_ADMIN',
  'GET /supermarket/reports': 'CLERK VILLAGE_ADMIN',
  'GET /supermarket/reports/stock.csv': 'CLERK VILLAGE_ADMIN',
  'GET /supermarket/reports/stock.xlsx': 'CLERK VILLAGE_ADMIN',
  'GET /supermarket/reports/donors.csv': 'CLERK VILLAGE_ADMIN',
  'GET /supermarket/reports/donors.xlsx': 'CLERK VILLAGE_ADMIN',
  'GET /supermarket/reports/redemptions.csv': 'CLERK VILLAGE_ADMIN',
  'GET /supermarket/reports/redemptions.xlsx': 'CLERK VILLAGE_ADMIN',
  'GET /supermarket/settings': 'VILLAGE_ADMIN',
  'POST /supermarket/settings': 'VILLAGE_ADMIN',
  'GET /villager': 'public',
  'GET /villager/declare': 'VILLAGER',
  'POST /villager/declare': 'VILLAGER',
  'POST /villager/login': 'public',
  'POST /villager/objections/:recordId': 'VILLAGER',
  'GET /villager/passbook': 'VILLAGER',
};

type Actor = Role | 'ANONYMOUS' | 'NEIGHBOUR';

/** Writes that would take a login away from the rest of the test (a PIN reset, a deactivation, logging out). */
const NOT_CALLED_WHEN_ALLOWED = [
  /\/active$/,
  /\/pin$/,
  /\/move-out$/,
  /password$/,
  /^POST \/logout$/,
  /^POST \/login$/,
  /^POST \/villager\/login$/,
  /^POST \/api\/v1\/auth\//,
];

describe('the access matrix: every route × every role', () => {
  let t: TestApp;
  let world: Awaited<ReturnType<typeof createWorld>>;

  beforeAll(async () => {
    t = await createTestApp({ env: { PUBLICATION_MIN_DAYS: '0' } });
    world = await createWorld(t);
  });
  afterAll(() => t.close());

  it('should have exactly one rule in the table for every route of the app', () => {
    const keys = appRoutes(t.app).map(routeKey);
    expect(keys.filter((k) => !(k in ACCESS))).toEqual([]);
    expect(Object.keys(ACCESS).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('should let in exactly the roles the table names, and the committee of another village nowhere in this one', async () => {
    const wrong: string[] = [];
    const agents = new Map<
      Actor,
      Awaited<ReturnType<typeof world.agent>> | ReturnType<typeof request.agent>
    >();
    const agentOf = async (actor: Actor) => {
      if (!agents.has(actor))
        agents.set(actor, actor === 'ANONYMOUS' ? request.agent(t.http) : await world.agent(actor));
      return agents.get(actor)!;
    };
    const neighbourToken = await t.token(world.scene.neighbourAdmin.username, 'test-pass-2026');
    const calls: { key: string; actor: Actor; allowed: boolean }[] = [];
    for (const route of appRoutes(t.app)) {
      const key = routeKey(route);
      const rule = ACCESS[key];
      if (!rule) continue;
      for (const actor of ['ANONYMOUS', ...ROLES, 'NEIGHBOUR'] as Actor[]) {
        const role = actor === 'NEIGHBOUR' ? 'VILLAGE_ADMIN' : actor;
        let allowed =
          rule === 'public' ||
          (actor !== 'ANONYMOUS' && (rule === 'login' || rule.split(' ').includes(role)));
        // The neighbour's committee may use its own village's lists and forms, but no target of this village.
        if (
          actor === 'NEIGHBOUR' &&
          rule !== 'public' &&
          route.path.includes(':') &&
          !route.path.startsWith('/api/v1/townships/')
        )
          allowed = false;
        calls.push({ key, actor, allowed });
      }
    }
    // Refusals first (they never run a handler), then the allowed reads, then the allowed writes.
    const order = (c: (typeof calls)[number]) => (!c.allowed ? 0 : c.key.startsWith('GET') ? 1 : 2);
    calls.sort((a, b) => order(a) - order(b));
    for (const { key, actor, allowed } of calls) {
      if (allowed && key.split(' ')[0] !== 'GET' && NOT_CALLED_WHEN_ALLOWED.some((p) => p.test(key)))
        continue;
      const [method, path] = key.split(' ');
      const url = world.fill(path);
      let status: number;
      let location = '';
      if (path.startsWith('/api/')) {
        const req = request(t.http)[method.toLowerCase() as 'get'](url);
        const token =
          actor === 'ANONYMOUS' ? null : actor === 'NEIGHBOUR' ? neighbourToken : world.tokens[actor];
        const res = await (token ? req.set(auth(token)) : req).send(method === 'GET' ? undefined : {});
        status = res.status;
      } else {
        const agent = await agentOf(actor);
        if (method === 'GET') {
          const res = await agent.get(url).redirects(0);
          status = res.status;
          location = String(res.headers.location ?? '');
        } else {
          const home = await agent.get(
            actor === 'VILLAGER' ? '/villager' : actor === 'ANONYMOUS' ? '/login' : '/',
          );
          const csrf = /name="_csrf" value="([^"]+)"/.exec(home.text)?.[1] ?? '';
          const res = await agent[method.toLowerCase() as 'post'](`${url}?_csrf=${encodeURIComponent(csrf)}`)
            .type('form')
            .send({ _csrf: csrf })
            .redirects(0);
          status = res.status;
          location = String(res.headers.location ?? '');
        }
      }
      // No login: 401, or a page sends the visitor to log in (staff pages to /login, the household's to /villager).
      const refusedLogin =
        status === 401 ||
        (status === 303 &&
          (location.startsWith('/login') || (actor === 'ANONYMOUS' && location.startsWith('/villager'))));
      const refused = status === 403 || refusedLogin || (actor === 'ANONYMOUS' && status === 403);
      if (allowed && (status === 403 || refusedLogin))
        wrong.push(`${key} as ${actor}: refused with ${status} but the table lets it in`);
      if (!allowed && !refused) wrong.push(`${key} as ${actor}: answered ${status} but the table refuses it`);
      if (!allowed && actor === 'ANONYMOUS' && status === 403 && path.startsWith('/api/'))
        wrong.push(`${key} with no login: 403, expected 401`);
      if (status >= 500) wrong.push(`${key} as ${actor}: ${status}`);
    }
    expect(wrong).toEqual([]);
  });
});

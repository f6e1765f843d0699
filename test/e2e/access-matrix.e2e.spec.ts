import { jest } from '@jest/globals';
import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';
import { appRoutes, routeKey } from '../support/routes.js';
import { createWorld, ROLES, type Role } from '../support/world.js';

jest.setTimeout(300_000);

/**
 * Who may call what comes from the code: each route's `@Allow(Permission.X)` (read from Nest's route metadata) and the
 * one role → permissions table (src/access/permissions.ts), or `@Public()`. Every route is then called by every role,
 * with no login, and by the committee of a neighbouring village, and must let in exactly the roles the table gives.
 */
/** Routes whose service lets in fewer roles than the permission, for the targets this test uses. */
const NARROWER: Record<string, Role[]> = {
  // A village's rule: only its committee (the township edits its template rules; rules.e2e covers those).
  'PATCH /api/v1/rules/:id': ['VILLAGE_ADMIN'],
  'POST /rules/:id': ['VILLAGE_ADMIN'],
  'GET /rules/:id/edit': ['VILLAGE_ADMIN'],
  // A loan officer too is refused without a household's consent code (bank-consents.e2e covers the code's way in).
  'GET /api/v1/bank/households': [],
  'POST /bank/lookup': [],
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

  it('should have every route either public or allowed by a permission some role holds', () => {
    const routes = appRoutes(t.app);
    expect(routes.filter((r) => r.access !== 'public' && r.access.length === 0).map(routeKey)).toEqual([]);
    const keys = routes.map(routeKey);
    expect(Object.keys(NARROWER).filter((k) => !keys.includes(k))).toEqual([]);
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
      const rule = route.access === 'public' ? 'public' : (NARROWER[key] ?? route.access);
      for (const actor of ['ANONYMOUS', ...ROLES, 'NEIGHBOUR'] as Actor[]) {
        const role = actor === 'NEIGHBOUR' ? 'VILLAGE_ADMIN' : actor;
        let allowed = rule === 'public' || (actor !== 'ANONYMOUS' && rule.includes(role as Role));
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

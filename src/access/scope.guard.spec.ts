import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import type { Actor } from './actor.js';
import { InScope, ScopeGuard } from './scope.guard.js';

/** A handler decorated as a real route would be, and a request carrying the actor and the id. */
function contextFor(handler: () => void, req: object): ExecutionContext {
  return {
    getHandler: () => handler,
    getClass: () => Object,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

const villages: Record<number, { townshipId: number; villageId: number }> = {
  10: { townshipId: 1, villageId: 10 },
  20: { townshipId: 2, villageId: 20 },
};
// Answers as the PostgreSQL driver would: plain queries go to `query` (on SQLite they go to the connection itself).
const fakeDataSource = {
  options: { type: 'postgres' },
  query: async (_sql: string, [id]: [number]) => (villages[id] ? [villages[id]] : []),
} as unknown as DataSource;

const scorer: Actor = {
  kind: 'user',
  id: 1,
  username: 's',
  displayName: 's',
  role: 'SCORER',
  townshipId: 1,
  villageId: 10,
  householdId: null,
  ip: null,
};

describe('ScopeGuard', () => {
  const guard = new ScopeGuard(new Reflector(), fakeDataSource);
  class Routes {
    @InScope('village', 'params.id')
    byParam() {}
    @InScope('village', 'body.villageId')
    byBody() {}
    open() {}
  }
  const routes = new Routes();

  it('should let a route with no scope through', async () => {
    await expect(guard.canActivate(contextFor(routes.open, { actor: scorer }))).resolves.toBe(true);
  });

  it('should let the actor act on its own village', async () => {
    await expect(
      guard.canActivate(contextFor(routes.byParam, { actor: scorer, params: { id: '10' } })),
    ).resolves.toBe(true);
  });

  it('should refuse another village with 403', async () => {
    await expect(
      guard.canActivate(contextFor(routes.byParam, { actor: scorer, params: { id: '20' } })),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
    });
  });

  it('should answer 404 for a village that does not exist or an id that is not a number', async () => {
    for (const id of ['999', 'abc', '-1']) {
      await expect(
        guard.canActivate(contextFor(routes.byParam, { actor: scorer, params: { id } })),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    }
  });

  it('should ask for the village when a body names none', async () => {
    await expect(
      guard.canActivate(contextFor(routes.byBody, { actor: scorer, body: {} })),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { villageId: '请选择村' },
    });
    await expect(
      guard.canActivate(contextFor(routes.byBody, { actor: scorer, body: { villageId: 10 } })),
    ).resolves.toBe(true);
  });
});

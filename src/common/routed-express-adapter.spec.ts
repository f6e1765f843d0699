import 'reflect-metadata';
import { Controller, Get, Param } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Request, Response } from 'express';
import request from 'supertest';
import { RoutedExpressAdapter, routeGroup } from './routed-express-adapter.js';

const answer = (text: string) => (req: Request, res: Response) =>
  res.send(`${text} ${JSON.stringify(req.params)}`);

/** An adapter with routes registered as Nest registers them, and Nest's last-resort handler after them. */
function appWith(routes: [method: 'get' | 'post', path: string, text: string][]) {
  const adapter = new RoutedExpressAdapter();
  for (const [method, path, text] of routes) adapter[method](path, answer(text));
  adapter.getInstance().use((_req: Request, res: Response) => res.status(404).send('none'));
  return adapter.getInstance();
}

describe('routeGroup', () => {
  it('should group a path by its first segment, and an API path by its resource', () => {
    expect(routeGroup('/villager/passbook?page=2')).toBe('villager');
    expect(routeGroup('/Villager')).toBe('villager');
    expect(routeGroup('/')).toBe('');
    expect(routeGroup('/api/v1/households/5/passbook')).toBe('api/v1/households');
    expect(routeGroup('/api/docs-json')).toBe('api');
  });

  it('should give no group when the part that picks it is a parameter or missing', () => {
    expect(routeGroup('/:code')).toBeNull();
    expect(routeGroup('/api/v1/:resource')).toBeNull();
    expect(routeGroup('/api/v1')).toBeNull();
  });
});

describe('RoutedExpressAdapter', () => {
  const app = appWith([
    ['get', '/households/import', 'import'],
    ['get', '/households/:id', 'household'],
    ['post', '/households/:id', 'edit'],
    ['get', '/api/v1/households/:id/passbook', 'api passbook'],
    ['get', '/:code', 'door plate'],
    ['get', '/', 'start'],
  ]);

  it('should answer each path from its own route, in the order routes were registered', async () => {
    expect((await request(app).get('/households/import')).text).toBe('import {}');
    expect((await request(app).get('/households/7')).text).toBe('household {"id":"7"}');
    expect((await request(app).post('/households/7')).text).toBe('edit {"id":"7"}');
    expect((await request(app).get('/api/v1/households/7/passbook')).text).toBe('api passbook {"id":"7"}');
    expect((await request(app).get('/')).text).toBe('start {}');
  });

  it('should match without regard to case, as Express does', async () => {
    expect((await request(app).get('/Households/7')).text).toBe('household {"id":"7"}');
  });

  it('should still reach a route that begins with a parameter when no group takes the path', async () => {
    expect((await request(app).get('/V001-0001')).text).toBe('door plate {"code":"V001-0001"}');
    expect((await request(app).get('/households/7/unknown')).status).toBe(404);
  });

  it('should read a setting, not register a route, when given one argument', () => {
    const adapter = new RoutedExpressAdapter();
    adapter.set('etag', false);
    expect((adapter.get as unknown as (setting: string) => unknown)('etag')).toBe(false);
  });

  @Controller('widgets')
  class WidgetsController {
    @Get(':id')
    one(@Param('id') id: string) {
      return { id };
    }
  }

  it('should receive every route of a real Nest app through the adapter’s methods (decision 001)', async () => {
    const adapter = new RoutedExpressAdapter();
    const moduleRef = await Test.createTestingModule({ controllers: [WidgetsController] }).compile();
    const app = moduleRef.createNestApplication(adapter, { logger: false });
    await app.init();
    try {
      // Had Nest registered the route on Express itself, it would answer as well, only without its group.
      expect([...(adapter as unknown as { groups: Map<string, unknown> }).groups.keys()]).toEqual([
        'widgets',
      ]);
      expect((await request(app.getHttpServer()).get('/widgets/7')).body).toEqual({ id: '7' });
    } finally {
      await app.close();
    }
  });
});

import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth } from '../support/factories.js';

describe('bad input never gets a 500', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.adminToken();
  });
  afterAll(() => t.close());

  it('should answer broken JSON with 400 in the error shape', async () => {
    const res = await request(t.http)
      .post('/api/v1/townships')
      .set(auth(admin))
      .set('Content-Type', 'application/json')
      .send('{"name": "镇",');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { code: 'VALIDATION_FAILED', message: '提交的 JSON 格式不正确', details: {} },
    });
  });

  it('should answer a body over 1 MB with 413 in the error shape', async () => {
    const res = await request(t.http)
      .post('/api/v1/townships')
      .set(auth(admin))
      .send({ name: 'x'.repeat(1_100_000), code: 'BIG' });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it.each([
    ['an array', [1, 2, 3]],
    ['numbers for text', { name: 12, code: 34 }],
    ['nested objects', { name: { $gt: '' }, code: ['A'] }],
    ['very long text', { name: '镇'.repeat(5000), code: 'LONG' }],
  ])('should answer %s with 400 and create nothing', async (_label, body) => {
    const res = await request(t.http)
      .post('/api/v1/townships')
      .set(auth(admin))
      .send(body as object);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM township'))[0].n)).toBe(0);
  });

  it('should answer a non-numeric id with 404', async () => {
    const res = await request(t.http).get('/api/v1/villages/abc').set(auth(admin));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('should serve the OpenAPI description with the API.md paths', async () => {
    const res = await request(t.http).get('/api/docs-json');
    expect(res.status).toBe(200);
    for (const path of [
      '/api/v1/auth/login',
      '/api/v1/auth/villager-login',
      '/api/v1/townships',
      '/api/v1/villages',
      '/api/v1/users',
    ]) {
      expect(Object.keys(res.body.paths)).toContain(path);
    }
    expect((await request(t.http).get('/api/docs')).status).toBe(200);
  });
});

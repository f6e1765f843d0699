import request from 'supertest';
import { createTestApp, TestApp } from '../support/create-test-app.js';
import { auth, createTestCounty } from '../support/factories.js';

describe('probe', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());
  it('edge', async () => {
    const county = await createTestCounty(t);
    const token = await county.villageAdmin.token();
    const url = `/api/v1/households/import?villageId=${county.village.id}`;
    const f = Buffer.from('户主姓名,家庭人口\n甲,1\n');
    const a = await request(t.http).post(url).set(auth(token)).attach('upload', f, 'x.csv');
    console.log('wrong field', a.status, JSON.stringify(a.body));
    const b = await request(t.http).post(url).set(auth(token)).attach('file', f, 'x.csv').attach('file', f, 'y.csv');
    console.log('two', b.status, JSON.stringify(b.body));
    const c = await request(t.http).post(url).set(auth(token)).send({ a: 1 });
    console.log('json', c.status, JSON.stringify(c.body));
    const d = await request(t.http).post(url).set(auth(token)).attach('file', Buffer.from([0xd0,0xcf,0x11,0xe0,0xa1,0xb1,0x1a,0xe1,0,0,0,0]), 'x.xls');
    console.log('xls', d.status, JSON.stringify(d.body));
    const e = await request(t.http).post(url).set(auth(token)).attach('file', Buffer.from('%PDF-1.4\n\x00\x01\x02binary'), 'x.pdf');
    console.log('pdf', e.status, JSON.stringify(e.body));
    const g = await request(t.http).post(`/api/v1/households/import`).set(auth(token)).attach('file', f, 'x.csv');
    console.log('novillage', g.status, JSON.stringify(g.body));
  }, 300000);
});

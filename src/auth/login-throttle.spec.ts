import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { LoginAttempts1764600000000 } from '../database/migrations/1764600000000-LoginAttempts.js';
import { ReadCache } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import { VillageChanges } from '../database/village-changes.js';
import {
  failureMessage,
  LOGIN_LIMITS,
  LoginThrottle,
  type Reservation,
  type ThrottleKey,
  throttleKey,
} from './login-throttle.js';

describe('LoginThrottle (counts in the database, reserved before the check)', () => {
  let dir: string;
  let dataSource: DataSource;
  let now: number;

  const newThrottle = () => {
    const throttle = new LoginThrottle(
      dataSource,
      new Transactions(dataSource, new VillageChanges(dataSource, new ReadCache())),
    );
    throttle.now = () => now;
    return throttle;
  };
  const account = (name: string): ThrottleKey => ({
    key: `u:${name}`,
    limit: LOGIN_LIMITS.account,
    personal: true,
  });
  const address = (ip: string): ThrottleKey => ({
    key: `ip:${ip}`,
    limit: LOGIN_LIMITS.address,
    personal: false,
  });
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error as DomainError,
    );

  beforeEach(async () => {
    now = 1_800_000_000_000;
    dir = mkdtempSync(join(tmpdir(), 'vp-throttle-'));
    dataSource = await new DataSource({ type: 'better-sqlite3', database: join(dir, 't.db') }).initialize();
    const runner = dataSource.createQueryRunner();
    await new LoginAttempts1764600000000().up(runner);
    await runner.release();
  });

  afterEach(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should let only five of thirty tries sent at once through when they guess at one account', async () => {
    const throttle = newThrottle();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        refusal(throttle.reserve([account('zhang'), address(`10.0.0.${i}`)])),
      ),
    );
    expect(results.filter((r) => r === null)).toHaveLength(5);
    expect(results.filter((r) => r?.code === 'RATE_LIMITED')).toHaveLength(25);
    // A refused try counts against no key: the addresses of the 25 refused tries are untouched.
    const rows = await dataSource.query(`SELECT COUNT(*) AS n FROM login_attempt WHERE "key" LIKE 'ip:%'`);
    expect(Number(rows[0].n)).toBe(5);
  });

  it('should be seen by a second throttle on the same database when the first counted the failures', async () => {
    for (let i = 0; i < 5; i++) await newThrottle().reserve([account('li')]);
    const error = await refusal(newThrottle().reserve([account('li')]));
    expect(error?.code).toBe('RATE_LIMITED');
    expect(error?.details.retryAfterSeconds).toBe(600);
  });

  it('should start a new window when the first failure is ten minutes old', async () => {
    const throttle = newThrottle();
    for (let i = 0; i < 5; i++) {
      await throttle.reserve([account('wang')]);
      now += 60_000;
    }
    expect((await refusal(throttle.reserve([account('wang')])))?.details.retryAfterSeconds).toBe(300);
    now += 300_000;
    const fresh = await throttle.reserve([account('wang')]);
    expect(fresh.keys[0].failures).toBe(1);
  });

  it('should clear the account and give the address its try back when the login succeeds', async () => {
    const throttle = newThrottle();
    for (let i = 0; i < 4; i++) await throttle.reserve([account('zhao'), address('1')]);
    await throttle.succeeded(await throttle.reserve([account('zhao'), address('1')]));
    const next = await throttle.reserve([account('zhao'), address('1')]);
    expect(next.keys.map((k) => [k.key, k.failures])).toEqual([
      ['ip:1', 5],
      ['u:zhao', 1],
    ]);
  });

  it('should say how many tries remain, and how long to wait once none does', () => {
    const tries = (failures: number, windowStart = now): Reservation => ({
      at: now,
      keys: [{ ...account('a'), failures, windowStart }],
    });
    expect(failureMessage('户号或密码(PIN)错误', tries(2))).toBe('户号或密码(PIN)错误，还可以再试 3 次');
    expect(failureMessage('户号或密码(PIN)错误', tries(5, now - 120_000))).toBe(
      '户号或密码(PIN)错误，错误次数过多，请 8 分钟后再试',
    );
  });

  it('should keep odd typed values out of the key text when they are not plain ASCII', () => {
    expect(throttleKey('u', 'ty_admin')).toBe('u:ty_admin');
    expect(throttleKey('u', 'a\u0000b')).toMatch(/^u#[0-9a-f]{40}$/);
    expect(throttleKey('u', '张三')).toMatch(/^u#[0-9a-f]{40}$/);
  });
});

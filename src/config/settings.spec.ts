import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings, SettingsError } from './settings.js';

describe('loadSettings', () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), 'vp-settings-'));
  const secret = 'x'.repeat(40);

  it('should use the documented defaults when the environment is empty', () => {
    const s = loadSettings({ SESSION_SECRET: secret }, { dataDir: dataDir() });
    expect(s.port).toBe(3000);
    expect(s.databaseUrl).toBe('sqlite:data/points.db');
    expect(s.seed).toBe('demo');
    expect(s.publicationMinDays).toBe(1);
    expect(s.isPostgres).toBe(false);
  });

  it('should hash secrets at scrypt 2^15 unless told, and below 2^15 only under test', () => {
    expect(loadSettings({ SESSION_SECRET: secret }, { dataDir: dataDir() }).secretHashCost).toBe(15);
    expect(
      loadSettings({ SESSION_SECRET: secret, SECRET_HASH_COST: '17' }, { dataDir: dataDir() }).secretHashCost,
    ).toBe(17);
    expect(() =>
      loadSettings({ SESSION_SECRET: secret, SECRET_HASH_COST: '10' }, { dataDir: dataDir() }),
    ).toThrow('SECRET_HASH_COST 必须是 15–20 之间的整数（更低的值只用于测试）');
    expect(
      loadSettings(
        { SESSION_SECRET: secret, SECRET_HASH_COST: '10', NODE_ENV: 'test' },
        { dataDir: dataDir() },
      ).secretHashCost,
    ).toBe(10);
    expect(() =>
      loadSettings(
        { SESSION_SECRET: secret, SECRET_HASH_COST: '9', NODE_ENV: 'test' },
        { dataDir: dataDir() },
      ),
    ).toThrow(SettingsError);
  });

  it('should read PostgreSQL and numbers when they are given', () => {
    const s = loadSettings(
      {
        PORT: '8080',
        DATABASE_URL: 'postgres://u@h:5432/db',
        PUBLICATION_MIN_DAYS: '0',
        SEED: 'none',
        SESSION_SECRET: secret,
      },
      { dataDir: dataDir() },
    );
    expect(s.port).toBe(8080);
    expect(s.isPostgres).toBe(true);
    expect(s.publicationMinDays).toBe(0);
    expect(s.seed).toBe('none');
  });

  it('should name every bad value in Chinese when several settings are wrong', () => {
    let error: unknown;
    try {
      loadSettings(
        {
          PORT: 'abc',
          DATABASE_URL: 'mysql://x',
          SEED: 'all',
          PUBLICATION_MIN_DAYS: '30',
          SESSION_SECRET: secret,
        },
        { dataDir: dataDir() },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    const text = (error as SettingsError).message;
    expect(text).toContain('PORT');
    expect(text).toContain('DATABASE_URL');
    expect(text).toContain('SEED');
    expect(text).toContain('PUBLICATION_MIN_DAYS');
  });

  it('should refuse a short SESSION_SECRET and a short ADMIN_PASSWORD', () => {
    expect(() => loadSettings({ SESSION_SECRET: 'short' }, { dataDir: dataDir() })).toThrow(/SESSION_SECRET/);
    expect(() =>
      loadSettings({ SESSION_SECRET: secret, ADMIN_PASSWORD: '123' }, { dataDir: dataDir() }),
    ).toThrow(/ADMIN_PASSWORD/);
  });

  it('should generate a session secret once and keep it when SESSION_SECRET is absent', () => {
    const dir = dataDir();
    const first = loadSettings({}, { dataDir: dir }).sessionSecret;
    const second = loadSettings({}, { dataDir: dir }).sessionSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(second).toBe(first);
    expect(readFileSync(join(dir, 'session-secret'), 'utf8').trim()).toBe(first);
  });
});

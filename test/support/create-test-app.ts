import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import Database from 'better-sqlite3';
import type { NextFunction, Request, Response } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { SchedulerRegistry } from '@nestjs/schedule';
import { getDataSourceToken } from '@nestjs/typeorm';
import pg from 'pg';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';
import { loadSettings, Settings } from '../../src/config/settings.js';
import { REPLAY_HEADER } from '../../src/common/idempotency.js';
import { RoutedExpressAdapter } from '../../src/common/routed-express-adapter.js';
import { invariantProblems } from './invariants.js';

export const TEST_ADMIN = { username: 'admin', password: 'admin-pass-2026' };

export interface TestApp {
  app: INestApplication;
  http: ReturnType<INestApplication['getHttpServer']>;
  settings: Settings;
  dataSource: DataSource;
  /** A bearer token for a staff account. */
  token(username: string, password: string): Promise<string>;
  adminToken(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real app module on a fresh database: a new SQLite file, or a new PostgreSQL database when TEST_DATABASE_URL
 * is set (created here, dropped on close), so that test files never see each other's data.
 */
export async function createTestApp(
  options: { seed?: 'demo' | 'none'; env?: Record<string, string>; sameDatabaseAs?: TestApp } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vp-test-'));
  const env = (url: string) => ({
    DATABASE_URL: url,
    SEED: options.seed ?? 'none',
    SESSION_SECRET: options.sameDatabaseAs?.settings.sessionSecret ?? randomBytes(32).toString('hex'),
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    // Passwords and PINs hashed with scrypt N=2^10 instead of 2^15: four fifths of some files' time (password.ts).
    NODE_ENV: 'test',
    SECRET_HASH_COST: '10',
    ...options.env,
  });
  // A second server on the first one's database (the first one drops it when it closes).
  const database = options.sameDatabaseAs
    ? { url: options.sameDatabaseAs.settings.databaseUrl, drop: async () => undefined }
    : await freshDatabase(dataDir, {
        // What the app writes at start for these settings (migrations, the first admin, the demo county): made once
        // per Jest run on PostgreSQL and copied, as each file would otherwise make it again.
        key: `${options.seed ?? 'none'}_${createHash('sha1')
          .update(JSON.stringify(options.env ?? {}))
          .digest('hex')
          .slice(0, 8)}`,
        build: async (url) => {
          const dir = mkdtempSync(join(tmpdir(), 'vp-template-'));
          const built = await bootApp(loadSettings(env(url), { dataDir: dir }));
          await built.close();
          rmSync(dir, { recursive: true, force: true });
        },
      });
  const settings = loadSettings(env(database.url), { dataDir });
  const app = await bootApp(settings, watchAudit);
  const unaudited = (app as INestApplication & { unaudited: () => Promise<string[]> }).unaudited;
  const http = app.getHttpServer();
  const tokens = new Map<string, string>();
  const token = async (username: string, password: string) => {
    const key = `${username}:${password}`;
    if (!tokens.has(key)) {
      const res = await request(http).post('/api/v1/auth/login').send({ username, password });
      if (res.status !== 200)
        throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(key, res.body.token as string);
    }
    return tokens.get(key) as string;
  };
  return {
    app,
    http,
    settings,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    token,
    adminToken: () => token(TEST_ADMIN.username, TEST_ADMIN.password),
    close: async () => {
      // After every test file: a write that left no audit row, or a point or a unit of stock left wrong, fails the file.
      const problems = [
        ...(await unaudited()),
        ...(await invariantProblems(app).catch((error: unknown) => [`checker failed: ${String(error)}`])),
      ];
      if (problems.length > 0) {
        await app.close();
        await database.drop();
        throw new Error(
          `invariants broken or writes unaudited after this test file:\n${problems.slice(0, 20).join('\n')}`,
        );
      }
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The app module for these settings, started as main.ts starts it (scheduled jobs stopped, see below). */
async function bootApp(
  settings: Settings,
  watch?: (app: INestApplication) => () => Promise<string[]>,
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forSettings(settings)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(new RoutedExpressAdapter(), {
    bodyParser: false,
    logger: ['error'],
  });
  const unaudited = watch?.(app);
  configureApp(app);
  await app.init();
  stopScheduledJobs(app);
  return Object.assign(app, { unaudited: unaudited ?? (async () => []) });
}

/**
 * Scheduled jobs are off in tests: they call PublicationsScheduler.tick() and PointsResetService.runDue() when they
 * mean it. Stopped right after init, long before their first run (the shortest runs every 30 s).
 */
function stopScheduledJobs(app: INestApplication): void {
  const schedule = app.get(SchedulerRegistry);
  for (const name of schedule.getIntervals()) schedule.deleteInterval(name);
  for (const name of schedule.getTimeouts()) schedule.deleteTimeout(name);
  for (const name of schedule.getCronJobs().keys()) schedule.deleteCronJob(name);
}

/**
 * A new database for one test file: a SQLite file in `dataDir`, or on PostgreSQL (TEST_DATABASE_URL) a new database,
 * copied (CREATE DATABASE … TEMPLATE) from the run's template for `template.key` when Jest's global setup named the run:
 * the first file that asks builds the template (`build` starts the app on it), under an advisory lock, so that two
 * workers build it once. On PostgreSQL migrating a new database took 0.5 s and loading the demo county 3 s a file.
 */
export async function freshDatabase(
  dataDir: string,
  template?: { key: string; build: (url: string) => Promise<void> },
): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return { url: `sqlite:${await sqliteFile(dataDir, template)}`, drop: async () => undefined };
  const name = `vp_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const urlOf = (database: string) => {
    const url = new URL(base);
    url.pathname = `/${database}`;
    return url.toString();
  };
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    const run = process.env.VP_TEST_RUN;
    if (template && run && /^[a-f0-9]+$/.test(run)) {
      const source = `vp_tpl_${run}_${template.key}`;
      await admin.query('SELECT pg_advisory_lock(hashtext($1))', [source]);
      try {
        const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [source]);
        if (found.rowCount === 0) {
          const building = `${source}_new`;
          await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
          await admin.query(`CREATE DATABASE ${building}`);
          await template.build(urlOf(building));
          await admin.query(`ALTER DATABASE ${building} RENAME TO ${source}`);
        }
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${source}`);
      } finally {
        await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [source]);
      }
    } else await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: urlOf(name),
    drop: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * A SQLite file for one test file: a copy of the run's template file for `template.key` (in the run's folder under the
 * system's temporary folder, which global-teardown.mjs removes), built by the first file that asks. Two workers may
 * both build it; each builds under a name of its own and renames it into place, so a copy never reads half a file.
 * Migrating and loading the demo county took 1.0 s a file; copying takes a few milliseconds.
 */
async function sqliteFile(
  dataDir: string,
  template?: { key: string; build: (url: string) => Promise<void> },
): Promise<string> {
  const file = join(dataDir, 'test.db');
  const run = process.env.VP_TEST_RUN;
  if (!template || !run || !/^[a-f0-9]+$/.test(run)) return file;
  const folder = join(tmpdir(), `vp_tpl_${run}`);
  const source = join(folder, `${template.key}.db`);
  if (!existsSync(source)) {
    mkdirSync(folder, { recursive: true });
    const building = join(folder, `${template.key}.${process.pid}.${randomBytes(4).toString('hex')}.db`);
    await template.build(`sqlite:${building}`);
    // One file, nothing left in a write-ahead log beside it.
    const db = new Database(building);
    db.pragma('journal_mode = DELETE');
    db.close();
    renameSync(building, source);
  }
  copyFileSync(source, file);
  return file;
}

/** POSTs that change no data of the village: a display preference, logging out, the counter's check of a basket. */
const NOT_AUDITED = [/^\/prefs\//, /^\/logout$/, /^\/villager\/logout$/, /^\/supermarket\/counter\/review$/];

/**
 * Audit completeness, checked on every request of every test: a successful write (POST, PUT, PATCH, DELETE answered
 * 2xx or 3xx) by a logged-in person must leave at least one audit row naming that person. Answers the writes that did
 * not, when the file's app closes.
 */
function watchAudit(app: INestApplication): () => Promise<string[]> {
  const missing: string[] = [];
  const pending = new Set<Promise<void>>();
  const dataSource = () => app.get<DataSource>(getDataSourceToken());
  const lastId = async () =>
    Number((await dataSource().query('SELECT MAX(id) AS id FROM audit_log'))[0]?.id ?? 0);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method) || NOT_AUDITED.some((p) => p.test(req.path)))
      return next();
    lastId().then(
      (before) => {
        res.on('finish', () => {
          const actor = req.actor;
          // A repeat of an earlier request (same idempotency key) writes nothing, so it has nothing to audit.
          if (!actor || res.statusCode >= 400 || res.getHeader(REPLAY_HEADER)) return;
          const check = (async () => {
            const rows = await dataSource().query(
              `SELECT COUNT(*) AS n FROM audit_log WHERE id > ${before} AND "actorId" = ${actor.id} AND "actorType" = '${actor.kind.toUpperCase()}'`,
            );
            if (Number(rows[0].n) === 0)
              missing.push(`unaudited write: ${req.method} ${req.path} by ${actor.kind} ${actor.id}`);
          })().catch(() => undefined);
          pending.add(check);
          void check.finally(() => pending.delete(check));
        });
        next();
      },
      (error: unknown) => next(error),
    );
  });
  return async () => {
    await Promise.all([...pending]);
    return missing;
  };
}

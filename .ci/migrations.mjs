// CI: the migrations, from the built dist/, on a fresh database: all up, all down, all up again; then the
// `migrations` table must list every one of them. Used by .ci/run on the Node that does not run the full suite.
//   node .ci/migrations.mjs sqlite
//   node .ci/migrations.mjs postgres://postgres@127.0.0.1:5432/test
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URL } from 'node:url';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../dist/src/database/data-source.js';
import { MIGRATIONS } from '../dist/src/database/migrations/index.js';

const target = process.argv[2] ?? 'sqlite';
let databaseUrl;
let cleanUp;
if (target.startsWith('postgres')) {
  const name = `vp_migrations_${randomBytes(4).toString('hex')}`;
  const admin = async (sql) => {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(target);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  cleanUp = () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'vp-migrations-'));
  databaseUrl = `sqlite:${join(dir, 'migrations.db')}`;
  cleanUp = async () => rmSync(dir, { recursive: true, force: true });
}

const started = Date.now();
const dataSource = new DataSource({
  ...dataSourceOptions({ databaseUrl }),
  migrationsRun: false,
  logging: false,
});
try {
  await dataSource.initialize();
  const up = await dataSource.runMigrations({ transaction: 'each' });
  for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
  const again = await dataSource.runMigrations({ transaction: 'each' });
  const [{ n }] = await dataSource.query('SELECT COUNT(*) AS n FROM migrations');
  if (
    up.length !== MIGRATIONS.length ||
    again.length !== MIGRATIONS.length ||
    Number(n) !== MIGRATIONS.length
  )
    throw new Error(
      `expected ${MIGRATIONS.length} migrations; ran ${up.length}, then ${again.length}; table has ${n}`,
    );
  console.log(
    `migrations on ${dataSource.options.type} (Node ${process.version}): ${MIGRATIONS.length} up, down, up again ` +
      `in ${Date.now() - started} ms`,
  );
} finally {
  if (dataSource.isInitialized) await dataSource.destroy();
  await cleanUp();
}

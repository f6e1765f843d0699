import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * Removes the run's template databases (test/support/create-test-app.ts), once every file has finished: the SQLite
 * template files' folder, or the PostgreSQL template databases.
 */
export default async function globalTeardown() {
  const base = process.env.TEST_DATABASE_URL;
  const run = process.env.VP_TEST_RUN;
  if (!run || !/^[a-f0-9]+$/.test(run)) return;
  rmSync(join(tmpdir(), `vp_tpl_${run}`), { recursive: true, force: true });
  if (!base) return;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `vp_tpl_${run}_%`,
    ]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

import pg from 'pg';

/** Drops the run's PostgreSQL template databases (test/support/create-test-app.ts), once every file has finished. */
export default async function globalTeardown() {
  const base = process.env.TEST_DATABASE_URL;
  const run = process.env.VP_TEST_RUN;
  if (!base || !run) return;
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

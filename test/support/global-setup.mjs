import { randomBytes } from 'node:crypto';

/**
 * One id per Jest run, for the template databases (SQLite files or PostgreSQL databases) the run's test files are
 * copied from (test/support/create-test-app.ts); the workers inherit it. global-teardown.mjs removes them.
 */
export default function globalSetup() {
  process.env.VP_TEST_RUN ??= randomBytes(4).toString('hex');
}

import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source.js';
import type { MIGRATIONS } from '../../src/database/migrations/index.js';
import { freshDatabase } from './create-test-app.js';

/**
 * For a spec of one migration: a fresh database (SQLite, or PostgreSQL under TEST_DATABASE_URL) for the whole file,
 * opened with only the migrations given, and SQL written `$1` for both databases. Registers its own beforeAll and
 * afterAll.
 */
export function migrationDatabase() {
  let dataDir: string;
  let database: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vp-migration-'));
    database = await freshDatabase(dataDir);
  });

  afterAll(async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  return {
    /** The database with these migrations known (run them with `runMigrations`, undo with `undoLastMigration`). */
    open: async (migrations: typeof MIGRATIONS) => {
      const source = new DataSource({
        ...dataSourceOptions({ databaseUrl: database.url }),
        entities: [],
        migrations,
        migrationsRun: false,
      } as ConstructorParameters<typeof DataSource>[0]);
      await source.initialize();
      return source;
    },
    sql: (source: DataSource, text: string) =>
      source.query(source.options.type === 'postgres' ? text : text.replace(/\$\d+/g, '?')),
  };
}

import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { Settings } from '../config/settings.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';

/** One place that turns DATABASE_URL into TypeORM options; migrations run at start, never `synchronize`. */
export function dataSourceOptions(settings: Pick<Settings, 'databaseUrl'>): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
  } as const;
  if (settings.databaseUrl.startsWith('postgres')) {
    return { ...common, type: 'postgres', url: settings.databaseUrl, poolSize: 10 };
  }
  const file = settings.databaseUrl.replace(/^sqlite:/, '');
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: file,
    enableWAL: true,
    timeout: 5000,
    // TypeORM keeps prepared statements in a first-in-first-out list (100 by default): the app has more distinct
    // queries than that, so hot ones were prepared again and again.
    statementCacheSize: 1000,
    prepareDatabase: (db: { pragma: (sql: string) => unknown }) => {
      db.pragma('busy_timeout = 5000');
      db.pragma('synchronous = NORMAL');
    },
  };
}

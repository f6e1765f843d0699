import { QueryFailedError, type DataSource, type EntityManager, type ObjectLiteral } from 'typeorm';
import { sqliteValue } from './sqlite-parameters.js';

/**
 * One SQL text for both databases on a hot path, without the query builder or entity hydration: parameters are
 * written `$1, $2, …` in order of use, as PostgreSQL wants them, and become `?` on SQLite. The drivers keep the
 * prepared statement for the text. For statements that give rows: SELECT, or INSERT / UPDATE … RETURNING (count the
 * rows returned to learn how many changed).
 */
export async function raw<T>(
  runner: DataSource | EntityManager,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const postgres = isPostgres(runner);
  const result: unknown = postgres ? await runner.query(sql, params) : onSqlite(runner, sql, params);
  // TypeORM answers an UPDATE or DELETE on PostgreSQL as [rows, rowCount].
  if (
    postgres &&
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  )
    return result[0] as T[];
  return result as T[];
}

interface SqliteStatement {
  reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): unknown;
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}
const sqliteStatements = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();

/**
 * SQLite: straight to better-sqlite3's one connection, which TypeORM's transactions also run on (so a statement inside
 * `transactions.run` is inside its transaction), with the prepared statement kept per SQL text. TypeORM's query runner
 * adds a query runner, a logger call, events and several awaits to each statement: a tenth of a write's time.
 */
function onSqlite(runner: DataSource | EntityManager, sql: string, params: unknown[]): unknown[] {
  const source = ('connection' in runner ? runner.connection : runner) as DataSource;
  const connection = (source.driver as unknown as { databaseConnection: SqliteConnection })
    .databaseConnection;
  let statements = sqliteStatements.get(connection);
  if (!statements) sqliteStatements.set(connection, (statements = new Map()));
  const text = sql.replace(/\$\d+/g, '?');
  const values = params.map((p) => (typeof p === 'boolean' ? Number(p) : sqliteValue(p)));
  try {
    let statement = statements.get(text);
    if (!statement) statements.set(text, (statement = connection.prepare(text)));
    if (statement.reader) return statement.all(...values);
    statement.run(...values);
    return [];
  } catch (error) {
    throw new QueryFailedError(text, values, error as Error);
  }
}

/** Booleans as either database gives them in plain rows (PostgreSQL true, SQLite 1). */
export const truthy = (value: unknown) => value === true || value === 1 || value === '1';

export function isPostgres(runner: DataSource | EntityManager): boolean {
  return (('connection' in runner ? runner.connection : runner) as DataSource).options.type === 'postgres';
}

/**
 * Inserts one row of an entity with a plain `INSERT … RETURNING *` and gives back the entity as the database holds it
 * (read back through TypeORM's own conversion of each column), as `save(create(…))` did, without the query builder
 * or the second SELECT TypeORM makes on SQLite to read back defaults.
 */
export async function insertRow<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: new () => T,
  values: Partial<T>,
): Promise<T> {
  const { table, names, params } = written(manager, entity, values);
  const [row] = await raw<Record<string, unknown>>(
    manager,
    `INSERT INTO "${table}" (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
    params,
  );
  return hydrate(manager, entity, row);
}

/** The columns given a value (undefined is left out) and the values as TypeORM would write them. */
function written<T extends ObjectLiteral>(manager: EntityManager, entity: new () => T, values: Partial<T>) {
  const metadata = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  const keys = Object.keys(values).filter((k) => values[k as keyof T] !== undefined);
  const columns = keys.map((k) => {
    const column = metadata.findColumnWithPropertyName(k);
    if (!column) throw new Error(`${metadata.name} has no column ${k}`);
    return column;
  });
  return {
    table: metadata.tableName,
    names: columns.map((c) => `"${c.databaseName}"`),
    params: columns.map((c, i) => driver.preparePersistentValue(values[keys[i] as keyof T], c)),
  };
}

/**
 * Rows of an entity matching every column given (an array means any of its values), with a plain `SELECT *` (and
 * `FOR NO KEY UPDATE` when `lock` is set, on PostgreSQL), read through TypeORM's own conversion of each column: what
 * `findBy` gives, without the query builder.
 */
export async function selectRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: new () => T,
  where: { [K in keyof T]?: T[K] | T[K][] },
  lock = false,
): Promise<T[]> {
  const metadata = manager.connection.getMetadata(entity);
  const params: unknown[] = [];
  const conditions = Object.entries(where).map(([key, value]) => {
    const column = metadata.findColumnWithPropertyName(key);
    if (!column) throw new Error(`${metadata.name} has no column ${key}`);
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0) return '1 = 0';
    const marks = values.map((v) => `$${params.push(v)}`);
    return `"${column.databaseName}" ${Array.isArray(value) ? `IN (${marks.join(', ')})` : `= ${marks[0]}`}`;
  });
  const rows = await raw<Record<string, unknown>>(
    manager,
    `SELECT * FROM "${metadata.tableName}" WHERE ${conditions.join(' AND ')}${lock && isPostgres(manager) ? ' FOR NO KEY UPDATE' : ''}`,
    params,
  );
  return rows.map((row) => hydrate(manager, entity, row));
}

/** One row of an entity by id (see selectRows): what `findOneBy({ id })` gives. */
export async function selectRow<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: new () => T,
  id: number,
  lock = false,
): Promise<T | null> {
  const [row] = await selectRows(manager, entity, { id } as unknown as { [K in keyof T]?: T[K] }, lock);
  return row ?? null;
}

/** Sets some columns of one row by id with a plain UPDATE, each value converted as TypeORM would write it. */
export async function updateRow<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: new () => T,
  id: number,
  values: Partial<T>,
): Promise<void> {
  const { table, names, params } = written(manager, entity, values);
  await raw(
    manager,
    `UPDATE "${table}" SET ${names.map((name, i) => `${name} = $${i + 1}`).join(', ')} WHERE id = $${names.length + 1}`,
    [...params, id],
  );
}

/**
 * Sets some columns of one row by id only while it still holds the expected values (a guarded update): true when the
 * row was changed, false when another transaction had changed it first.
 */
export async function updateRowIf<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: new () => T,
  id: number,
  expected: Partial<T>,
  values: Partial<T>,
): Promise<boolean> {
  const set = written(manager, entity, values);
  const guard = written(manager, entity, expected);
  const n = set.names.length;
  const rows = await raw(
    manager,
    `UPDATE "${set.table}" SET ${set.names.map((name, i) => `${name} = $${i + 1}`).join(', ')}
      WHERE id = $${n + 1}${guard.names.map((name, i) => ` AND ${name} = $${n + 2 + i}`).join('')} RETURNING id`,
    [...set.params, id, ...guard.params],
  );
  return rows.length === 1;
}

/** A plain row as the entity reads it: each column through the driver's conversion (dates, booleans, transformers). */
function hydrate<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: new () => T,
  row: Record<string, unknown>,
): T {
  const metadata = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  const saved = new entity();
  for (const column of metadata.columns)
    column.setEntityValue(saved, driver.prepareHydratedValue(row[column.databaseName], column));
  return saved;
}

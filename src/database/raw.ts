import type { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
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
  const result: unknown = postgres
    ? await runner.query(sql, params)
    : await runner.query(sql.replace(/\$\d+/g, '?'), params.map(sqliteValue));
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

export function isPostgres(runner: DataSource | EntityManager): boolean {
  return (('connection' in runner ? runner.connection : runner) as DataSource).options.type === 'postgres';
}

/**
 * Inserts one row of an entity with a plain `INSERT … RETURNING id` and gives back the entity with its id, as
 * `save(create(…))` did, without the query builder or the second SELECT TypeORM makes on SQLite to read back
 * defaults: columns left out are null, or their plain default (a default computed by the database is not read).
 */
export async function insertRow<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: new () => T,
  values: Partial<T>,
): Promise<T & { id: number }> {
  const metadata = manager.connection.getMetadata(entity);
  const keys = Object.keys(values).filter((k) => values[k as keyof T] !== undefined);
  const columns = keys.map((k) => {
    const column = metadata.findColumnWithPropertyName(k);
    if (!column) throw new Error(`${metadata.name} has no column ${k}`);
    return `"${column.databaseName}"`;
  });
  const [row] = await raw<{ id: number }>(
    manager,
    `INSERT INTO "${metadata.tableName}" (${columns.join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    keys.map((k) => values[k as keyof T]),
  );
  // What the database filled in, as the entity would read it back: nulls, and plain defaults.
  const filled: Record<string, unknown> = {};
  for (const column of metadata.columns) {
    if (keys.includes(column.propertyName) || column.isGenerated) continue;
    if (['string', 'number', 'boolean'].includes(typeof column.default))
      filled[column.propertyName] = column.default;
    else if (column.isNullable) filled[column.propertyName] = null;
  }
  return Object.assign(new entity(), filled, values, { id: Number(row.id) });
}

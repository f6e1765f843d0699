import type { DataSource } from 'typeorm';

type Escape = (sql: string, parameters: Record<string, unknown>, ...rest: unknown[]) => [string, unknown[]];

/** A whole number on its way to a bound parameter (TypeORM pushes objects as they are). */
class WholeNumber {
  constructor(readonly value: bigint) {}
}

/** better-sqlite3 binds a JS number as REAL (`7` into a text column is `'7.0'`); a BigInt binds as INTEGER. */
export const sqliteValue = (value: unknown) =>
  typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;

/**
 * TypeORM's SQLite driver writes numeric parameters into the SQL text (`WHERE "id" = 211936`,
 * `VALUES (NULL, 1, 14, …)`) because better-sqlite3 would bind them as REAL. Every lookup by id and every insert was
 * then a new statement for SQLite to prepare, and the statement cache filled with them (a third of a write's time at
 * county scale, found with `npm run bench` and --cpu-prof). Here whole numbers are bound instead, as INTEGER
 * (BigInt), so the same query is the same prepared statement; other numbers stay as TypeORM writes them.
 */
export function bindWholeNumbers(dataSource: DataSource): DataSource {
  if (dataSource.options.type !== 'better-sqlite3') return dataSource;
  const driver = dataSource.driver as unknown as { escapeQueryWithParameters: Escape };
  const escape = driver.escapeQueryWithParameters.bind(driver);
  driver.escapeQueryWithParameters = (sql, parameters, ...rest) => {
    if (!parameters) return escape(sql, parameters, ...rest);
    const marked: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(parameters))
      marked[key] =
        typeof value === 'number' && Number.isSafeInteger(value) ? new WholeNumber(BigInt(value)) : value;
    const [text, values] = escape(sql, marked, ...rest);
    return [text, values.map((v) => (v instanceof WholeNumber ? v.value : v))];
  };
  return dataSource;
}

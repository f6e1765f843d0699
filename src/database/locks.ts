import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { isPostgres, raw, selectRow } from './raw.js';

/**
 * Holds a row until the transaction ends, so that checks on it (a cap, a status) cannot race another request.
 * PostgreSQL: SELECT … FOR NO KEY UPDATE. SQLite needs nothing: write transactions already run one at a time.
 * FOR NO KEY UPDATE, not FOR UPDATE: inserting a row that refers to this one (a record of a household, a receipt of a
 * village) takes a KEY SHARE lock on it, which FOR UPDATE would block, making two writers wait on each other.
 */
export async function lockRow<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: new () => T,
  id: number,
): Promise<T | null> {
  return selectRow(manager, entity, id, true);
}

/**
 * Holds a row until the transaction ends without reading it: a row lock on PostgreSQL, nothing on SQLite (write
 * transactions already run one at a time). The entity may be named by its table.
 */
export async function holdRow<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  id: number,
): Promise<void> {
  if (!isPostgres(manager)) return;
  const table = manager.connection.getMetadata(entity).tableName;
  await raw(manager, `SELECT id FROM "${table}" WHERE id = $1 FOR NO KEY UPDATE`, [id]);
}

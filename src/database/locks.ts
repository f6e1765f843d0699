import type { EntityManager, ObjectLiteral } from 'typeorm';

/**
 * Holds a row until the transaction ends, so that checks on it (a cap, a status) cannot race another request.
 * PostgreSQL: SELECT … FOR UPDATE. SQLite needs nothing: write transactions already run one at a time.
 */
export async function lockRow<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: new () => T,
  id: number,
): Promise<T | null> {
  const qb = manager.createQueryBuilder(entity, 'x').where('x.id = :id', { id });
  if (manager.connection.options.type === 'postgres') qb.setLock('pessimistic_write');
  return qb.getOne();
}

import type { EntityManager } from 'typeorm';
import type { ScopeTarget } from '../access/scope-policy.js';
import { DomainError } from '../common/domain-error.js';
import { raw } from '../database/raw.js';

/** What a scope check needs of a village (its township), read in the caller's transaction. */
export async function scopeOfVillage(manager: EntityManager, villageId: number): Promise<ScopeTarget> {
  const [village] = await raw<{ townshipId: number }>(
    manager,
    'SELECT "townshipId" FROM village WHERE id = $1',
    [villageId],
  );
  if (!village) throw DomainError.notFound('村');
  return { townshipId: village.townshipId, villageId };
}

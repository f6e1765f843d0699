import { DomainError } from '../common/domain-error.js';
import { scopeLevel, type Actor } from './actor.js';
import { VILLAGE_ROLES } from './role.js';

/** Where a thing lives: its township, and its village when it belongs to one. */
export interface ScopeTarget {
  townshipId: number;
  villageId?: number | null;
}

/**
 * The one rule of scope: the admin acts everywhere, a township role in its township and its villages, a village role
 * and a household only in their own village.
 */
export function inScope(actor: Actor, target: ScopeTarget): boolean {
  switch (scopeLevel(actor)) {
    case 'county':
      return true;
    case 'township':
      return actor.townshipId !== null && actor.townshipId === target.townshipId;
    default:
      return (
        target.villageId !== null &&
        target.villageId !== undefined &&
        actor.villageId !== null &&
        actor.villageId === target.villageId
      );
  }
}

export function assertInScope(actor: Actor, target: ScopeTarget, message = '只能操作本辖区的数据'): void {
  if (!inScope(actor, target)) throw DomainError.forbidden(message);
}

/** Which roles an actor may give to a new account (API.md POST /users). */
export function assignableRoles(actor: Actor): readonly string[] {
  switch (actor.role) {
    case 'ADMIN':
      return ['ADMIN', 'TOWNSHIP', 'BANK', ...VILLAGE_ROLES];
    case 'TOWNSHIP':
      return [...VILLAGE_ROLES, 'BANK'];
    case 'VILLAGE_ADMIN':
      return ['SCORER', 'CLERK', 'COUNCIL', 'PARTY_BRANCH'];
    default:
      return [];
  }
}

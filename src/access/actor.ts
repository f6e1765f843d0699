import { levelOfAccount, type HOUSEHOLD_ROLE, type Role, type ScopeLevel, type StaffRole } from './role.js';

/** Who is acting: a staff account or a household (villager login), with the address the request came from. */
export type Actor = StaffActor | HouseholdActor;

export interface StaffActor {
  kind: 'user';
  id: number;
  username: string;
  displayName: string;
  role: StaffRole;
  /** Set for TOWNSHIP and the village roles (their village's township). */
  townshipId: number | null;
  villageId: number | null;
  householdId: number | null;
  ip: string | null;
}

export interface HouseholdActor {
  kind: 'household';
  id: number;
  code: string;
  displayName: string;
  role: typeof HOUSEHOLD_ROLE;
  townshipId: number;
  villageId: number;
  householdId: number;
  ip: string | null;
  /** 亲属代办: the person acting for the household, when it is not the household's own login. */
  proxy?: { id: number; name: string } | null;
}

export function roleOf(actor: Actor | null | undefined): Role | null {
  return actor ? actor.role : null;
}

/** How far the actor's scope reaches: the whole county, its township, or its village. */
export function scopeLevel(actor: Actor): ScopeLevel {
  return levelOfAccount(actor.role, actor.townshipId);
}

import type { Role, StaffRole } from './role.js';

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
  role: 'VILLAGER';
  townshipId: number;
  villageId: number;
  householdId: number;
  ip: string | null;
}

export function roleOf(actor: Actor | null | undefined): Role | null {
  return actor ? actor.role : null;
}

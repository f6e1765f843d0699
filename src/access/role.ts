/** Staff roles (DOMAIN.md "Who uses it"). A household logs in as VILLAGER, which is not a user account. */
export const STAFF_ROLES = [
  'ADMIN',
  'TOWNSHIP',
  'VILLAGE_ADMIN',
  'SCORER',
  'CLERK',
  'SUPERVISOR',
  'COUNCIL',
  'PARTY_BRANCH',
  'PARTY_MEMBER',
  'BANK',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
/** The role of a household's login. */
export const HOUSEHOLD_ROLE = 'VILLAGER';
export type Role = StaffRole | typeof HOUSEHOLD_ROLE;
export const ROLES: readonly Role[] = [...STAFF_ROLES, HOUSEHOLD_ROLE];

export const VILLAGE_ROLES: readonly StaffRole[] = [
  'VILLAGE_ADMIN',
  'SCORER',
  'CLERK',
  'SUPERVISOR',
  'COUNCIL',
  'PARTY_BRANCH',
];

/** The role of a party member's own login, opened with the member (never chosen on the accounts page). */
export const PARTY_MEMBER_ROLE: StaffRole = 'PARTY_MEMBER';

/** How far a role reaches: the whole county (the admin), one township, or one village. */
export type ScopeLevel = 'county' | 'township' | 'village';

export function levelOfRole(role: Role): ScopeLevel {
  return role === 'ADMIN' ? 'county' : role === 'TOWNSHIP' || role === 'BANK' ? 'township' : 'village';
}

/**
 * A county bank's loan officer serves one township, or the whole county when the account names none (API.md POST
 * /users): the one role whose reach depends on the account, not only on the role.
 */
export function levelOfAccount(role: Role, townshipId: number | null): ScopeLevel {
  return role === 'BANK' && townshipId === null ? 'county' : levelOfRole(role);
}

export const ROLE_LABELS: Record<Role, string> = {
  ADMIN: '系统管理员',
  TOWNSHIP: '乡镇审核员',
  VILLAGE_ADMIN: '村两委',
  SCORER: '组长/网格员',
  CLERK: '超市管理员',
  SUPERVISOR: '村务监督委员会',
  COUNCIL: '道德评议会成员',
  PARTY_BRANCH: '党支部',
  PARTY_MEMBER: '党员',
  BANK: '银行信贷员',
  VILLAGER: '村民',
};

/** Staff roles (DOMAIN.md "Who uses it"). A household logs in as VILLAGER, which is not a user account. */
export const STAFF_ROLES = ['ADMIN', 'TOWNSHIP', 'VILLAGE_ADMIN', 'SCORER', 'CLERK'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type Role = StaffRole | 'VILLAGER';

export const VILLAGE_ROLES: readonly StaffRole[] = ['VILLAGE_ADMIN', 'SCORER', 'CLERK'];

export const ROLE_LABELS: Record<Role, string> = {
  ADMIN: '系统管理员',
  TOWNSHIP: '乡镇审核员',
  VILLAGE_ADMIN: '村两委',
  SCORER: '组长/网格员',
  CLERK: '超市管理员',
  VILLAGER: '村民',
};

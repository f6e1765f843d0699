import type { Actor } from './actor.js';
import { can, Permission, ROLE_PERMISSIONS, rolesWith } from './permissions.js';
import type { Role } from './role.js';

const as = (role: Role) => ({ role }) as Pick<Actor, 'role'>;
const every = (tree: object): string[] =>
  Object.values(tree).flatMap((v) => (typeof v === 'string' ? [v] : every(v)));

describe('the permission table', () => {
  it('should let a scorer record but not approve', () => {
    expect(can(as('SCORER'), Permission.ScoreRecord.Record)).toBe(true);
    expect(can(as('SCORER'), Permission.ScoreRecord.Approve)).toBe(false);
  });

  it('should never let a villager approve, record or redeem', () => {
    expect(can(as('VILLAGER'), Permission.ScoreRecord.Approve)).toBe(false);
    expect(can(as('VILLAGER'), Permission.ScoreRecord.Record)).toBe(false);
    expect(can(as('VILLAGER'), Permission.Redemption.Create)).toBe(false);
    expect(can(as('VILLAGER'), Permission.Objection.File)).toBe(true);
  });

  it('should leave approving records to the committee and reviewing rankings to the township', () => {
    expect(rolesWith(Permission.ScoreRecord.Approve)).toEqual(['VILLAGE_ADMIN']);
    expect(rolesWith(Permission.Ranking.Review)).toEqual(['TOWNSHIP']);
    expect(rolesWith(Permission.Goods.StockIn)).toEqual(['VILLAGE_ADMIN', 'CLERK']);
    expect(rolesWith(Permission.AuditLog.Read)).toEqual(['ADMIN', 'TOWNSHIP']);
    expect(rolesWith(Permission.User.Confirm)).toEqual(['ADMIN', 'TOWNSHIP']);
  });

  it('should let nobody do anything when there is no actor', () => {
    expect(can(null, Permission.Account.ManageOwn)).toBe(false);
    expect(can(undefined, Permission.Household.Read)).toBe(false);
  });

  it('should give every permission to some role and name only permissions of the list', () => {
    const all = every(Permission);
    expect(all.filter((p) => rolesWith(p as Permission).length === 0)).toEqual([]);
    const granted = Object.values(ROLE_PERMISSIONS).flat();
    expect(granted.filter((p) => !all.includes(p))).toEqual([]);
    expect(new Set(all).size).toBe(all.length);
  });
});

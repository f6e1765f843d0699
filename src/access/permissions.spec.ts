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
    expect(rolesWith(Permission.AuditLog.Read)).toEqual(['ADMIN', 'TOWNSHIP', 'SUPERVISOR']);
    expect(rolesWith(Permission.User.Confirm)).toEqual(['ADMIN', 'TOWNSHIP']);
  });

  it('should let the supervision committee read and raise opinions, and change nothing else', () => {
    expect(rolesWith(Permission.Supervision.Raise)).toEqual(['SUPERVISOR']);
    expect(rolesWith(Permission.Supervision.Answer)).toEqual(['VILLAGE_ADMIN']);
    for (const write of [
      Permission.ScoreRecord.Record,
      Permission.ScoreRecord.Approve,
      Permission.Publication.Close,
      Permission.Objection.Resolve,
      Permission.Redemption.Create,
      Permission.Goods.StockIn,
      Permission.Goods.Edit,
      Permission.User.Manage,
    ])
      expect(can(as('SUPERVISOR'), write)).toBe(false);
    expect(can(as('SUPERVISOR'), Permission.Passbook.Read)).toBe(true);
  });

  it('should leave signing the supermarket monthly statement to the supervision committee alone', () => {
    expect(rolesWith(Permission.Supermarket.SignStatement)).toEqual(['SUPERVISOR']);
    expect(rolesWith(Permission.Supermarket.ReadStatement)).toEqual([
      'ADMIN',
      'TOWNSHIP',
      'VILLAGE_ADMIN',
      'CLERK',
      'SUPERVISOR',
    ]);
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

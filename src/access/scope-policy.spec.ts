import type { Actor, StaffActor } from './actor.js';
import { assertInScope, assignableRoles, inScope } from './scope-policy.js';

function staff(overrides: Partial<StaffActor>): Actor {
  return {
    kind: 'user',
    id: 1,
    username: 'u',
    displayName: 'u',
    role: 'SCORER',
    townshipId: 1,
    villageId: 10,
    householdId: null,
    ip: null,
    ...overrides,
  };
}

describe('scope policy', () => {
  const ownVillage = { townshipId: 1, villageId: 10 };
  const otherVillageSameTownship = { townshipId: 1, villageId: 11 };
  const otherTownshipVillage = { townshipId: 2, villageId: 20 };
  const township1 = { townshipId: 1 };

  it('should let the admin act everywhere', () => {
    const admin = staff({ role: 'ADMIN', townshipId: null, villageId: null });
    expect([ownVillage, otherTownshipVillage, township1].every((t) => inScope(admin, t))).toBe(true);
  });

  it('should keep a township role to its own township and villages', () => {
    const township = staff({ role: 'TOWNSHIP', villageId: null });
    expect(inScope(township, ownVillage)).toBe(true);
    expect(inScope(township, otherVillageSameTownship)).toBe(true);
    expect(inScope(township, township1)).toBe(true);
    expect(inScope(township, otherTownshipVillage)).toBe(false);
    expect(inScope(township, { townshipId: 2 })).toBe(false);
  });

  it.each(['VILLAGE_ADMIN', 'SCORER', 'CLERK', 'SUPERVISOR'] as const)(
    'should keep %s to its own village',
    (role) => {
      const actor = staff({ role });
      expect(inScope(actor, ownVillage)).toBe(true);
      expect(inScope(actor, otherVillageSameTownship)).toBe(false);
      expect(inScope(actor, otherTownshipVillage)).toBe(false);
      expect(inScope(actor, township1)).toBe(false);
    },
  );

  it('should keep a household to its own village', () => {
    const household: Actor = {
      kind: 'household',
      id: 5,
      code: 'JC-0005',
      displayName: '张三',
      role: 'VILLAGER',
      townshipId: 1,
      villageId: 10,
      householdId: 5,
      ip: null,
    };
    expect(inScope(household, ownVillage)).toBe(true);
    expect(inScope(household, otherVillageSameTownship)).toBe(false);
  });

  it('should refuse with FORBIDDEN when the target is out of scope', () => {
    expect(() => assertInScope(staff({}), otherVillageSameTownship)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', status: 403 }),
    );
  });

  it('should let a village committee create only scorers, clerks, council members and its party branch, never its own supervisors', () => {
    expect(assignableRoles(staff({ role: 'VILLAGE_ADMIN' }))).toEqual([
      'SCORER',
      'CLERK',
      'COUNCIL',
      'PARTY_BRANCH',
    ]);
    expect(assignableRoles(staff({ role: 'VILLAGE_ADMIN' }))).not.toContain('BANK');
    expect(assignableRoles(staff({ role: 'TOWNSHIP' }))).not.toContain('TOWNSHIP');
    expect(assignableRoles(staff({ role: 'TOWNSHIP' }))).toContain('SUPERVISOR');
    expect(assignableRoles(staff({ role: 'SCORER' }))).toEqual([]);
  });

  it('should give a bank officer the township it serves, or the whole county when it names none', () => {
    const bank = (townshipId: number | null) => staff({ role: 'BANK', townshipId, villageId: null });
    expect(inScope(bank(1), { townshipId: 1, villageId: 7 })).toBe(true);
    expect(inScope(bank(1), { townshipId: 2, villageId: 9 })).toBe(false);
    expect(inScope(bank(null), { townshipId: 2, villageId: 9 })).toBe(true);
  });
});

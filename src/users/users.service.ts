import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere, In } from 'typeorm';
import { scopeLevel, type Actor } from '../access/actor.js';
import { can, Permission } from '../access/permissions.js';
import { levelOfRole, PARTY_MEMBER_ROLE, VILLAGE_ROLES, type StaffRole } from '../access/role.js';
import { assertInScope, assignableRoles, ScopeTarget } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { hashSecret } from '../auth/password.js';
import { SessionsService } from '../auth/sessions.service.js';
import { DomainError } from '../common/domain-error.js';
import { definedOnly } from '../common/objects.js';
import type { Paged } from '../common/pagination.js';
import { truthy } from '../database/raw.js';
import { scopeOf } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import type { Household } from '../households/household.entity.js';
import { HouseholdsService } from '../households/households.service.js';
import { TownshipsService } from '../townships/townships.service.js';
import { VillagesService } from '../villages/villages.service.js';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto.js';
import { User } from './user.entity.js';

const AWAITING = '账号等待乡镇确认';
const HOUSEHOLD_REQUIRED = '请填写本人所在的户，或勾选“本人在本村没有户”';

/** An account opened or re-enabled by someone who cannot confirm accounts (a village committee) waits for it. */
const needsConfirmation = (actor: Actor) => !can(actor, Permission.User.Confirm);

/** A user as the API shows it: never the password hash. */
export type PublicUser = Omit<User, 'passwordHash' | 'tokenVersion'>;

export function publicUser(user: User): PublicUser {
  const { passwordHash: _hash, tokenVersion: _version, ...rest } = user;
  return rest;
}

/** A staff account as another feature's figures name it. */
export interface StaffBrief {
  displayName: string;
  username: string;
  householdId: number | null;
  createdBy: number | null;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly households: HouseholdsService,
    private readonly townships: TownshipsService,
    private readonly villages: VillagesService,
  ) {}

  /** The name a receipt or a list shows for a staff account ('' when there is none). */
  async displayName(id: number): Promise<string> {
    const user = await this.dataSource
      .getRepository(User)
      .findOne({ select: { displayName: true }, where: { id } });
    return user?.displayName ?? '';
  }

  async list(
    actor: Actor,
    filter: { villageId?: number; page: number; pageSize: number },
  ): Promise<Paged<PublicUser>> {
    const where: FindOptionsWhere<User> = {};
    const level = scopeLevel(actor);
    if (level === 'township') where.townshipId = actor.townshipId ?? -1;
    else if (level === 'village') where.villageId = actor.villageId ?? -1;
    if (filter.villageId) {
      if (where.villageId !== undefined && where.villageId !== filter.villageId)
        return { items: [], total: 0 };
      where.villageId = filter.villageId;
    }
    const [items, total] = await this.dataSource.getRepository(User).findAndCount({
      where,
      order: { active: 'DESC', id: 'ASC' },
      skip: (filter.page - 1) * filter.pageSize,
      take: filter.pageSize,
    });
    return { items: items.map(publicUser), total };
  }

  async get(actor: Actor, id: number): Promise<PublicUser> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id });
    if (!user) throw DomainError.notFound('账号');
    assertInScope(actor, targetOf(user));
    return publicUser(user);
  }

  /** API.md POST /users: the admin creates any account, a township its villages' staff, a committee its scorers and clerks. */
  async create(actor: Actor, dto: CreateUserDto): Promise<PublicUser> {
    if (!assignableRoles(actor).includes(dto.role)) {
      throw DomainError.validation({ role: '您不能创建这种角色的账号' });
    }
    const passwordHash = await hashSecret(dto.password);
    return this.transactions.run(async (manager) => {
      const place = await this.placeFor(manager, dto.role, dto);
      assertInScope(actor, { townshipId: place.townshipId ?? -1, villageId: place.villageId });
      const taken = await manager
        .createQueryBuilder(User, 'u')
        .where('LOWER(u.username) = LOWER(:name)', { name: dto.username })
        .getExists();
      if (taken) throw DomainError.duplicate('username', `用户名 ${dto.username} 已被使用`);
      const home = VILLAGE_ROLES.includes(dto.role)
        ? await this.statedHousehold(manager, dto, place.villageId)
        : { householdId: null, noHouseholdInVillage: false };
      const awaitingConfirmation = needsConfirmation(actor);
      const user = await manager.save(
        manager.create(User, {
          username: dto.username,
          passwordHash,
          displayName: dto.displayName,
          role: dto.role,
          townshipId: place.townshipId,
          villageId: place.villageId,
          ...home,
          active: !awaitingConfirmation,
          awaitingConfirmation,
          createdBy: actor.kind === 'user' ? actor.id : null,
        }),
      );
      this.transactions.changed(manager, scopeOf(user.villageId, user.townshipId));
      await this.audit.record(
        actor,
        {
          action: 'user.create',
          entityType: 'user',
          entityId: user.id,
          townshipId: user.townshipId,
          villageId: user.villageId,
          details: definedOnly({
            username: user.username,
            role: user.role,
            displayName: user.displayName,
            householdId: user.householdId ?? undefined,
            noHouseholdInVillage: user.noHouseholdInVillage || undefined,
            awaitingConfirmation: awaitingConfirmation || undefined,
          }),
        },
        manager,
      );
      return publicUser(user);
    });
  }

  /** Edits, resets the password or (de)activates. A new password or a deactivation ends the account's logins. */
  async update(actor: Actor, id: number, dto: UpdateUserDto): Promise<PublicUser> {
    const passwordHash = dto.password ? await hashSecret(dto.password) : undefined;
    const user = await this.transactions.run(async (manager) => {
      const user = await manager.findOneBy(User, { id });
      if (!user) throw DomainError.notFound('账号');
      assertInScope(actor, targetOf(user));
      const roles = assignableRoles(actor);
      if (!roles.includes(user.role)) throw DomainError.forbidden('您不能修改这种角色的账号');
      if (dto.role && !roles.includes(dto.role)) throw DomainError.validation({ role: '您不能授予这种角色' });
      if (dto.role && VILLAGE_ROLES.includes(dto.role) !== VILLAGE_ROLES.includes(user.role)) {
        throw DomainError.validation({ role: '村级角色与乡镇、系统角色不能互换，请新建账号' });
      }
      if (dto.active === false && actor.kind === 'user' && actor.id === user.id) {
        throw DomainError.validation({ active: '不能停用自己的账号' });
      }
      const revoke = passwordHash !== undefined || (dto.active === false && user.active);
      const statesHome =
        dto.householdId !== undefined || dto.householdCode !== undefined || dto.noHousehold !== undefined;
      if (statesHome && !VILLAGE_ROLES.includes(dto.role ?? user.role)) {
        throw DomainError.validation({ householdId: '只有村级账号填写本人所在的户' });
      }
      const home = statesHome ? await this.statedHousehold(manager, dto, user.villageId) : {};
      Object.assign(user, definedOnly({ displayName: dto.displayName, role: dto.role, passwordHash }), home);
      // Switching a village account on is, like creating one, a request its township confirms.
      let pending = false;
      if (dto.active === false) Object.assign(user, { active: false, awaitingConfirmation: false });
      else if (dto.active === true && !user.active) {
        if (user.awaitingConfirmation) throw DomainError.validation({ active: AWAITING });
        pending = needsConfirmation(actor);
        Object.assign(user, { active: !pending, awaitingConfirmation: pending });
      }
      // A committee member who sets a colleague's password could log in as them: the account waits for the township
      // again, as a new one does.
      const resetForOther = passwordHash !== undefined && !(actor.kind === 'user' && actor.id === user.id);
      if (resetForOther && user.active && needsConfirmation(actor)) {
        Object.assign(user, { active: false, awaitingConfirmation: true });
        pending = true;
      }
      if (revoke) user.tokenVersion += 1;
      await manager.save(user);
      const action =
        dto.active === false
          ? 'user.deactivate'
          : dto.active === true
            ? pending
              ? 'user.activate_requested'
              : 'user.activate'
            : passwordHash
              ? 'user.password_reset'
              : 'user.update';
      this.transactions.changed(manager, scopeOf(user.villageId, user.townshipId));
      await this.audit.record(
        actor,
        {
          action,
          entityType: 'user',
          entityId: user.id,
          townshipId: user.townshipId,
          villageId: user.villageId,
          details: definedOnly({
            displayName: dto.displayName,
            role: dto.role,
            active: dto.active,
            passwordReset: passwordHash ? true : undefined,
            awaitingConfirmation: passwordHash && pending ? true : undefined,
            householdId: statesHome ? (user.householdId ?? undefined) : undefined,
            noHouseholdInVillage: statesHome && user.noHouseholdInVillage ? true : undefined,
          }),
        },
        manager,
      );
      return user;
    });
    if (dto.password || dto.active === false) await this.sessions.closeAllFor({ userId: user.id });
    return publicUser(user);
  }

  /** The household an account states as its own, for its page. */
  household(id: number): Promise<Household | null> {
    return this.households.findIn(this.dataSource.manager, id);
  }

  /** Accounts of the actor's scope that wait for the township's confirmation, oldest first. */
  async awaiting(actor: Actor): Promise<PublicUser[]> {
    if (!can(actor, Permission.User.Confirm)) return [];
    const users = await this.dataSource.getRepository(User).find({
      where: {
        awaitingConfirmation: true,
        ...(scopeLevel(actor) === 'township' && { townshipId: actor.townshipId ?? -1 }),
      },
      order: { id: 'ASC' },
    });
    return users.map(publicUser);
  }

  /**
   * The township confirms an account its village switched on (API.md POST /users/:id/confirm): from then on it can log
   * in. The admin, who may create accounts at once, may confirm too.
   */
  async confirm(actor: Actor, id: number): Promise<PublicUser> {
    if (actor.kind !== 'user' || !can(actor, Permission.User.Confirm)) {
      throw DomainError.forbidden('只有乡镇审核员可以确认村里开设的账号');
    }
    return this.transactions.run(async (manager) => {
      const user = await manager.findOneBy(User, { id });
      if (!user) throw DomainError.notFound('账号');
      assertInScope(actor, targetOf(user));
      if (!user.awaitingConfirmation) throw DomainError.validation({ id: '该账号没有等待确认' });
      Object.assign(user, {
        active: true,
        awaitingConfirmation: false,
        confirmedBy: actor.id,
        confirmedAt: new Date(),
      });
      await manager.save(user);
      this.transactions.changed(manager, scopeOf(user.villageId, user.townshipId));
      await this.audit.record(
        actor,
        {
          action: 'user.confirm',
          entityType: 'user',
          entityId: user.id,
          townshipId: user.townshipId,
          villageId: user.villageId,
          details: { username: user.username, role: user.role, createdBy: user.createdBy },
        },
        manager,
      );
      return publicUser(user);
    });
  }

  /** Where an account of this role lives: a township for TOWNSHIP, a village (and its township) for village roles. */
  private async placeFor(
    manager: EntityManager,
    role: StaffRole,
    dto: { townshipId?: number; villageId?: number },
  ): Promise<{ townshipId: number | null; villageId: number | null }> {
    const level = levelOfRole(role);
    if (level === 'county') return { townshipId: null, villageId: null };
    // A bank's loan officer serves one township, or the whole county when none is chosen.
    if (role === 'BANK' && !dto.townshipId) return { townshipId: null, villageId: null };
    if (level === 'township') {
      if (!dto.townshipId) throw DomainError.validation({ townshipId: '乡镇审核员必须选择乡镇' });
      const township = await this.townships.findIn(manager, dto.townshipId);
      if (!township) throw DomainError.validation({ townshipId: '所选乡镇不存在' });
      return { townshipId: township.id, villageId: null };
    }
    if (!VILLAGE_ROLES.includes(role) || !dto.villageId)
      throw DomainError.validation({ villageId: '村级账号必须选择村' });
    const village = await this.villages.findIn(manager, dto.villageId);
    if (!village) throw DomainError.validation({ villageId: '所选村不存在' });
    return { townshipId: village.townshipId, villageId: village.id };
  }

  /**
   * A village account's own household, or its explicit "none in this village": one of the two is required, so that
   * the own-household rules (recording, reviewing, redeeming) always know whom to keep the account away from.
   */
  private async statedHousehold(
    manager: EntityManager,
    dto: { householdId?: number; householdCode?: string; noHousehold?: boolean },
    villageId: number | null,
  ): Promise<{ householdId: number | null; noHouseholdInVillage: boolean }> {
    const code = dto.householdCode || undefined;
    const named = dto.householdId !== undefined || code !== undefined;
    if (dto.noHousehold && named) {
      throw DomainError.validation({ householdId: '“本人所在户”和“本人在本村没有户”只能选一项' });
    }
    if (dto.noHousehold) return { householdId: null, noHouseholdInVillage: true };
    if (!named) throw DomainError.validation({ householdId: HOUSEHOLD_REQUIRED });
    const household =
      dto.householdId !== undefined
        ? await this.households.findIn(manager, dto.householdId)
        : await this.households.withCode(manager, code as string);
    if (!household || household.villageId !== villageId) {
      throw DomainError.validation({ householdId: '所在户必须是本村的户' });
    }
    return { householdId: household.id, noHouseholdInVillage: false };
  }

  /**
   * A party member's own login (issue 22), opened with the member in the caller's transaction: the PIN is its secret,
   * the member's household its stated household. Usable at once (the branch or the committee vouches for the person).
   */
  async openPartyLogin(
    manager: EntityManager,
    actor: Actor,
    login: {
      username: string;
      displayName: string;
      pin: string;
      townshipId: number;
      villageId: number;
      householdId: number;
    },
  ): Promise<number> {
    const taken = await manager
      .createQueryBuilder(User, 'u')
      .where('LOWER(u.username) = LOWER(:name)', { name: login.username })
      .getExists();
    if (taken) throw DomainError.duplicate('username', `登录名 ${login.username} 已被使用`);
    const user = await manager.save(
      manager.create(User, {
        username: login.username,
        passwordHash: await hashSecret(login.pin),
        displayName: login.displayName,
        role: PARTY_MEMBER_ROLE,
        townshipId: login.townshipId,
        villageId: login.villageId,
        householdId: login.householdId,
        noHouseholdInVillage: false,
        active: true,
        awaitingConfirmation: false,
        createdBy: actor.kind === 'user' ? actor.id : null,
      }),
    );
    this.transactions.changed(manager, scopeOf(user.villageId, user.townshipId));
    return user.id;
  }

  /** A village's usable staff accounts (name and role), by name: what a chooser of 网格员 offers. */
  async villageStaff(villageId: number): Promise<Pick<User, 'id' | 'displayName' | 'role'>[]> {
    const users = await this.dataSource.getRepository(User).find({
      where: { villageId, active: true, awaitingConfirmation: false },
      select: { id: true, displayName: true, role: true },
      order: { displayName: 'ASC', id: 'ASC' },
    });
    return users.map(({ id, displayName, role }) => ({ id, displayName, role }));
  }

  /**
   * Who a staff account is for another feature's check (a grid's 网格员, an assignee): its role, village, name and
   * whether it may log in. Null when there is no such account. In the caller's transaction.
   */
  async standing(
    manager: EntityManager,
    id: number,
  ): Promise<
    (Pick<User, 'id' | 'role' | 'villageId' | 'displayName' | 'householdId'> & { usable: boolean }) | null
  > {
    const user = await manager.findOne(User, {
      where: { id },
      select: {
        id: true,
        role: true,
        villageId: true,
        displayName: true,
        householdId: true,
        active: true,
        awaitingConfirmation: true,
      },
    });
    if (!user) return null;
    const { active, awaitingConfirmation, ...rest } = user;
    return { ...rest, usable: truthy(active) && !truthy(awaitingConfirmation) };
  }

  /** Some staff accounts by id: their names, their own household (if any) and who opened the account. */
  async briefs(ids: number[]): Promise<Map<number, StaffBrief>> {
    const users = ids.length
      ? await this.dataSource.getRepository(User).find({
          where: { id: In([...new Set(ids)]) },
          select: { id: true, displayName: true, username: true, householdId: true, createdBy: true },
        })
      : [];
    return new Map(
      users.map((u) => [
        u.id,
        {
          displayName: u.displayName,
          username: u.username,
          householdId: u.householdId ?? null,
          createdBy: u.createdBy ?? null,
        },
      ]),
    );
  }
}

function targetOf(user: User): ScopeTarget {
  return { townshipId: user.townshipId ?? -1, villageId: user.villageId };
}

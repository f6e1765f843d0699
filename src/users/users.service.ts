import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { VILLAGE_ROLES, type StaffRole } from '../access/role.js';
import { assertInScope, assignableRoles, ScopeTarget } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { hashSecret } from '../auth/password.js';
import { SessionsService } from '../auth/sessions.service.js';
import { DomainError } from '../common/domain-error.js';
import { definedOnly } from '../common/objects.js';
import type { Paged } from '../common/pagination.js';
import { Transactions } from '../database/transactions.js';
import { Household } from '../households/household.entity.js';
import { Township } from '../townships/township.entity.js';
import { Village } from '../villages/village.entity.js';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto.js';
import { User } from './user.entity.js';

/** A user as the API shows it: never the password hash. */
export type PublicUser = Omit<User, 'passwordHash' | 'tokenVersion'>;

export function publicUser(user: User): PublicUser {
  const { passwordHash: _hash, tokenVersion: _version, ...rest } = user;
  return rest;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  async list(
    actor: Actor,
    filter: { villageId?: number; page: number; pageSize: number },
  ): Promise<Paged<PublicUser>> {
    const where: FindOptionsWhere<User> = {};
    if (actor.role === 'TOWNSHIP') where.townshipId = actor.townshipId ?? -1;
    else if (actor.role !== 'ADMIN') where.villageId = actor.villageId ?? -1;
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
      const householdId = await this.householdFor(manager, dto.householdId, place.villageId);
      const user = await manager.save(
        manager.create(User, {
          username: dto.username,
          passwordHash,
          displayName: dto.displayName,
          role: dto.role,
          townshipId: place.townshipId,
          villageId: place.villageId,
          householdId,
        }),
      );
      await this.audit.record(
        actor,
        {
          action: 'user.create',
          entityType: 'user',
          entityId: user.id,
          townshipId: user.townshipId,
          villageId: user.villageId,
          details: { username: user.username, role: user.role, displayName: user.displayName },
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
      if (
        dto.role &&
        (dto.role === 'ADMIN' || dto.role === 'TOWNSHIP') !==
          (user.role === 'ADMIN' || user.role === 'TOWNSHIP')
      ) {
        throw DomainError.validation({ role: '村级角色与乡镇、系统角色不能互换，请新建账号' });
      }
      if (dto.active === false && actor.kind === 'user' && actor.id === user.id) {
        throw DomainError.validation({ active: '不能停用自己的账号' });
      }
      const revoke = passwordHash !== undefined || (dto.active === false && user.active);
      Object.assign(
        user,
        definedOnly({ displayName: dto.displayName, role: dto.role, active: dto.active, passwordHash }),
      );
      if (revoke) user.tokenVersion += 1;
      await manager.save(user);
      const action =
        dto.active === false
          ? 'user.deactivate'
          : dto.active === true
            ? 'user.activate'
            : passwordHash
              ? 'user.password_reset'
              : 'user.update';
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
          }),
        },
        manager,
      );
      return user;
    });
    if (dto.password || dto.active === false) await this.sessions.closeAllFor({ userId: user.id });
    return publicUser(user);
  }

  /** Where an account of this role lives: a township for TOWNSHIP, a village (and its township) for village roles. */
  private async placeFor(
    manager: EntityManager,
    role: StaffRole,
    dto: { townshipId?: number; villageId?: number },
  ): Promise<{ townshipId: number | null; villageId: number | null }> {
    if (role === 'ADMIN') return { townshipId: null, villageId: null };
    if (role === 'TOWNSHIP') {
      if (!dto.townshipId) throw DomainError.validation({ townshipId: '乡镇审核员必须选择乡镇' });
      const township = await manager.findOneBy(Township, { id: dto.townshipId });
      if (!township) throw DomainError.validation({ townshipId: '所选乡镇不存在' });
      return { townshipId: township.id, villageId: null };
    }
    if (!VILLAGE_ROLES.includes(role) || !dto.villageId)
      throw DomainError.validation({ villageId: '村级账号必须选择村' });
    const village = await manager.findOneBy(Village, { id: dto.villageId });
    if (!village) throw DomainError.validation({ villageId: '所选村不存在' });
    return { townshipId: village.townshipId, villageId: village.id };
  }

  private async householdFor(
    manager: EntityManager,
    householdId: number | undefined,
    villageId: number | null,
  ) {
    if (!householdId) return null;
    const household = await manager.findOneBy(Household, { id: householdId });
    if (!household || household.villageId !== villageId) {
      throw DomainError.validation({ householdId: '所在户必须是本村的户' });
    }
    return household.id;
  }
}

function targetOf(user: User): ScopeTarget {
  return { townshipId: user.townshipId ?? -1, villageId: user.villageId };
}

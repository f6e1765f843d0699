import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { can, Permission } from '../access/permissions.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { isUniqueViolation } from '../common/unique.js';
import { truthy } from '../database/raw.js';
import { scopeOf } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import { DoorPlateBadges } from '../households/door-plate-badges.js';
import { HouseholdsService } from '../households/households.service.js';
import { RulesService } from '../rules/rules.service.js';
import { UsersService } from '../users/users.service.js';
import type { CreateGridDto, GridSettingsDto } from './dto/grids.dto.js';
import { Grid, GridHousehold, GridSettings } from './grid.entity.js';

export interface GridView {
  id: number;
  villageId: number;
  name: string;
  scorerUserId: number | null;
  scorerName: string | null;
  householdIds: number[];
}

/** 网格: a village's households divided into grids, each with its 网格员, and what the village's grid affairs earn. */
@Injectable()
export class GridsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly households: HouseholdsService,
    private readonly users: UsersService,
    private readonly rules: RulesService,
    private readonly badges: DoorPlateBadges,
  ) {}

  onModuleInit(): void {
    // The door plate names the household's grid (网格).
    this.badges.add(async (householdIds) => {
      const names = await this.gridNames(householdIds);
      return new Map([...names].map(([id, name]) => [id, [`网格：${name}`]]));
    });
  }

  /** A new grid of the village (the scope guard has checked the village): all of it, or nothing. */
  async create(actor: Actor, dto: CreateGridDto): Promise<GridView> {
    return this.transactions
      .run(async (manager) => {
        if (dto.scorerUserId !== undefined)
          await this.assertGridWorker(manager, dto.scorerUserId, dto.villageId);
        const households = await this.households.briefs(dto.householdIds);
        if (
          households.length !== dto.householdIds.length ||
          households.some((h) => h.villageId !== dto.villageId || h.status !== 'ACTIVE')
        )
          throw DomainError.validation({ householdIds: '只能勾选本村在册的农户' });
        const taken = await manager.find(GridHousehold, { where: { householdId: In(dto.householdIds) } });
        if (taken.length > 0) {
          const codes = households
            .filter((h) => taken.some((t) => t.householdId === h.id))
            .map((h) => h.code);
          throw DomainError.validation({ householdIds: `这些户已在别的网格：${codes.join('、')}` });
        }
        const grid = await manager.save(
          manager.create(Grid, {
            villageId: dto.villageId,
            name: dto.name,
            scorerUserId: dto.scorerUserId ?? null,
          }),
        );
        if (dto.householdIds.length > 0)
          await manager.insert(
            GridHousehold,
            dto.householdIds.map((householdId) => ({
              householdId,
              gridId: grid.id,
              villageId: dto.villageId,
            })),
          );
        this.transactions.changed(manager, scopeOf(dto.villageId));
        await this.audit.record(
          actor,
          {
            action: 'grid.create',
            entityType: 'grid',
            entityId: grid.id,
            villageId: dto.villageId,
            townshipId: actor.townshipId,
            details: {
              name: grid.name,
              scorerUserId: grid.scorerUserId,
              households: dto.householdIds.length,
            },
          },
          manager,
        );
        return grid;
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw DomainError.validation({ name: '本村已有同名的网格' });
        throw error;
      })
      .then(async (grid) => (await this.views([grid]))[0]);
  }

  /** The village's grids, by name. */
  async ofVillage(villageId: number): Promise<GridView[]> {
    const grids = await this.dataSource
      .getRepository(Grid)
      .find({ where: { villageId }, order: { name: 'ASC' } });
    return this.views(grids);
  }

  /** The village's active households not yet in a grid, in code order: what a new grid is made of. */
  async householdsToPlace(villageId: number): Promise<{ id: number; label: string }[]> {
    const [all, placed] = await Promise.all([
      this.households.briefsInVillage(villageId),
      this.dataSource
        .getRepository(GridHousehold)
        .find({ where: { villageId }, select: { householdId: true } }),
    ]);
    const taken = new Set(placed.map((p) => p.householdId));
    return all
      .filter((h) => h.status === 'ACTIVE' && !taken.has(h.id))
      .map((h) => ({ id: h.id, label: `${h.code} ${h.headName}家` }));
  }

  /** The grid each of some households is in (households without one are left out). */
  async gridNames(householdIds: number[]): Promise<Map<number, string>> {
    if (householdIds.length === 0) return new Map();
    const rows = await this.dataSource
      .getRepository(GridHousehold)
      .find({ where: { householdId: In([...new Set(householdIds)]) } });
    const grids = rows.length
      ? await this.dataSource
          .getRepository(Grid)
          .find({ where: { id: In([...new Set(rows.map((r) => r.gridId))]) } })
      : [];
    const names = new Map(grids.map((g) => [g.id, g.name]));
    return new Map(rows.map((r) => [r.householdId, names.get(r.gridId) ?? '']));
  }

  /** A grid's village and its households, in id order (null when there is no such grid): an inspection round's doors. */
  async members(
    gridId: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ villageId: number; householdIds: number[] } | null> {
    const grid = await manager.findOne(Grid, {
      where: { id: gridId },
      select: { id: true, villageId: true },
    });
    if (!grid) return null;
    const rows = await manager.find(GridHousehold, {
      where: { gridId },
      select: { householdId: true },
      order: { householdId: 'ASC' },
    });
    return { villageId: grid.villageId, householdIds: rows.map((r) => r.householdId) };
  }

  /** What a village's grid affairs earn (no rule: nothing). */
  async settings(villageId: number, manager: EntityManager = this.dataSource.manager): Promise<GridSettings> {
    return (
      (await manager.findOneBy(GridSettings, { villageId })) ?? {
        villageId,
        validReportRuleId: null,
        handledRuleId: null,
      }
    );
  }

  /** The committee decides which steps earn points, under which of the village's active rules. */
  async setSettings(actor: Actor, villageId: number, dto: GridSettingsDto): Promise<GridSettings> {
    return this.transactions.run(async (manager) => {
      for (const field of ['validReportRuleId', 'handledRuleId'] as const) {
        const ruleId = dto[field];
        if (ruleId === undefined || ruleId === null) continue;
        const rule = await this.rules.forRecording(manager, ruleId);
        if (!rule || rule.villageId !== villageId || !truthy(rule.active))
          throw DomainError.validation({ [field]: '请选择本村在用的积分细则' });
        if (rule.maxPoints <= 0) throw DomainError.validation({ [field]: '请选择加分的细则' });
      }
      const settings: GridSettings = {
        villageId,
        validReportRuleId: dto.validReportRuleId ?? null,
        handledRuleId: dto.handledRuleId ?? null,
      };
      await manager.save(GridSettings, settings);
      await this.audit.record(
        actor,
        {
          action: 'grid.settings',
          entityType: 'village',
          entityId: villageId,
          villageId,
          townshipId: actor.townshipId,
          details: { ...settings },
        },
        manager,
      );
      return settings;
    });
  }

  /** The village's staff who may take grid work (网格员 and the committee), for choosers. */
  async gridWorkers(villageId: number): Promise<{ id: number; displayName: string }[]> {
    return (await this.users.villageStaff(villageId))
      .filter((u) => can({ role: u.role }, Permission.GridAffair.Handle))
      .map(({ id, displayName }) => ({ id, displayName }));
  }

  /**
   * A staff account that may take grid work in the village (a 网格员 or the committee): refused in words otherwise.
   * `field` names the form field at fault.
   */
  async assertGridWorker(manager: EntityManager, userId: number, villageId: number, field = 'scorerUserId') {
    const user = await this.users.standing(manager, userId);
    if (
      !user ||
      !user.usable ||
      user.villageId !== villageId ||
      !can({ role: user.role }, Permission.GridAffair.Handle)
    )
      throw DomainError.validation({ [field]: '请选择本村在用的网格员账号' });
    return user;
  }

  /** Grids as the API shows them: their households and 网格员's names in one query each, whatever their number. */
  private async views(grids: Grid[]): Promise<GridView[]> {
    if (grids.length === 0) return [];
    const [members, scorers] = await Promise.all([
      this.dataSource.getRepository(GridHousehold).find({
        where: { gridId: In(grids.map((g) => g.id)) },
        order: { householdId: 'ASC' },
      }),
      this.users.briefs(grids.map((g) => g.scorerUserId).filter((id): id is number => id !== null)),
    ]);
    return grids.map((grid) => ({
      id: grid.id,
      villageId: grid.villageId,
      name: grid.name,
      scorerUserId: grid.scorerUserId,
      scorerName: grid.scorerUserId ? (scorers.get(grid.scorerUserId)?.displayName ?? null) : null,
      householdIds: members.filter((m) => m.gridId === grid.id).map((m) => m.householdId),
    }));
  }
}

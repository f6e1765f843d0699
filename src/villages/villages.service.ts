import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
import { scopeLevel, type Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { definedOnly } from '../common/objects.js';
import type { Paged } from '../common/pagination.js';
import { lockRow } from '../database/locks.js';
import { raw, selectRows } from '../database/raw.js';
import { ReadCache, villageScope } from '../database/read-cache.js';
import { RankingSettingsService, type RankingSettingsValues } from '../rankings/ranking-settings.service.js';
import { ScoringSettingsService } from '../scoring/scoring-settings.service.js';
import type { SupermarketSettings } from '../supermarket/supermarket-settings.entity.js';
import { SupermarketSettingsService } from '../supermarket/supermarket-settings.service.js';
import { Transactions } from '../database/transactions.js';
import { TownshipsService } from '../townships/townships.service.js';
import { CreateVillageDto, GroupDto, UpdateGroupDto, UpdateVillageDto } from './dto/village.dto.js';
import { Group } from './group.entity.js';
import { keptVillage } from './kept-village.js';
import { Village } from './village.entity.js';

/** What the village list shows of each village's feature settings (they live in the features' tables). */
type VillageSettings = { declarationsEnabled: boolean } & Omit<SupermarketSettings, 'villageId'> &
  RankingSettingsValues;

export interface VillageView {
  id: number;
  name: string;
  code: string;
  townshipId: number;
  active: boolean;
  declarationsEnabled: boolean;
  groups: { id: number; name: string; active: boolean }[];
}

@Injectable()
export class VillagesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly scoringSettings: ScoringSettingsService,
    private readonly supermarketSettings: SupermarketSettingsService,
    private readonly rankingSettings: RankingSettingsService,
    private readonly cache: ReadCache,
    private readonly townships: TownshipsService,
  ) {}

  /** A village's row as pages read it, kept in the read cache until a write in it; `fresh` reads the database. */
  kept(id: number, options: { fresh?: boolean } = {}): Promise<Village | null> {
    return keptVillage(this.cache, this.dataSource, id, options);
  }

  /** A village's name, read in the caller's transaction (a receipt number carries it). */
  async nameOf(manager: EntityManager, id: number): Promise<string> {
    const [village] = await raw<{ name: string }>(manager, 'SELECT name FROM village WHERE id = $1', [id]);
    if (!village) throw DomainError.notFound('村');
    return village.name;
  }

  /** A village's row, read in the caller's transaction (null when there is none). */
  findIn(manager: EntityManager, id: number): Promise<Village | null> {
    return manager.findOneBy(Village, { id });
  }

  /**
   * A village the actor may act in, read in the caller's transaction when given: 404 when there is none, 403 outside
   * the actor's scope. What a feature checks when a village comes from a form or a query rather than a guarded path.
   */
  async inScope(
    actor: Actor,
    id: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Village> {
    const village = await manager.findOneBy(Village, { id });
    if (!village) throw DomainError.notFound('村');
    assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
    return village;
  }

  /** A village's row that must exist (a row of the village refers to it), read in the caller's transaction. */
  getIn(manager: EntityManager, id: number): Promise<Village> {
    return manager.findOneByOrFail(Village, { id });
  }

  /** Ids and names of a township's villages, or of every village when none is named (for choosers). */
  async names(townshipId?: number): Promise<{ id: number; name: string }[]> {
    return this.dataSource.getRepository(Village).find({
      select: { id: true, name: true },
      where: townshipId === undefined ? {} : { townshipId },
      order: { id: 'ASC' },
    });
  }

  /** Ids and names of a township's active villages, by name (a township's to-do lists them). */
  async activeNames(townshipId: number): Promise<{ id: number; name: string }[]> {
    const rows = await this.dataSource.getRepository(Village).find({
      select: { id: true, name: true },
      where: { townshipId, active: true },
      order: { name: 'ASC' },
    });
    return rows.map((v) => ({ id: Number(v.id), name: v.name }));
  }

  /** A village's groups in their order, for a filter. */
  async groupNames(villageId: number): Promise<{ id: number; name: string }[]> {
    return this.dataSource.getRepository(Group).find({
      select: { id: true, name: true },
      where: { villageId },
      order: { sortOrder: 'ASC', id: 'ASC' },
    });
  }

  /** A village's groups, retired ones too, in their order: an import matches names against them. */
  groups(villageId: number): Promise<Group[]> {
    return this.dataSource.getRepository(Group).find({
      where: { villageId },
      order: { sortOrder: 'ASC', id: 'ASC' },
    });
  }

  /** A group's row, read in the caller's transaction (null when there is none). */
  groupIn(manager: EntityManager, id: number): Promise<Group | null> {
    return manager.findOneBy(Group, { id });
  }

  /** A township's villages (only the active ones with `active: true`), in id order: plain rows, read on every dashboard. */
  async inTownship(townshipId: number, options: { active?: boolean } = {}): Promise<Village[]> {
    const rows = await selectRows(this.dataSource.manager, Village, {
      townshipId,
      ...(options.active !== undefined && { active: options.active }),
    });
    return rows.sort((a, b) => a.id - b.id);
  }

  /** Holds the village's row until the caller's transaction ends (two imports into the village at once wait here). */
  async lockIn(manager: EntityManager, id: number): Promise<void> {
    await lockRow(manager, Village, id);
  }

  /**
   * Hands out the village's next `count` household numbers in the caller's transaction and gives the last one: the
   * counter moves once, which on PostgreSQL locks the village row until commit, so no number is given twice.
   */
  async takeHouseholdNumbers(manager: EntityManager, id: number, count: number): Promise<number> {
    await manager.increment(Village, { id }, 'householdSeq', count);
    const { householdSeq } = await manager.findOneByOrFail(Village, { id });
    return householdSeq;
  }

  /** Villages in the actor's scope; a township filter narrows the admin's view. */
  async list(
    actor: Actor,
    filter: { townshipId?: number; page: number; pageSize: number },
  ): Promise<Paged<Village & VillageSettings>> {
    const where: FindOptionsWhere<Village> = {};
    const level = scopeLevel(actor);
    if (level === 'county') {
      if (filter.townshipId) where.townshipId = filter.townshipId;
    } else if (level === 'township') {
      where.townshipId = actor.townshipId ?? -1;
    } else {
      where.id = actor.villageId ?? -1;
    }
    const [items, total] = await this.dataSource.getRepository(Village).findAndCount({
      where,
      order: { townshipId: 'ASC', id: 'ASC' },
      skip: (filter.page - 1) * filter.pageSize,
      take: filter.pageSize,
    });
    // The list has always shown each village's settings: each feature answers for its own.
    const ids = items.map((v) => v.id);
    const [scoring, supermarket, ranking] = await Promise.all([
      this.scoringSettings.forVillages(ids),
      this.supermarketSettings.forVillages(ids),
      this.rankingSettings.forVillages(ids),
    ]);
    return {
      items: items.map((v) => ({
        ...v,
        ...(scoring.get(v.id) as { declarationsEnabled: boolean }),
        ...(supermarket.get(v.id) as Omit<SupermarketSettings, 'villageId'>),
        ...(ranking.get(v.id) as RankingSettingsValues),
      })),
      total,
    };
  }

  async get(actor: Actor, id: number): Promise<VillageView> {
    const village = await this.dataSource.getRepository(Village).findOneBy({ id });
    if (!village) throw DomainError.notFound('村');
    assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
    return this.view(this.dataSource.manager, village);
  }

  async create(actor: Actor, dto: CreateVillageDto): Promise<VillageView> {
    return this.transactions.run(async (manager) => {
      const township = await this.townships.findIn(manager, dto.townshipId);
      if (!township) throw DomainError.validation({ townshipId: '所选乡镇不存在' });
      assertInScope(actor, { townshipId: township.id });
      if (!township.active) throw DomainError.validation({ townshipId: '该乡镇已停用' });
      if (await manager.existsBy(Village, { code: dto.code })) {
        throw DomainError.duplicate('code', `村代码 ${dto.code} 已被使用`);
      }
      const village = await manager.save(
        manager.create(Village, { townshipId: township.id, name: dto.name, code: dto.code }),
      );
      const groups = dto.groups ?? [];
      if (groups.length > 0) {
        await manager.insert(
          Group,
          groups.map((name, i) => ({ villageId: village.id, name, sortOrder: i + 1 })),
        );
      }
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action: 'village.create',
          entityType: 'village',
          entityId: village.id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: { name: dto.name, code: dto.code, groups },
        },
        manager,
      );
      return this.view(manager, village);
    });
  }

  async update(actor: Actor, id: number, dto: UpdateVillageDto): Promise<VillageView> {
    return this.transactions.run(async (manager) => {
      const village = await manager.findOneBy(Village, { id });
      if (!village) throw DomainError.notFound('村');
      assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
      const changes = definedOnly({ name: dto.name, active: dto.active });
      Object.assign(village, changes);
      await manager.save(village);
      const action =
        dto.active === false
          ? 'village.deactivate'
          : dto.active === true
            ? 'village.activate'
            : 'village.update';
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action,
          entityType: 'village',
          entityId: id,
          townshipId: village.townshipId,
          villageId: id,
          details: changes,
        },
        manager,
      );
      return this.view(manager, village);
    });
  }

  async addGroup(actor: Actor, villageId: number, dto: GroupDto): Promise<Group> {
    return this.transactions.run(async (manager) => {
      const village = await manager.findOneBy(Village, { id: villageId });
      if (!village) throw DomainError.notFound('村');
      assertInScope(actor, { townshipId: village.townshipId, villageId });
      if (await manager.existsBy(Group, { villageId, name: dto.name })) {
        throw DomainError.duplicate('name', `本村已有“${dto.name}”`);
      }
      const count = await manager.countBy(Group, { villageId });
      const group = await manager.save(
        manager.create(Group, { villageId, name: dto.name, sortOrder: count + 1 }),
      );
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action: 'group.create',
          entityType: 'group',
          entityId: group.id,
          townshipId: village.townshipId,
          villageId,
          details: { ...dto },
        },
        manager,
      );
      return group;
    });
  }

  async updateGroup(actor: Actor, groupId: number, dto: UpdateGroupDto): Promise<Group> {
    return this.transactions.run(async (manager) => {
      const group = await manager.findOneBy(Group, { id: groupId });
      if (!group) throw DomainError.notFound('村民小组');
      const village = await manager.findOneByOrFail(Village, { id: group.villageId });
      assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
      if (
        dto.name !== undefined &&
        dto.name !== group.name &&
        (await manager.existsBy(Group, { villageId: village.id, name: dto.name }))
      ) {
        throw DomainError.duplicate('name', `本村已有“${dto.name}”`);
      }
      const changes = definedOnly({ name: dto.name, active: dto.active });
      Object.assign(group, changes);
      await manager.save(group);
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action: 'group.update',
          entityType: 'group',
          entityId: group.id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: changes,
        },
        manager,
      );
      return group;
    });
  }

  /** A village setting kept by its committee: may villagers declare their own good deeds (申报)? */
  async setDeclarations(actor: Actor, villageId: number, enabled: boolean): Promise<VillageView> {
    return this.transactions.run(async (manager) => {
      const village = await manager.findOneBy(Village, { id: villageId });
      if (!village) throw DomainError.notFound('村');
      assertInScope(actor, { townshipId: village.townshipId, villageId });
      await this.scoringSettings.setDeclarations(manager, villageId, enabled);
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action: 'village.settings',
          entityType: 'village',
          entityId: villageId,
          townshipId: village.townshipId,
          villageId,
          details: { declarationsEnabled: enabled },
        },
        manager,
      );
      return this.view(manager, village);
    });
  }

  private async view(manager: EntityManager, village: Village): Promise<VillageView> {
    const groups = await manager.find(Group, {
      where: { villageId: village.id },
      order: { sortOrder: 'ASC', id: 'ASC' },
    });
    return {
      id: village.id,
      name: village.name,
      code: village.code,
      townshipId: village.townshipId,
      active: village.active,
      declarationsEnabled: await this.scoringSettings.declarationsEnabled(village.id, manager),
      groups: groups.map((g) => ({ id: g.id, name: g.name, active: g.active })),
    };
  }
}

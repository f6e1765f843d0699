import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In, MoreThan } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { hashSecret } from '../auth/password.js';
import { SessionsService } from '../auth/sessions.service.js';
import { DomainError } from '../common/domain-error.js';
import { definedOnly } from '../common/objects.js';
import type { Paged } from '../common/pagination.js';
import { holdRow, lockRow } from '../database/locks.js';
import { isPostgres, raw } from '../database/raw.js';
import { villageScope } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import type { Village } from '../villages/village.entity.js';
import { VillagesService } from '../villages/villages.service.js';
import { CreateHouseholdDto, UpdateHouseholdDto } from './dto/household.dto.js';
import { householdCode } from './household-code.js';
import { Household } from './household.entity.js';

/** A household as the API shows it (API.md): never the PIN hash. */
export type PublicHousehold = Omit<Household, 'pinHash' | 'pinVersion'> & { canLogIn: boolean };

/** What a new household is made of; the code and the zero balances come with the insert. */
export interface NewHousehold {
  groupId: number | null;
  headName: string;
  memberCount: number;
  phone: string | null;
  pinHash: string | null;
}

/** A household as lists and rankings name it: no balances, no PIN. */
export interface HouseholdBrief {
  id: number;
  villageId: number;
  groupId: number | null;
  code: string;
  headName: string;
  status: Household['status'];
}

const BRIEF = 'id, "villageId", "groupId", code, "headName", status';

const brief = (r: HouseholdBrief): HouseholdBrief => ({
  id: Number(r.id),
  villageId: Number(r.villageId),
  groupId: r.groupId === null ? null : Number(r.groupId),
  code: r.code,
  headName: r.headName,
  status: r.status,
});

/** Rows per multi-row INSERT: well under SQLite's limits on variables and expression depth. */
const INSERT_CHUNK = 500;

/** `canLogIn`: a PIN has been set (imported households have none until the committee sets one). */
export function publicHousehold(household: Household): PublicHousehold {
  const { pinHash, pinVersion: _version, ...rest } = household;
  return { ...rest, canLogIn: pinHash !== null && household.status === 'ACTIVE' };
}

/** 户: created by the committee, with a generated door-plate code and a PIN for the villager login. */
export type PassbookHousehold = Pick<
  Household,
  'id' | 'code' | 'villageId' | 'groupId' | 'headName' | 'memberCount' | 'available' | 'earned' | 'status'
>;

@Injectable()
export class HouseholdsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly villages: VillagesService,
  ) {}

  async list(filter: {
    villageId: number;
    q?: string;
    groupId?: number;
    page: number;
    pageSize: number;
  }): Promise<Paged<PublicHousehold>> {
    const qb = this.dataSource
      .getRepository(Household)
      .createQueryBuilder('h')
      .where('h.villageId = :villageId', { villageId: filter.villageId })
      .orderBy('h.code', 'ASC')
      .skip((filter.page - 1) * filter.pageSize)
      .take(filter.pageSize);
    if (filter.groupId) qb.andWhere('h.groupId = :groupId', { groupId: filter.groupId });
    if (filter.q) {
      const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(
        new Brackets((w) =>
          w
            .where("h.headName LIKE :like ESCAPE '\\'", { like })
            .orWhere("UPPER(h.code) LIKE UPPER(:like) ESCAPE '\\'", { like })
            .orWhere("h.phone LIKE :like ESCAPE '\\'", { like }),
        ),
      );
    }
    const [items, total] = await qb.getManyAndCount();
    return { items: items.map(publicHousehold), total };
  }

  /** Staff in scope, or the household itself. */
  /** `TY-0001 李大山家` for each id, as lists and receipts name a household, in one query (in the caller's transaction when given). */
  async labels(
    ids: number[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<number, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await manager.find(Household, {
      where: { id: In(unique) },
      select: { id: true, code: true, headName: true },
    });
    return new Map(rows.map((h) => [h.id, `${h.code} ${h.headName}家`]));
  }

  /**
   * The household as its passbook heads it, with its balances (which the ledger keeps): read many times at month end,
   * so one plain query, no entity.
   */
  async passbookRow(id: number): Promise<PassbookHousehold | null> {
    const [row] = await raw<PassbookHousehold>(
      this.dataSource,
      `SELECT id, code, "villageId", "groupId", "headName", "memberCount", available, earned, status
        FROM household WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** The household with this door-plate code, read in the caller's transaction (null when there is none). */
  withCode(manager: EntityManager, code: string): Promise<Household | null> {
    return manager.findOneBy(Household, { code });
  }

  /**
   * Each household's door-plate code and head's name by id, in one query (lists that sort by the code); in the
   * caller's transaction when given.
   */
  async codesAndNames(
    ids: number[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<number, { code: string; headName: string }>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await manager.find(Household, {
      where: { id: In(unique) },
      select: { id: true, code: true, headName: true },
    });
    return new Map(rows.map((h) => [h.id, { code: h.code, headName: h.headName }]));
  }

  /** A household of the village (null when the id is another village's or none), in the caller's transaction. */
  inVillage(manager: EntityManager, id: number, villageId: number): Promise<Household | null> {
    return manager.findOneBy(Household, { id, villageId });
  }

  /** A household's row, read in the caller's transaction (null when there is none). */
  findIn(manager: EntityManager, id: number): Promise<Household | null> {
    return manager.findOneBy(Household, { id });
  }

  /**
   * Holds the household's row until the caller's transaction ends, without reading it (PostgreSQL; SQLite writes run
   * one at a time): a second request for the same household waits for the first to commit.
   */
  hold(manager: EntityManager, id: number): Promise<void> {
    return holdRow(manager, Household, id);
  }

  /**
   * A household's village and status, in one plain statement in the caller's transaction, and on PostgreSQL its row held
   * until commit: recording (the busiest write at month end) checks a new record against it. Undefined when none.
   */
  async forRecording(
    manager: EntityManager,
    id: number,
  ): Promise<{ id: number; villageId: number; status: Household['status'] } | undefined> {
    const [household] = await raw<{ id: number; villageId: number; status: Household['status'] }>(
      manager,
      `SELECT id, "villageId", status FROM household WHERE id = $1${isPostgres(manager) ? ' FOR NO KEY UPDATE' : ''}`,
      [id],
    );
    return household;
  }

  /** A household's row, held until the caller's transaction ends (after its village's book, as every move takes it). */
  lockIn(manager: EntityManager, id: number): Promise<Household | null> {
    return lockRow(manager, Household, id);
  }

  /** The village a household belongs to (null when there is none), read before its book is locked: one plain query. */
  async villageOf(id: number): Promise<number | null> {
    const [row] = await raw<{ villageId: number }>(
      this.dataSource,
      'SELECT "villageId" FROM household WHERE id = $1',
      [id],
    );
    return row ? row.villageId : null;
  }

  /**
   * The village's households with more than `keep` available points (清零), in id order, in one query; `limit` keeps
   * the first ones only. In the caller's transaction when a manager is given.
   */
  availableAbove(
    villageId: number,
    keep: number,
    options: { manager?: EntityManager; limit?: number } = {},
  ): Promise<Pick<Household, 'id' | 'available'>[]> {
    return (options.manager ?? this.dataSource.manager).find(Household, {
      where: { villageId, available: MoreThan(keep) },
      select: { id: true, available: true },
      order: { id: 'ASC' },
      ...(options.limit !== undefined && { take: options.limit }),
    });
  }

  /** Households by id, in id order, with what lists and rankings name them by: one plain query. */
  async briefs(ids: number[]): Promise<HouseholdBrief[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const rows = await raw<HouseholdBrief>(
      this.dataSource,
      `SELECT ${BRIEF} FROM household WHERE id IN (${unique.map((_, i) => `$${i + 1}`).join(', ')}) ORDER BY id`,
      unique,
    );
    return rows.map(brief);
  }

  /**
   * Every household of a village (or of one of its groups), moved-out ones included, in code order: what a ranking
   * is made of (the ledger's period totals are joined to it by id). One plain query: the monthly ranking reads it.
   */
  async briefsInVillage(villageId: number, groupId?: number | null): Promise<HouseholdBrief[]> {
    const rows = await raw<HouseholdBrief>(
      this.dataSource,
      groupId
        ? `SELECT ${BRIEF} FROM household WHERE "villageId" = $1 AND "groupId" = $2 ORDER BY code`
        : `SELECT ${BRIEF} FROM household WHERE "villageId" = $1 ORDER BY code`,
      groupId ? [villageId, groupId] : [villageId],
    );
    return rows.map(brief);
  }

  async get(actor: Actor, id: number): Promise<PublicHousehold> {
    const household = await this.dataSource.getRepository(Household).findOneBy({ id });
    if (!household) throw DomainError.notFound('农户');
    if (actor.kind === 'household') {
      if (actor.id !== household.id) throw DomainError.forbidden('只能查看自家的信息');
    } else {
      const village = await this.villages.getIn(this.dataSource.manager, household.villageId);
      assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
    }
    return publicHousehold(household);
  }

  async create(actor: Actor, dto: CreateHouseholdDto): Promise<PublicHousehold> {
    const pinHash = await hashSecret(dto.pin);
    return this.transactions.run(async (manager) => {
      const village = await this.villages.findIn(manager, dto.villageId);
      if (!village) throw DomainError.validation({ villageId: '所选村不存在' });
      assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
      if (!village.active) throw DomainError.validation({ villageId: '该村已停用' });
      const groupId = await this.groupOf(manager, village.id, dto.groupId);
      const [household] = await this.insert(manager, village, [
        { groupId, headName: dto.headName, memberCount: dto.memberCount, phone: dto.phone ?? null, pinHash },
      ]);
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action: 'household.create',
          entityType: 'household',
          entityId: household.id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: {
            code: household.code,
            headName: household.headName,
            groupId,
            memberCount: dto.memberCount,
          },
        },
        manager,
      );
      return publicHousehold(household);
    });
  }

  async update(actor: Actor, id: number, dto: UpdateHouseholdDto): Promise<PublicHousehold> {
    return this.change(actor, id, 'household.update', async (manager, household) => {
      const changes = definedOnly({
        headName: dto.headName,
        memberCount: dto.memberCount,
        phone: dto.phone,
        groupId:
          dto.groupId === undefined
            ? undefined
            : await this.groupOf(manager, household.villageId, dto.groupId),
      });
      Object.assign(household, changes);
      return changes;
    });
  }

  /** 迁出: the history stays; the household gets no new scores and its PIN stops working. */
  async moveOut(actor: Actor, id: number, on: string): Promise<PublicHousehold> {
    const result = await this.change(actor, id, 'household.move_out', async (_manager, household) => {
      if (household.status === 'MOVED_OUT') throw new DomainError('INVALID_STATE', '该户已经迁出');
      household.status = 'MOVED_OUT';
      household.movedOutOn = on;
      household.pinVersion += 1;
      return { movedOutOn: on };
    });
    await this.sessions.closeAllFor({ householdId: id });
    return result;
  }

  /** Sets a new PIN (shown once to the committee, only its hash kept); the household's old logins end. */
  async resetPin(actor: Actor, id: number, pin: string): Promise<PublicHousehold> {
    const pinHash = await hashSecret(pin);
    const result = await this.change(actor, id, 'household.pin_reset', async (_manager, household) => {
      household.pinHash = pinHash;
      household.pinVersion += 1;
      return {};
    });
    await this.sessions.closeAllFor({ householdId: id });
    return result;
  }

  /**
   * Inserts households with the next codes of their village, in the order given. The counter moves once, by the
   * number of rows, in the caller's transaction: on PostgreSQL that locks the village row until commit, so no code is
   * handed out twice. Rows go in as multi-row INSERTs (STACK-NOTES: one `save()` per row is ten times slower).
   */
  async insert(manager: EntityManager, village: Village, rows: NewHousehold[]): Promise<Household[]> {
    if (rows.length === 0) return [];
    const householdSeq = await this.villages.takeHouseholdNumbers(manager, village.id, rows.length);
    const first = householdSeq - rows.length + 1;
    const values = rows.map((fields, i) => ({
      villageId: village.id,
      code: householdCode(village.code, first + i),
      ...fields,
    }));
    const created: Household[] = [];
    for (let start = 0; start < values.length; start += INSERT_CHUNK) {
      const chunk = values.slice(start, start + INSERT_CHUNK);
      await manager.createQueryBuilder().insert().into(Household).values(chunk).updateEntity(false).execute();
      const byCode = new Map(
        (await manager.findBy(Household, { code: In(chunk.map((v) => v.code)) })).map((h) => [h.code, h]),
      );
      for (const { code } of chunk) created.push(byCode.get(code) as Household);
    }
    return created;
  }

  private async change(
    actor: Actor,
    id: number,
    action: string,
    apply: (manager: EntityManager, household: Household) => Promise<Record<string, unknown>>,
  ): Promise<PublicHousehold> {
    return this.transactions.run(async (manager) => {
      const household = await manager.findOneBy(Household, { id });
      if (!household) throw DomainError.notFound('农户');
      const village = await this.villages.getIn(manager, household.villageId);
      assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
      const details = await apply(manager, household);
      await manager.save(household);
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action,
          entityType: 'household',
          entityId: id,
          townshipId: village.townshipId,
          villageId: village.id,
          details,
        },
        manager,
      );
      return publicHousehold(household);
    });
  }

  private async groupOf(
    manager: EntityManager,
    villageId: number,
    groupId: number | undefined,
  ): Promise<number | null> {
    if (!groupId) return null;
    const group = await this.villages.groupIn(manager, groupId);
    if (!group || group.villageId !== villageId)
      throw DomainError.validation({ groupId: '村民小组必须是本村的' });
    return group.id;
  }

  /** How many active households each village has (villages without any are left out). */
  async activeCountByVillage(villageIds: number[]): Promise<Map<number, number>> {
    if (villageIds.length === 0) return new Map();
    const rows = await this.dataSource
      .createQueryBuilder()
      .select('h.villageId', 'villageId')
      .addSelect('COUNT(*)', 'n')
      .from(Household, 'h')
      .where("h.villageId IN (:...ids) AND h.status = 'ACTIVE'", { ids: villageIds })
      .groupBy('h.villageId')
      .getRawMany();
    return new Map(rows.map((r) => [Number(r.villageId), Number(r.n ?? 0)]));
  }

  /** The active households of some villages, each with its village. */
  async activeOf(villageIds: number[]): Promise<{ id: number; villageId: number }[]> {
    if (villageIds.length === 0) return [];
    const rows = await this.dataSource
      .createQueryBuilder()
      .select('h.id', 'id')
      .addSelect('h.villageId', 'villageId')
      .from(Household, 'h')
      .where("h.villageId IN (:...ids) AND h.status = 'ACTIVE'", { ids: villageIds })
      .getRawMany();
    return rows.map((r) => ({ id: Number(r.id), villageId: Number(r.villageId) }));
  }
}

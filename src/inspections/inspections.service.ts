import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { isUniqueViolation } from '../common/unique.js';
import { lockRow } from '../database/locks.js';
import { insertRow, truthy, updateRow, updateRowIf } from '../database/raw.js';
import { scopeOf } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import { GridsService } from '../grids/grids.service.js';
import { HouseholdsService } from '../households/households.service.js';
import { outsideRange, withinRange } from '../rules/rule-points.js';
import { RulesService } from '../rules/rules.service.js';
import { ScoringService } from '../scoring/scoring.service.js';
import { VillagesService } from '../villages/villages.service.js';
import type { CreateEntryDto, CreateRoundDto } from './dto/inspections.dto.js';
import { InspectionEntry, InspectionRound } from './inspection-round.entity.js';

/** One rule of a round's checklist. */
export interface ChecklistItem {
  ruleId: number;
  code: string;
  title: string;
  minPoints: number;
  maxPoints: number;
  evidenceRequired: boolean;
}

/** A round with what it checks (the checklist) and where (the households), and what was found so far. */
export interface RoundDetail {
  round: InspectionRound;
  checklist: ChecklistItem[];
  households: { id: number; code: string; headName: string }[];
  entries: InspectionEntry[];
}

/**
 * 入户检查: a 网格员 opens a round over a grid's households (or the village's), against the village's active rules of
 * one category, sends what was found at each household from the phone (each entry once, however often it is sent),
 * and submits the round: one PENDING record per entry, all in one transaction, once.
 *
 * The checklist and the households are read when asked, not copied into the round: a rule retired or a household
 * moved out while the round is open is no longer offered, and its entries are refused at submit (naming the household).
 */
@Injectable()
export class InspectionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly grids: GridsService,
    private readonly households: HouseholdsService,
    private readonly rules: RulesService,
    private readonly scoring: ScoringService,
    private readonly villages: VillagesService,
  ) {}

  /** Opens a round (the scope guard has checked the village). */
  async open(actor: Actor, dto: CreateRoundDto): Promise<RoundDetail> {
    const round = await this.transactions.run(async (manager) => {
      const village = await this.villages.getIn(manager, dto.villageId);
      assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
      if (dto.gridId !== undefined) {
        const grid = await this.grids.members(dto.gridId, manager);
        if (!grid || grid.villageId !== village.id)
          throw DomainError.validation({ gridId: '请选择本村的网格' });
      }
      const checklist = await this.rules.activeInCategory(village.id, dto.category, manager);
      if (checklist.length === 0)
        throw DomainError.validation({ category: `本村没有在用的“${dto.category}”类细则` });
      const round = await insertRow(manager, InspectionRound, {
        villageId: village.id,
        gridId: dto.gridId ?? null,
        title: dto.title,
        category: dto.category,
        status: 'OPEN',
        createdBy: actor.id,
        createdAt: this.clock.now(),
        submittedAt: null,
      });
      await this.auditRound(manager, actor, 'inspection.open', round, {
        title: round.title,
        category: round.category,
        gridId: round.gridId,
      });
      return round;
    });
    return this.detail(round);
  }

  /** A village's rounds, the newest first, with how many entries each has. */
  async ofVillage(villageId: number): Promise<(InspectionRound & { entries: number })[]> {
    const rounds = await this.dataSource
      .getRepository(InspectionRound)
      .find({ where: { villageId }, order: { id: 'DESC' }, take: 100 });
    const entries = rounds.length
      ? await this.dataSource
          .getRepository(InspectionEntry)
          .find({ where: { roundId: In(rounds.map((r) => r.id)) }, select: { roundId: true } })
      : [];
    return rounds.map((r) => ({ ...r, entries: entries.filter((e) => e.roundId === r.id).length }));
  }

  /** A round with its checklist, its households and its entries, for staff of its village. */
  async get(actor: Actor, id: number): Promise<RoundDetail> {
    const round = await this.dataSource.getRepository(InspectionRound).findOneBy({ id });
    if (!round) throw DomainError.notFound('入户检查');
    const village = await this.villages.getIn(this.dataSource.manager, round.villageId);
    assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
    return this.detail(round);
  }

  /**
   * What was found at one household under one rule. The same key again (the phone sent it twice) gives back the first
   * entry and writes nothing, even once the round was submitted; the same key with another finding is a conflict.
   */
  async addEntry(
    actor: Actor,
    roundId: number,
    dto: CreateEntryDto,
    photoPath: string | null = null,
  ): Promise<{ entry: InspectionEntry; created: boolean }> {
    const earlier = () =>
      this.dataSource
        .getRepository(InspectionEntry)
        .findOneBy({ roundId, idempotencyKey: dto.idempotencyKey });
    return this.transactions
      .run(async (manager) => {
        // Held until commit: a submit waits for the entry, or the entry sees the round submitted.
        const round = await this.held(manager, actor, roundId);
        const [repeat] = await manager.find(InspectionEntry, {
          where: { roundId, idempotencyKey: dto.idempotencyKey },
        });
        if (repeat) return { entry: sameFinding(repeat, dto), created: false };
        if (round.status !== 'OPEN')
          throw new DomainError('INVALID_STATE', '这次入户检查已经提交，不能再添加检查情况');
        if (!(await this.householdIds(round, manager)).includes(dto.householdId))
          throw DomainError.validation({ householdId: '这户不在本次检查的农户里' });
        const rule = (await this.rules.activeInCategory(round.villageId, round.category, manager)).find(
          (r) => r.id === dto.ruleId,
        );
        if (!rule) throw DomainError.validation({ ruleId: '这条细则不在本次检查的清单里' });
        if (dto.points !== undefined && !withinRange(dto.points, rule.minPoints, rule.maxPoints))
          throw DomainError.validation({ points: outsideRange(rule.minPoints, rule.maxPoints) });
        if (truthy(rule.evidenceRequired) && !photoPath && !dto.note)
          throw DomainError.validation({ note: '这条细则需要证据：请拍照或写明情况' });
        const entry = await insertRow(manager, InspectionEntry, {
          roundId,
          householdId: dto.householdId,
          ruleId: dto.ruleId,
          points: dto.points ?? null,
          note: dto.note || null,
          photoPath,
          idempotencyKey: dto.idempotencyKey,
          createdBy: actor.id,
          recordId: null,
          createdAt: this.clock.now(),
        });
        await this.auditRound(manager, actor, 'inspection.entry', round, {
          entryId: entry.id,
          householdId: entry.householdId,
          ruleId: entry.ruleId,
          points: entry.points,
          note: entry.note,
        });
        return { entry, created: true };
      })
      .catch(async (error: unknown) => {
        // Two sends of one entry raced past the lookup (PostgreSQL): the unique index let one in; answer with it.
        const first = isUniqueViolation(error) ? await earlier() : null;
        if (first) return { entry: sameFinding(first, dto), created: false };
        throw error;
      });
  }

  /**
   * Submits the round: one PENDING record per entry through ScoringService, all in one transaction (a refusal names
   * the household and undoes all). A second submit answers the same records and makes none.
   */
  async submit(
    actor: Actor,
    id: number,
  ): Promise<{ round: InspectionRound; recordIds: number[]; repeated: boolean }> {
    return this.transactions.run(async (manager) => {
      const round = await this.held(manager, actor, id);
      const entries = await manager.find(InspectionEntry, { where: { roundId: id }, order: { id: 'ASC' } });
      if (round.status === 'SUBMITTED')
        return { round, recordIds: entries.map((e) => e.recordId as number), repeated: true };
      // The deed happened on the round's day, whenever the phone got through.
      const occurredOn = todayInChina(round.createdAt);
      const recordIds: number[] = [];
      for (const entry of entries) {
        const record = await this.scoring.namingHousehold(manager, entry.householdId, () =>
          this.scoring.recordIn(manager, actor, {
            householdId: entry.householdId,
            ruleId: entry.ruleId,
            points: entry.points ?? undefined,
            occurredOn,
            evidencePath: entry.photoPath,
            note: `入户检查“${round.title}”${entry.note ? `：${entry.note}` : ''}`,
          }),
        );
        await updateRow(manager, InspectionEntry, entry.id, { recordId: record.id });
        recordIds.push(record.id);
      }
      const submittedAt = this.clock.now();
      if (
        !(await updateRowIf(
          manager,
          InspectionRound,
          round.id,
          { status: 'OPEN' },
          { status: 'SUBMITTED', submittedAt },
        ))
      )
        throw new DomainError('INVALID_STATE', '这次入户检查已经提交');
      Object.assign(round, { status: 'SUBMITTED', submittedAt });
      await this.auditRound(manager, actor, 'inspection.submit', round, {
        title: round.title,
        records: recordIds.length,
        recordIds,
      });
      return { round, recordIds, repeated: false };
    });
  }

  /** The round's checklist, households and entries, each asked of its owner once. */
  private async detail(round: InspectionRound): Promise<RoundDetail> {
    const [checklist, householdIds, entries] = await Promise.all([
      this.rules.activeInCategory(round.villageId, round.category),
      this.householdIds(round, this.dataSource.manager),
      this.dataSource
        .getRepository(InspectionEntry)
        .find({ where: { roundId: round.id }, order: { id: 'ASC' } }),
    ]);
    const households = await this.households.briefs(householdIds);
    return {
      round,
      checklist: checklist.map((r) => ({
        ruleId: r.id,
        code: r.code,
        title: r.title,
        minPoints: r.minPoints,
        maxPoints: r.maxPoints,
        evidenceRequired: truthy(r.evidenceRequired),
      })),
      households: households
        .sort((a, b) => a.code.localeCompare(b.code))
        .map(({ id, code, headName }) => ({ id, code, headName })),
      entries,
    };
  }

  /** The round's doors: its grid's active households, or the village's active ones when it has no grid. */
  private async householdIds(round: InspectionRound, manager: EntityManager): Promise<number[]> {
    if (round.gridId === null)
      return (await this.households.briefsInVillage(round.villageId))
        .filter((h) => h.status === 'ACTIVE')
        .map((h) => h.id);
    const ids = (await this.grids.members(round.gridId, manager))?.householdIds ?? [];
    return (await this.households.briefs(ids))
      .filter((h) => h.status === 'ACTIVE' && h.villageId === round.villageId)
      .map((h) => h.id);
  }

  /** The round's row, held until the transaction ends, after checking the actor may act in its village. */
  private async held(manager: EntityManager, actor: Actor, id: number): Promise<InspectionRound> {
    const round = await lockRow(manager, InspectionRound, id);
    if (!round) throw DomainError.notFound('入户检查');
    const village = await this.villages.getIn(manager, round.villageId);
    assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
    return round;
  }

  private async auditRound(
    manager: EntityManager,
    actor: Actor,
    action: string,
    round: InspectionRound,
    details: Record<string, unknown>,
  ) {
    this.transactions.changed(manager, scopeOf(round.villageId));
    await this.audit.record(
      actor,
      {
        action,
        entityType: 'inspection_round',
        entityId: round.id,
        villageId: round.villageId,
        townshipId: actor.townshipId,
        details,
      },
      manager,
    );
  }
}

/** The entry an earlier send made, when this send says the same; another finding under the same key is refused. */
function sameFinding(earlier: InspectionEntry, dto: CreateEntryDto): InspectionEntry {
  if (
    earlier.householdId !== dto.householdId ||
    earlier.ruleId !== dto.ruleId ||
    earlier.points !== (dto.points ?? null) ||
    earlier.note !== (dto.note || null)
  )
    throw new DomainError('IDEMPOTENCY_CONFLICT', '同一个幂等键已用于另一条检查情况');
  return earlier;
}

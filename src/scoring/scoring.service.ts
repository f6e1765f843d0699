import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { scopeLevel, type Actor } from '../access/actor.js';
import { assertInScope, type ScopeTarget } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { isRealDate, todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { definedOnly } from '../common/objects.js';
import { isUniqueViolation } from '../common/unique.js';
import type { Paged } from '../common/pagination.js';
import { lockRow } from '../database/locks.js';
import { insertRow, isPostgres, raw, selectRows, truthy, updateRow } from '../database/raw.js';
import { scopeOf } from '../database/read-cache.js';
import { ScoringSettingsService } from './scoring-settings.service.js';
import { Transactions } from '../database/transactions.js';
import { scopeOfVillage } from '../villages/scope-of-village.js';
import { HouseholdsService } from '../households/households.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { defaultPoints, outsideRange, withinRange } from '../rules/rule-points.js';
import { RulesService } from '../rules/rules.service.js';
import {
  BatchScoreRecordDto,
  CreateScoreRecordDto,
  DeclarationDto,
  ReviewManyDto,
} from './dto/score-record.dto.js';
import { COUNCIL_REJECT_REASON } from './council-decision.js';
import { capPeriodOf, capRefusal, NOT_COUNTED } from './record-cap.js';
import { moveRecord, statesBefore } from './record-status.js';
import { NoticesService } from '../notices/notices.service.js';
import { noticeText } from '../notices/notice-texts.js';
import { RecordStatus, ScoreRecord } from './score-record.entity.js';

/** A record as the API shows it (API.md). */
export function recordView(r: ScoreRecord) {
  return {
    id: r.id,
    villageId: r.villageId,
    householdId: r.householdId,
    ruleId: r.ruleId,
    ruleVersionId: r.ruleVersionId,
    points: r.points,
    occurredOn: r.occurredOn,
    status: r.status,
    note: r.note,
    hasEvidence: r.evidencePath !== null,
    recordedBy: r.recordedBy,
    declaredBy: r.declaredBy,
    reviewedBy: r.reviewedBy,
    rejectReason: r.rejectReason,
    publicationId: r.publicationId,
    createdAt: r.createdAt,
  };
}
export type RecordView = ReturnType<typeof recordView>;

interface NewRecord {
  householdId: number;
  ruleId: number;
  occurredOn: string;
  points?: number;
  note?: string | null;
  evidencePath?: string | null;
  batchKey?: string | null;
  idempotencyKey?: string | null;
}

/** 登记 and 审核: recording deeds for households and reviewing them, up to APPROVED (publications take it from there). */
@Injectable()
export class ScoringService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly settings: ScoringSettingsService,
    private readonly notices: NoticesService,
    private readonly rules: RulesService,
    private readonly households: HouseholdsService,
  ) {}

  async list(filter: {
    villageId: number;
    status?: RecordStatus;
    householdId?: number;
    page: number;
    pageSize: number;
  }): Promise<Paged<ScoreRecord>> {
    const [items, total] = await this.dataSource.getRepository(ScoreRecord).findAndCount({
      where: definedOnly({
        villageId: filter.villageId,
        status: filter.status,
        householdId: filter.householdId,
      }),
      order: { id: 'DESC' },
      skip: (filter.page - 1) * filter.pageSize,
      take: filter.pageSize,
    });
    return { items, total };
  }

  /**
   * Every record about one household, newest first (for the household itself): declared by it or made by staff, with
   * the rule's title as it was recorded; a posted record that was corrected since says CORRECTED.
   */
  async ofHousehold(householdId: number, limit = 100): Promise<HouseholdRecord[]> {
    const records = await this.dataSource
      .getRepository(ScoreRecord)
      .find({ where: { householdId }, order: { id: 'DESC' }, take: limit });
    if (records.length === 0) return [];
    const ids = records.map((r) => r.id);
    const titles = await this.rules.versionTitles(records.map((r) => r.ruleVersionId));
    const corrected = await this.ledger.referenced(householdId, 'SCORE_CORRECTION', 'score_record', ids);
    return records.map((r) => ({
      id: r.id,
      ruleId: r.ruleId,
      ruleTitle: titles.get(r.ruleVersionId) ?? '',
      points: r.points,
      occurredOn: r.occurredOn,
      status: r.status === 'POSTED' && corrected.has(r.id) ? 'CORRECTED' : r.status,
      reason: r.status === 'REJECTED' ? r.rejectReason : null,
      publicationId: r.publicationId,
      declared: r.declaredBy !== null,
      createdAt: r.createdAt,
    }));
  }

  async get(actor: Actor, id: number): Promise<ScoreRecord> {
    const record = await this.dataSource.getRepository(ScoreRecord).findOneBy({ id });
    if (!record) throw DomainError.notFound('积分记录');
    assertInScope(actor, await scopeOfVillage(this.dataSource.manager, record.villageId));
    return record;
  }

  /** Records one deed. The same idempotency key from the same person gives back the first record, not a second. */
  async record(
    actor: Actor,
    dto: CreateScoreRecordDto & { evidencePath?: string | null },
  ): Promise<{ record: ScoreRecord; created: boolean }> {
    return this.recordOnce(actor, dto).catch(async (error: unknown) => {
      // Two requests with one key raced past the lookup: the unique index let one in; answer the other with it.
      if (!isUniqueViolation(error) || !dto.idempotencyKey || actor.kind !== 'user') throw error;
      const earlier = await this.dataSource
        .getRepository(ScoreRecord)
        .findOneByOrFail({ recordedBy: actor.id, idempotencyKey: dto.idempotencyKey });
      return { record: this.sameRequest(earlier, dto), created: false };
    });
  }

  private sameRequest(earlier: ScoreRecord, dto: CreateScoreRecordDto): ScoreRecord {
    if (
      earlier.householdId !== dto.householdId ||
      earlier.ruleId !== dto.ruleId ||
      earlier.occurredOn !== dto.occurredOn
    ) {
      throw new DomainError('IDEMPOTENCY_CONFLICT', '同一个幂等键已用于另一条登记');
    }
    return earlier;
  }

  private async recordOnce(
    actor: Actor,
    dto: CreateScoreRecordDto & { evidencePath?: string | null },
  ): Promise<{ record: ScoreRecord; created: boolean }> {
    return this.transactions.run(async (manager) => {
      // A double tap sends two requests at once: the second waits here until the first is committed (PostgreSQL;
      // on SQLite writes already run one at a time).
      await this.households.hold(manager, dto.householdId);
      if (dto.idempotencyKey && actor.kind === 'user') {
        const [earlier] = await selectRows(manager, ScoreRecord, {
          recordedBy: actor.id,
          idempotencyKey: dto.idempotencyKey,
        });
        if (earlier) return { record: this.sameRequest(earlier, dto), created: false };
      }
      const record = await this.createRecord(manager, actor, dto);
      await this.auditRecord(manager, actor, 'score.record', record);
      return { record, created: true };
    });
  }

  /**
   * Runs one household's part of a many-household write (a batch, an inspection round's submit): a refusal names the
   * household (`TY-0001 李大山家：…`, and `householdId` in its details), so that the person sees which one.
   */
  async namingHousehold<T>(manager: EntityManager, householdId: number, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const label = (await this.households.labels([householdId], manager)).get(householdId);
      throw new DomainError(error.code, `${label ?? `第 ${householdId} 号户`}：${error.message}`, {
        ...error.details,
        householdId,
      });
    }
  }

  /** One rule for many households after an inspection: all are recorded, or none. */
  async batch(actor: Actor, dto: BatchScoreRecordDto): Promise<ScoreRecord[]> {
    return this.transactions.run(async (manager) => {
      const batchKey = randomUUID();
      const records: ScoreRecord[] = [];
      for (const householdId of dto.householdIds)
        records.push(
          await this.namingHousehold(manager, householdId, () =>
            this.createRecord(manager, actor, { ...dto, householdId, batchKey }),
          ),
        );
      this.transactions.changed(manager, scopeOf(records[0]?.villageId));
      await this.audit.record(
        actor,
        {
          action: 'score.batch',
          entityType: 'score_record',
          entityId: records[0]?.id ?? null,
          villageId: records[0]?.villageId ?? null,
          details: { ruleId: dto.ruleId, occurredOn: dto.occurredOn, recordIds: records.map((r) => r.id) },
        },
        manager,
      );
      return records;
    });
  }

  /** 申报: a household declares its own good deed; it is reviewed like any record. */
  async declare(actor: Actor, dto: DeclarationDto & { evidencePath?: string | null }): Promise<ScoreRecord> {
    if (actor.kind !== 'household') throw DomainError.forbidden('只有村民可以申报');
    return this.transactions.run(async (manager) => {
      if (!(await this.settings.declarationsEnabled(actor.villageId as number, manager)))
        throw new DomainError('INVALID_STATE', '本村暂未开放村民申报');
      const rule = await this.rules.forRecording(manager, dto.ruleId);
      if (rule && rule.minPoints < 0) throw DomainError.validation({ ruleId: '申报只能选择加分的细则' });
      const record = await this.createRecord(manager, actor, { ...dto, householdId: actor.id });
      await this.auditRecord(manager, actor, 'score.declare', record);
      return record;
    });
  }

  async approve(actor: Actor, id: number, points?: number): Promise<ScoreRecord> {
    return this.transactions.run(async (manager) => {
      const record = await this.reviewable(manager, actor, id, statesBefore('APPROVED'));
      await this.assertCommitteeDecides(manager, record);
      const reviewed =
        points === undefined ? {} : { points: await this.reviewedPoints(manager, record, points, 'points') };
      await this.review(manager, record, actor, 'APPROVED', reviewed);
      await this.auditRecord(manager, actor, 'score.approve', record);
      return record;
    });
  }

  async reject(actor: Actor, id: number, reason: string): Promise<ScoreRecord> {
    return this.transactions.run(async (manager) => {
      const record = await this.reviewable(manager, actor, id, statesBefore('REJECTED'));
      await this.assertCommitteeDecides(manager, record);
      await this.review(manager, record, actor, 'REJECTED', { rejectReason: reason });
      await this.auditRecord(manager, actor, 'score.reject', record, { reason });
      return record;
    });
  }

  /** Approves or rejects many records at once: all of them, or none when one cannot be. */
  async reviewMany(actor: Actor, dto: ReviewManyDto): Promise<ScoreRecord[]> {
    if (dto.decision === 'REJECT' && !dto.reason)
      throw DomainError.validation({ reason: '退回时请填写理由' });
    return this.transactions.run(async (manager) => {
      const out: ScoreRecord[] = [];
      for (const id of dto.recordIds) {
        const to = dto.decision === 'APPROVE' ? 'APPROVED' : 'REJECTED';
        const record = await this.reviewable(manager, actor, id, statesBefore(to));
        await this.assertCommitteeDecides(manager, record);
        const typed = dto.decision === 'APPROVE' ? dto.points?.[String(id)] : undefined;
        const also: Partial<ScoreRecord> = {};
        if (typed !== undefined && typed !== null && typed !== '')
          also.points = await this.reviewedPoints(manager, record, typed, `points${id}`);
        if (dto.decision === 'REJECT') also.rejectReason = dto.reason ?? null;
        await this.review(manager, record, actor, to, also);
        await this.auditRecord(
          manager,
          actor,
          dto.decision === 'APPROVE' ? 'score.approve' : 'score.reject',
          record,
        );
        out.push(record);
      }
      return out;
    });
  }

  /**
   * 道德评议会: the council's decision on a record under a rule that needs it, reached by `voter`'s vote. The same
   * move, notices and audit as the committee's approve or reject, in the voting transaction.
   */
  async decideByCouncil(
    manager: EntityManager,
    voter: Actor,
    record: ScoreRecord,
    to: 'APPROVED' | 'REJECTED',
    votes: object,
  ): Promise<void> {
    await this.review(
      manager,
      record,
      voter,
      to,
      to === 'REJECTED' ? { rejectReason: COUNCIL_REJECT_REASON } : {},
    );
    await this.auditRecord(manager, voter, to === 'APPROVED' ? 'score.approve' : 'score.reject', record, {
      byCouncil: true,
      ...votes,
      ...(to === 'REJECTED' ? { reason: COUNCIL_REJECT_REASON } : {}),
    });
  }

  /** A record under a rule that needs the council is the council's to decide: no one committee member approves it. */
  private async assertCommitteeDecides(manager: EntityManager, record: ScoreRecord): Promise<void> {
    if (await this.rules.needsCouncil(manager, record.ruleId))
      throw new DomainError(
        'INVALID_STATE',
        '这条记录的细则需要道德评议会表决，由评议会投票决定，村两委不能单独审核',
        {
          status: record.status,
        },
      );
  }

  /**
   * Corrects a posted record: a SCORE_CORRECTION entry for the difference, pointing at the original entry. The
   * original entry is never changed.
   */
  async correct(actor: Actor, id: number, points: number, reason: string): Promise<ScoreRecord> {
    return this.transactions.run(async (manager) => {
      const record = await this.reviewable(manager, actor, id, ['POSTED']);
      const version = await this.rules.versionIn(manager, record.ruleVersionId);
      if (!withinRange(points, version.minPoints, version.maxPoints)) {
        throw DomainError.validation({
          points: outsideRange(version.minPoints, version.maxPoints),
        });
      }
      if (points === record.points) throw DomainError.validation({ points: '更正后的分值与原分值相同' });
      const original = await this.ledger.entryFor(manager, 'SCORE', 'score_record', record.id);
      const correction = await this.ledger.append(manager, {
        householdId: record.householdId,
        amount: points - record.points,
        kind: 'SCORE_CORRECTION',
        description: `更正：${version.title}（${record.points} → ${points}）${reason}`,
        occurredOn: record.occurredOn,
        refType: 'score_record',
        refId: record.id,
        correctsEntryId: original.id,
        createdBy: actor.id,
      });
      const before = record.points;
      // Not a move: a corrected record stays POSTED (the table has no POSTED → POSTED); only its points change.
      await updateRow(manager, ScoreRecord, record.id, { points });
      record.points = points;
      await this.notices.add(manager, [
        {
          villageId: record.villageId,
          householdId: record.householdId,
          kind: 'RECORD_CORRECTED',
          text: noticeText.corrected(version.title, before, points, reason),
          eventKey: `record:${record.id}:corrected:entry:${correction.id}`,
        },
      ]);
      await this.auditRecord(manager, actor, 'score.correct', record, { from: before, to: points, reason });
      return record;
    });
  }

  /**
   * A PENDING record another feature makes inside its own transaction (a volunteer activity's close): the same checks
   * as any record (the household's state, the rule's range and cap), audited as 登记积分 with `extra` in its details.
   * A refusal is a DomainError thrown before anything is written, so the caller may skip the household and go on.
   */
  async recordIn(
    manager: EntityManager,
    actor: Actor,
    input: Pick<NewRecord, 'householdId' | 'ruleId' | 'occurredOn' | 'points' | 'note' | 'evidencePath'>,
    extra: object = {},
  ): Promise<ScoreRecord> {
    const record = await this.createRecord(manager, actor, input);
    await this.auditRecord(manager, actor, 'score.record', record, extra);
    return record;
  }

  /** The checks every new record passes, whoever records it. */
  private async createRecord(
    manager: EntityManager,
    actor: Actor,
    input: NewRecord & { declaredBy?: number },
  ): Promise<ScoreRecord> {
    // One plain statement each for the household and the rule: recording is the busiest write at month end. The
    // household's row is held (PostgreSQL) until commit.
    const household = await this.households.forRecording(manager, input.householdId);
    if (!household) throw DomainError.validation({ householdId: '所选农户不存在' });
    assertInScope(actor, await this.scopeForRecording(manager, actor, household.villageId));
    if (household.status === 'MOVED_OUT')
      throw new DomainError('INVALID_STATE', '该户已迁出，不能再登记积分');
    if (actor.kind === 'user' && actor.householdId === household.id) {
      throw new DomainError('SAME_PERSON', '不能为自家登记积分，请由其他工作人员登记');
    }
    const rule = await this.rules.forRecording(manager, input.ruleId);
    if (!rule || rule.villageId !== household.villageId)
      throw DomainError.validation({ ruleId: '所选细则不是本村的积分细则' });
    if (!truthy(rule.active)) throw new DomainError('INVALID_STATE', `细则 ${rule.code} 已停用`);
    if (!isRealDate(input.occurredOn)) throw DomainError.validation({ occurredOn: '日期不存在' });
    const now = this.clock.now();
    if (input.occurredOn > todayInChina(now))
      throw DomainError.validation({ occurredOn: '日期不能晚于今天' });
    const points = input.points ?? defaultPoints(rule.minPoints, rule.maxPoints);
    if (!withinRange(points, rule.minPoints, rule.maxPoints)) {
      throw DomainError.validation({ points: outsideRange(rule.minPoints, rule.maxPoints) });
    }
    if (truthy(rule.evidenceRequired) && !input.evidencePath && !input.note) {
      throw DomainError.validation({ note: '这条细则需要证据：请上传照片或写明情况' });
    }
    const capPeriod = capPeriodOf(rule, input.occurredOn);
    if (capPeriod) {
      const [{ used }] = await raw<{ used: number | string }>(
        manager,
        `SELECT COUNT(*) AS used FROM score_record WHERE "householdId" = $1 AND "ruleId" = $2 AND "occurredOn" >= $3
          AND "occurredOn" < $4 AND status NOT IN (${NOT_COUNTED.map((s) => `'${s}'`).join(', ')})`,
        [household.id, rule.id, capPeriod.start, capPeriod.next],
      );
      const refused = capRefusal(rule, Number(used), capPeriod.next);
      if (refused) throw refused;
    }
    if (rule.versionId === null) throw new Error(`rule ${rule.id} has no current version`);
    return insertRow(manager, ScoreRecord, {
      villageId: household.villageId,
      householdId: household.id,
      ruleId: rule.id,
      ruleVersionId: rule.versionId,
      points,
      occurredOn: input.occurredOn,
      note: input.note || null,
      evidencePath: input.evidencePath ?? null,
      status: 'PENDING',
      recordedBy: actor.kind === 'user' ? actor.id : null,
      declaredBy: actor.kind === 'household' ? actor.id : null,
      batchKey: input.batchKey ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
      createdAt: now,
    });
  }

  /**
   * What the scope check of a new record needs of the household's village. Only a township's staff are checked by
   * township, so only for them is the village read (the county may act anywhere; village staff and households are
   * checked by village): the record path of the village's own staff reads no village row.
   */
  private async scopeForRecording(
    manager: EntityManager,
    actor: Actor,
    villageId: number,
  ): Promise<ScopeTarget> {
    if (scopeLevel(actor) === 'township') return scopeOfVillage(manager, villageId);
    return { townshipId: actor.townshipId ?? 0, villageId };
  }

  /** A record the committee may review: in scope, in the right state, and not the reviewer's own. */
  private async reviewable(
    manager: EntityManager,
    actor: Actor,
    id: number,
    states: readonly RecordStatus[],
  ): Promise<ScoreRecord> {
    const record = await lockRow(manager, ScoreRecord, id);
    if (!record) throw DomainError.notFound('积分记录');
    assertInScope(actor, await scopeOfVillage(manager, record.villageId));
    if (!states.includes(record.status))
      throw new DomainError('INVALID_STATE', `记录当前状态为 ${STATUS_LABELS[record.status]}，不能这样操作`, {
        status: record.status,
      });
    if (actor.kind === 'user' && record.recordedBy === actor.id) {
      throw new DomainError('SAME_PERSON', '登记人不能审核自己登记的记录，请由其他村两委成员审核');
    }
    if (actor.kind === 'user' && actor.householdId === record.householdId) {
      throw new DomainError('SAME_PERSON', '不能审核自家的记录');
    }
    return record;
  }

  /**
   * The points a reviewer set for a record, checked against the range of the rule's version it was recorded under.
   * A refusal names the record, so that in a batch the reviewer sees which one.
   */
  private async reviewedPoints(
    manager: EntityManager,
    record: ScoreRecord,
    typed: unknown,
    field: string,
  ): Promise<number> {
    const version = await this.rules.versionIn(manager, record.ruleVersionId);
    const points = typeof typed === 'string' && /^[+-]?\d{1,9}$/.test(typed.trim()) ? Number(typed) : typed;
    if (typeof points !== 'number' || !withinRange(points, version.minPoints, version.maxPoints)) {
      const range = outsideRange(version.minPoints, version.maxPoints);
      throw DomainError.validation({ [field]: range }, `记录 ${record.id}（${version.title}）的${range}`);
    }
    return points;
  }

  /** Approves or rejects: the move the record-status table allows, with who reviewed it and when. */
  private async review(
    manager: EntityManager,
    record: ScoreRecord,
    actor: Actor,
    to: 'APPROVED' | 'REJECTED',
    also: Partial<ScoreRecord>,
  ): Promise<void> {
    await moveRecord(manager, record, to, { ...also, reviewedBy: actor.id, reviewedAt: this.clock.now() });
    // A household hears when its own declaration is sent back (a record staff made is reworked by staff).
    if (to === 'REJECTED' && record.declaredBy !== null) {
      const { title } = await this.rules.versionIn(manager, record.ruleVersionId);
      await this.notices.add(manager, [
        {
          villageId: record.villageId,
          householdId: record.householdId,
          kind: 'DECLARATION_REJECTED',
          text: noticeText.declarationRejected(title, record.rejectReason),
          eventKey: `record:${record.id}:rejected`,
        },
      ]);
    }
  }

  private async auditRecord(
    manager: EntityManager,
    actor: Actor,
    action: string,
    record: ScoreRecord,
    extra: object = {},
  ) {
    this.transactions.changed(manager, scopeOf(record.villageId, actor.townshipId));
    await this.audit.record(
      actor,
      {
        action,
        entityType: 'score_record',
        entityId: record.id,
        townshipId: actor.townshipId,
        villageId: record.villageId,
        details: {
          householdId: record.householdId,
          ruleId: record.ruleId,
          points: record.points,
          occurredOn: record.occurredOn,
          ...extra,
        },
      },
      manager,
    );
  }

  /** How many records of the village wait for the committee's review (the start page's 待审核). */
  pendingCount(villageId: number): Promise<number> {
    return this.dataSource.getRepository(ScoreRecord).countBy({ villageId, status: 'PENDING' });
  }

  /**
   * The village's posted records under some rules with a deed date from `start` up to (not including) `next`, by
   * deed date (then as recorded): which household, under which rule version, on which day. One query.
   */
  async postedUnder(
    villageId: number,
    ruleIds: number[],
    start: string,
    next: string,
  ): Promise<{ householdId: number; ruleVersionId: number; occurredOn: string }[]> {
    if (ruleIds.length === 0) return [];
    const rows = await this.dataSource
      .getRepository(ScoreRecord)
      .createQueryBuilder('r')
      .select('r.householdId', 'householdId')
      .addSelect('r.ruleVersionId', 'ruleVersionId')
      .addSelect('r.occurredOn', 'occurredOn')
      .where("r.villageId = :villageId AND r.status = 'POSTED' AND r.ruleId IN (:...ruleIds)", {
        villageId,
        ruleIds,
      })
      .andWhere('r.occurredOn >= :start AND r.occurredOn < :next', { start, next })
      .orderBy('r.occurredOn', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .getRawMany<{ householdId: number; ruleVersionId: number; occurredOn: string }>();
    return rows.map((r) => ({
      householdId: Number(r.householdId),
      ruleVersionId: Number(r.ruleVersionId),
      occurredOn: r.occurredOn,
    }));
  }

  /**
   * The year's posted points per household under rules of one category (the day of the deed decides the year): what
   * an honours campaign's star asks of a household.
   */
  async postedPointsByCategory(
    villageId: number,
    year: number,
    category: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<number, number>> {
    const ruleIds = await this.rules.idsInCategory(villageId, category, manager);
    if (ruleIds.length === 0) return new Map();
    const rows = await raw<{ householdId: number; points: number }>(
      manager,
      `SELECT "householdId", SUM(points) AS points FROM score_record
        WHERE "villageId" = $1 AND status = 'POSTED' AND "occurredOn" >= $2 AND "occurredOn" <= $3
          AND "ruleId" IN (${ruleIds.map((_, i) => `$${i + 4}`).join(', ')})
        GROUP BY "householdId"`,
      [villageId, `${year}-01-01`, `${year}-12-31`, ...ruleIds],
    );
    return new Map(rows.map((r) => [Number(r.householdId), Number(r.points)]));
  }

  /** How many records wait for review in each village (villages without any are left out). */
  async pendingCountByVillage(villageIds: number[]): Promise<Map<number, number>> {
    if (villageIds.length === 0) return new Map();
    const rows = await this.dataSource
      .createQueryBuilder()
      .select('r.villageId', 'villageId')
      .addSelect('COUNT(*)', 'n')
      .from(ScoreRecord, 'r')
      .where("r.villageId IN (:...ids) AND r.status = 'PENDING'", { ids: villageIds })
      .groupBy('r.villageId')
      .getRawMany();
    return new Map(rows.map((r) => [Number(r.villageId), Number(r.n ?? 0)]));
  }

  /**
   * Posted points of some villages over days `start` to before `next` by rule category (rewards and deductions netted
   * per category), in the categories' order.
   */
  async postedPointsPerCategory(
    villageIds: number[],
    start: string,
    next: string,
  ): Promise<{ label: string; value: number }[]> {
    if (villageIds.length === 0) return [];
    const rows = await this.dataSource
      .createQueryBuilder()
      .select('r.ruleId', 'ruleId')
      .addSelect('SUM(r.points)', 'value')
      .from(ScoreRecord, 'r')
      .where("r.villageId IN (:...ids) AND r.status = 'POSTED'", { ids: villageIds })
      .andWhere('r.occurredOn >= :start AND r.occurredOn < :next', { start, next })
      .groupBy('r.ruleId')
      .getRawMany();
    const perRule = new Map(rows.map((r) => [Number(r.ruleId), Number(r.value)]));
    // The rules answer in their categories' order, so the totals come out as ORDER BY category gave them.
    const perCategory = new Map<string, number>();
    for (const { id, category } of await this.rules.categories([...perRule.keys()]))
      perCategory.set(category, (perCategory.get(category) ?? 0) + (perRule.get(id) ?? 0));
    return [...perCategory].map(([label, value]) => ({ label, value }));
  }

  /** Records of some villages whose deed falls on days `start` to before `next` (the township's fairness signals). */
  private recordsBetween(villageIds: number[], start: string, next: string) {
    return this.dataSource
      .createQueryBuilder()
      .from(ScoreRecord, 'r')
      .where('r.villageId IN (:...ids)', { ids: villageIds })
      .andWhere('r.occurredOn >= :start AND r.occurredOn < :next', { start, next });
  }

  /** Reward records (neither rejected nor revoked) per scorer, village and household over the days. */
  async rewardCounts(
    villageIds: number[],
    start: string,
    next: string,
  ): Promise<{ recordedBy: number; villageId: number; householdId: number; n: number }[]> {
    if (villageIds.length === 0) return [];
    const rows = await this.recordsBetween(villageIds, start, next)
      .select('r.recordedBy', 'recordedBy')
      .addSelect('r.villageId', 'villageId')
      .addSelect('r.householdId', 'householdId')
      .addSelect('COUNT(*)', 'n')
      .andWhere("r.recordedBy IS NOT NULL AND r.points > 0 AND r.status NOT IN ('REJECTED', 'REVOKED')")
      .groupBy('r.recordedBy')
      .addGroupBy('r.villageId')
      .addGroupBy('r.householdId')
      .getRawMany();
    return rows.map((r) => ({
      recordedBy: Number(r.recordedBy),
      villageId: Number(r.villageId),
      householdId: Number(r.householdId),
      n: Number(r.n),
    }));
  }

  /**
   * Who recorded for which household over the days, once per status, in the order a scan of the records by village,
   * status and id meets them (the order the township's same-group signals have always had on SQLite).
   */
  async recorderHouseholds(
    villageIds: number[],
    start: string,
    next: string,
  ): Promise<{ recordedBy: number; householdId: number; villageId: number }[]> {
    if (villageIds.length === 0) return [];
    const rows = await this.recordsBetween(villageIds, start, next)
      .select('r.recordedBy', 'recordedBy')
      .addSelect('r.householdId', 'householdId')
      .addSelect('r.villageId', 'villageId')
      .addSelect('r.status', 'status')
      .andWhere('r.recordedBy IS NOT NULL')
      .groupBy('r.recordedBy')
      .addGroupBy('r.householdId')
      .addGroupBy('r.villageId')
      .addGroupBy('r.status')
      .orderBy('r.villageId', 'ASC')
      .addOrderBy('r.status', 'ASC')
      .addOrderBy('MIN(r.id)', 'ASC')
      .getRawMany();
    return rows.map((r) => ({
      recordedBy: Number(r.recordedBy),
      householdId: Number(r.householdId),
      villageId: Number(r.villageId),
    }));
  }

  /** Each review of a staff-recorded record over the days: recorder, reviewer, village and when (ms). */
  async reviewTimes(
    villageIds: number[],
    start: string,
    next: string,
  ): Promise<{ recordedBy: number; reviewedBy: number; villageId: number; reviewedAt: number }[]> {
    if (villageIds.length === 0) return [];
    const rows = await this.recordsBetween(villageIds, start, next)
      .select('r.recordedBy', 'recordedBy')
      .addSelect('r.reviewedBy', 'reviewedBy')
      .addSelect('r.villageId', 'villageId')
      .addSelect('r.reviewedAt', 'reviewedAt')
      .andWhere('r.recordedBy IS NOT NULL AND r.reviewedBy IS NOT NULL AND r.reviewedAt IS NOT NULL')
      .getRawMany();
    return rows.map((r) => ({
      recordedBy: Number(r.recordedBy),
      reviewedBy: Number(r.reviewedBy),
      villageId: Number(r.villageId),
      reviewedAt: new Date(r.reviewedAt).getTime(),
    }));
  }

  /** Records past review (neither pending nor rejected) per recorder, reviewer and village over the days. */
  async reviewedPairs(
    villageIds: number[],
    start: string,
    next: string,
  ): Promise<{ recordedBy: number; reviewedBy: number; villageId: number; n: number; points: number }[]> {
    if (villageIds.length === 0) return [];
    const rows = await this.recordsBetween(villageIds, start, next)
      .select('r.recordedBy', 'recordedBy')
      .addSelect('r.reviewedBy', 'reviewedBy')
      .addSelect('r.villageId', 'villageId')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(r.points)', 'points')
      .andWhere('r.recordedBy IS NOT NULL AND r.reviewedBy IS NOT NULL')
      .andWhere("r.status NOT IN ('PENDING', 'REJECTED')")
      .groupBy('r.recordedBy')
      .addGroupBy('r.reviewedBy')
      .addGroupBy('r.villageId')
      .orderBy('r.recordedBy', 'ASC')
      .addOrderBy('r.reviewedBy', 'ASC')
      .addOrderBy('r.villageId', 'ASC')
      .getRawMany();
    return rows.map((r) => ({
      recordedBy: Number(r.recordedBy),
      reviewedBy: Number(r.reviewedBy),
      villageId: Number(r.villageId),
      n: Number(r.n),
      points: Number(r.points),
    }));
  }

  /** What one staff member recorded since a moment, newest first: their own list on the start page. */
  async recordedBy(userId: number, since: Date): Promise<RecordedRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource
      .createQueryBuilder()
      .select('r.id', 'id')
      .addSelect('r.householdId', 'householdId')
      .addSelect('r.points', 'points')
      .addSelect('r.status', 'status')
      .addSelect('r.rejectReason', 'rejectReason')
      .addSelect('r.occurredOn', 'occurredOn')
      .addSelect('r.ruleVersionId', 'ruleVersionId')
      .from(ScoreRecord, 'r')
      .where('r.recordedBy = :userId AND r.createdAt >= :since', {
        userId,
        // SQLite keeps these timestamps as UTC text; PostgreSQL compares real timestamps.
        since: isPostgres(this.dataSource) ? since : since.toISOString().replace('T', ' ').slice(0, 19),
      })
      .orderBy('r.id', 'DESC')
      .getRawMany();
    const households = await this.households.codesAndNames(rows.map((r) => Number(r.householdId)));
    const titles = await this.rules.versionTitles(rows.map((r) => Number(r.ruleVersionId)));
    return rows.map((r) => ({
      id: Number(r.id),
      householdId: Number(r.householdId),
      householdCode: String(households.get(Number(r.householdId))?.code),
      headName: String(households.get(Number(r.householdId))?.headName),
      ruleTitle: String(titles.get(Number(r.ruleVersionId))),
      points: Number(r.points),
      status: r.status as RecordStatus,
      rejectReason: (r.rejectReason as string | null) ?? null,
      occurredOn: String(r.occurredOn),
    }));
  }
}

/** A record as its household sees it: the status adds CORRECTED (posted, then corrected). */
export interface HouseholdRecord {
  id: number;
  ruleId: number;
  ruleTitle: string;
  points: number;
  occurredOn: string;
  status: RecordStatus | 'CORRECTED';
  reason: string | null;
  publicationId: number | null;
  declared: boolean;
  createdAt: Date;
}

/** A record as its recorder's list shows it: whose, under which rule, and where it stands. */
export interface RecordedRow {
  id: number;
  householdId: number;
  householdCode: string;
  headName: string;
  ruleTitle: string;
  points: number;
  status: RecordStatus;
  rejectReason: string | null;
  occurredOn: string;
}

export const STATUS_LABELS: Record<RecordStatus, string> = {
  PENDING: '待审核',
  APPROVED: '已审核待公示',
  REJECTED: '已退回',
  PUBLICIZING: '公示中',
  OBJECTED: '有异议',
  POSTED: '已入账',
  REVOKED: '已撤销',
};

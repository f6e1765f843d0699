import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, DataSource, EntityManager, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { can, Permission } from '../access/permissions.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { isRealDate, todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { isUniqueViolation } from '../common/unique.js';
import { lockRow } from '../database/locks.js';
import { scopeOf } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import { HouseholdsService } from '../households/households.service.js';
import { noticeText } from '../notices/notice-texts.js';
import { NoticesService, type NewNotice } from '../notices/notices.service.js';
import { ScoringService } from '../scoring/scoring.service.js';
import { UsersService } from '../users/users.service.js';
import { VillagesService } from '../villages/villages.service.js';
import { assertAffairMove, isOverdue } from './affair-status.js';
import type { CloseAffairDto, DispatchAffairDto, ReportAffairDto, ScreenAffairDto } from './dto/grids.dto.js';
import { AFFAIR_KIND_LABELS, GridAffair, type AffairStatus } from './grid-affair.entity.js';
import { GridsService } from './grids.service.js';

/** A step's answer: the affair, and whether this request was the same step again (it changed nothing). */
export interface Stepped {
  affair: GridAffair;
  repeated: boolean;
}

/** How many matters a list shows (newest first). */
const LIST_SIZE = 200;

/**
 * 网格事务: 上报 → 筛选 → 派单 → 办结. The step the village pays for (a household's valid report; a household's
 * handling of a matter dispatched to it) makes one PENDING record under the village's rule, in the step's own
 * transaction, and the affair keeps its id: the step is guarded by the affair's status, so a retried or doubled step
 * answers what the first did and makes nothing twice. The reporter hears of each step (通知).
 */
@Injectable()
export class GridAffairsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly grids: GridsService,
    private readonly households: HouseholdsService,
    private readonly villages: VillagesService,
    private readonly scoring: ScoringService,
    private readonly notices: NoticesService,
    private readonly users: UsersService,
  ) {}

  /** 上报: by a villager (about anything in its village) or by staff of the village. */
  async report(
    actor: Actor,
    dto: ReportAffairDto,
    photoPath: string | null = null,
  ): Promise<{ affair: GridAffair; created: boolean }> {
    const reportKey = dto.idempotencyKey
      ? `${actor.kind === 'household' ? 'h' : 'u'}${actor.id}:${dto.idempotencyKey}`
      : null;
    const earlier = async () =>
      reportKey ? await this.dataSource.getRepository(GridAffair).findOneBy({ reportKey }) : null;
    const repeat = await earlier();
    if (repeat) return { affair: repeat, created: false };
    return this.transactions
      .run(async (manager) => {
        const village = await this.villages.inScope(actor, dto.villageId, manager);
        if (dto.householdId !== undefined) {
          const household = await this.households.inVillage(manager, dto.householdId, village.id);
          if (!household) throw DomainError.validation({ householdId: '请选择本村的农户' });
        }
        const affair = await manager.save(
          manager.create(GridAffair, {
            villageId: village.id,
            kind: dto.kind,
            text: dto.text,
            householdId: dto.householdId ?? null,
            place: dto.place || null,
            photoPath,
            reportedByHouseholdId: actor.kind === 'household' ? actor.id : null,
            reportedByUserId: actor.kind === 'user' ? actor.id : null,
            reportKey,
            status: 'REPORTED',
            createdAt: this.clock.now(),
          }),
        );
        this.transactions.changed(manager, scopeOf(village.id));
        await this.auditAffair(manager, actor, 'gridAffair.report', affair, {
          kind: affair.kind,
          text: affair.text,
        });
        return { affair, created: true };
      })
      .catch(async (error: unknown) => {
        // Two requests with one key raced past the lookup: the unique index let one in; answer the other with it.
        const first = isUniqueViolation(error) ? await earlier() : null;
        if (first) return { affair: first, created: false };
        throw error;
      });
  }

  /** 筛选: valid (a household reporter's points, if the village pays for reports) or invalid with a reason. */
  async screen(actor: Actor, id: number, dto: ScreenAffairDto): Promise<Stepped> {
    return this.transactions.run(async (manager) => {
      const affair = await this.held(manager, actor, id);
      const to: AffairStatus = dto.valid ? 'VALID' : 'INVALID';
      // The same decision again (a double click, a retry): what the first one did.
      if (
        dto.valid ? affair.status !== 'REPORTED' && affair.status !== 'INVALID' : affair.status === 'INVALID'
      )
        return { affair, repeated: true };
      assertAffairMove(affair.status, to);
      const settings = await this.grids.settings(affair.villageId, manager);
      affair.status = to;
      affair.screenReason = dto.reason || null;
      affair.screenedBy = actor.id;
      affair.screenedAt = this.clock.now();
      if (dto.valid && settings.validReportRuleId && affair.reportedByHouseholdId) {
        affair.reportRecordId = await this.earn(manager, actor, affair, {
          householdId: affair.reportedByHouseholdId,
          ruleId: settings.validReportRuleId,
          on: affair.createdAt,
          step: '有效上报',
        });
      }
      await manager.save(affair);
      if (affair.reportedByHouseholdId)
        await this.tell(
          manager,
          affair,
          affair.reportedByHouseholdId,
          'screened',
          noticeText.affairScreened(
            AFFAIR_KIND_LABELS[affair.kind],
            dto.valid,
            affair.screenReason,
            affair.reportRecordId !== null,
          ),
        );
      await this.auditAffair(manager, actor, dto.valid ? 'gridAffair.valid' : 'gridAffair.invalid', affair, {
        reason: affair.screenReason,
        recordId: affair.reportRecordId,
      });
      return { affair, repeated: false };
    });
  }

  /** 派单: a valid matter to a 网格员 (or the committee) of the village, or to a household that volunteered. */
  async dispatch(actor: Actor, id: number, dto: DispatchAffairDto): Promise<Stepped> {
    const chosen = [dto.assigneeUserId, dto.householdId, dto.householdCode || undefined].filter(
      (v) => v !== undefined,
    );
    if (chosen.length !== 1)
      throw DomainError.validation({ assigneeUserId: '请选择一位网格员或一户自愿承办的农户（只选一个）' });
    if (!isRealDate(dto.dueOn)) throw DomainError.validation({ dueOn: '日期不存在' });
    return this.transactions.run(async (manager) => {
      const affair = await this.held(manager, actor, id);
      let householdId = dto.householdId ?? null;
      if (dto.householdCode) {
        const household = await this.households.withCode(manager, dto.householdCode.toUpperCase());
        if (!household || household.villageId !== affair.villageId)
          throw DomainError.validation({ householdCode: '没有这个户号的本村在册农户' });
        householdId = household.id;
      }
      // The same dispatch again (a double click, a retry): what the first one did.
      if (
        affair.status === 'DISPATCHED' &&
        affair.dueOn === dto.dueOn &&
        affair.assigneeUserId === (dto.assigneeUserId ?? null) &&
        affair.assigneeHouseholdId === householdId
      )
        return { affair, repeated: true };
      assertAffairMove(affair.status, 'DISPATCHED');
      if (dto.dueOn < todayInChina(this.clock.now()))
        throw DomainError.validation({ dueOn: '期限不能早于今天' });
      if (dto.assigneeUserId !== undefined)
        await this.grids.assertGridWorker(manager, dto.assigneeUserId, affair.villageId, 'assigneeUserId');
      if (householdId !== null) {
        const household = await this.households.inVillage(manager, householdId, affair.villageId);
        if (!household || household.status !== 'ACTIVE')
          throw DomainError.validation({
            [dto.householdCode ? 'householdCode' : 'householdId']: '请选择本村在册的农户',
          });
      }
      affair.status = 'DISPATCHED';
      affair.assigneeUserId = dto.assigneeUserId ?? null;
      affair.assigneeHouseholdId = householdId;
      affair.dueOn = dto.dueOn;
      affair.dispatchedAt = this.clock.now();
      await manager.save(affair);
      const kind = AFFAIR_KIND_LABELS[affair.kind];
      if (affair.reportedByHouseholdId)
        await this.tell(
          manager,
          affair,
          affair.reportedByHouseholdId,
          'dispatched',
          noticeText.affairDispatched(kind, dto.dueOn),
        );
      if (affair.assigneeHouseholdId)
        await this.tell(
          manager,
          affair,
          affair.assigneeHouseholdId,
          'given',
          noticeText.affairGiven(kind, dto.dueOn),
        );
      await this.auditAffair(manager, actor, 'gridAffair.dispatch', affair, {
        assigneeUserId: affair.assigneeUserId,
        assigneeHouseholdId: affair.assigneeHouseholdId,
        dueOn: affair.dueOn,
      });
      return { affair, repeated: false };
    });
  }

  /** 办结: by its assignee (a 网格员, or the household it was given to), or by the committee. */
  async close(
    actor: Actor,
    id: number,
    dto: CloseAffairDto,
    photoPath: string | null = null,
  ): Promise<Stepped> {
    return this.transactions.run(async (manager) => {
      const affair = await this.held(manager, actor, id);
      const assignee =
        actor.kind === 'household'
          ? affair.assigneeHouseholdId === actor.id
          : affair.assigneeUserId === actor.id || can(actor, Permission.GridAffair.Screen);
      if (!assignee) throw DomainError.forbidden('这件事务没有派给您');
      if (affair.status === 'HANDLED') return { affair, repeated: true };
      assertAffairMove(affair.status, 'HANDLED');
      affair.status = 'HANDLED';
      affair.handledNote = dto.note;
      affair.handledPhotoPath = photoPath;
      affair.handledAt = this.clock.now();
      const settings = await this.grids.settings(affair.villageId, manager);
      if (settings.handledRuleId && affair.assigneeHouseholdId) {
        // The household is recorded by the committee's rule, as any deed: its own close is reviewed like a declaration.
        affair.handledRecordId = await this.earn(manager, actor, affair, {
          householdId: affair.assigneeHouseholdId,
          ruleId: settings.handledRuleId,
          on: affair.handledAt,
          step: '办结',
        });
      }
      await manager.save(affair);
      if (affair.reportedByHouseholdId)
        await this.tell(
          manager,
          affair,
          affair.reportedByHouseholdId,
          'handled',
          noticeText.affairHandled(AFFAIR_KIND_LABELS[affair.kind], dto.note),
        );
      await this.auditAffair(manager, actor, 'gridAffair.close', affair, {
        note: dto.note,
        recordId: affair.handledRecordId,
      });
      return { affair, repeated: false };
    });
  }

  /**
   * The matters a person may see: staff, those of a village (by status); a household, those it reported or was
   * given. Newest first, each marked overdue when its due day has passed.
   */
  async list(
    actor: Actor,
    query: { villageId?: number; status?: AffairStatus },
  ): Promise<(GridAffair & { overdue: boolean })[]> {
    const repo = this.dataSource.getRepository(GridAffair);
    let rows: GridAffair[];
    if (actor.kind === 'household') {
      rows = await repo.find({
        where: [
          { reportedByHouseholdId: actor.id, ...(query.status && { status: query.status }) },
          { assigneeHouseholdId: actor.id, ...(query.status && { status: query.status }) },
        ],
        order: { id: 'DESC' },
        take: LIST_SIZE,
      });
    } else {
      const villageId = query.villageId ?? actor.villageId;
      if (!villageId) throw DomainError.validation({ villageId: '请选择村' });
      await this.villages.inScope(actor, villageId);
      rows = await repo.find({
        where: { villageId, ...(query.status && { status: query.status }) },
        order: { id: 'DESC' },
        take: LIST_SIZE,
      });
    }
    const today = todayInChina(this.clock.now());
    return rows.map((a) => Object.assign(a, { overdue: isOverdue(a, today) }));
  }

  /** One matter, for whoever may see it (its village's staff; the household that reported it or was given it). */
  async get(actor: Actor, id: number): Promise<GridAffair & { overdue: boolean }> {
    const affair = await this.dataSource.getRepository(GridAffair).findOneBy({ id });
    if (!affair) throw DomainError.notFound('网格事务');
    if (actor.kind === 'household') {
      if (affair.reportedByHouseholdId !== actor.id && affair.assigneeHouseholdId !== actor.id)
        throw DomainError.forbidden('只能查看自家上报或承办的事务');
    } else {
      await this.villages.inScope(actor, affair.villageId);
    }
    return Object.assign(affair, { overdue: isOverdue(affair, todayInChina(this.clock.now())) });
  }

  /** Who the affairs name (households: code and head; staff: name), for the pages. */
  async names(
    affairs: GridAffair[],
  ): Promise<{ households: Map<number, string>; users: Map<number, string> }> {
    const householdIds = affairs.flatMap((a) =>
      [a.householdId, a.reportedByHouseholdId, a.assigneeHouseholdId].filter(
        (id): id is number => id !== null,
      ),
    );
    const userIds = affairs.flatMap((a) =>
      [a.reportedByUserId, a.assigneeUserId].filter((id): id is number => id !== null),
    );
    const [households, users] = await Promise.all([
      this.households.labels(householdIds),
      this.users.briefs(userIds),
    ]);
    return { households, users: new Map([...users].map(([id, u]) => [id, u.displayName])) };
  }

  /**
   * The township's participation figures: per village, the matters reported in [start, next) (China days), those of
   * them screened valid (at any step after), and those handled by their due day.
   */
  async countsByVillage(
    villageIds: number[],
    start: string,
    next: string,
  ): Promise<Map<number, { reported: number; valid: number; onTime: number }>> {
    const out = new Map<number, { reported: number; valid: number; onTime: number }>();
    if (villageIds.length === 0) return out;
    // A day's margin either side of the UTC bounds; the China day of each is then compared exactly.
    const rows = await this.dataSource.getRepository(GridAffair).find({
      where: {
        villageId: In(villageIds),
        createdAt: Between(
          new Date(Date.parse(`${start}T00:00:00Z`) - 86_400_000),
          new Date(`${next}T00:00:00Z`),
        ),
      },
      select: { villageId: true, status: true, dueOn: true, handledAt: true, createdAt: true },
    });
    for (const r of rows) {
      const day = todayInChina(r.createdAt);
      if (day < start || day >= next) continue;
      const c = out.get(r.villageId) ?? { reported: 0, valid: 0, onTime: 0 };
      c.reported++;
      if (r.status !== 'REPORTED' && r.status !== 'INVALID') c.valid++;
      if (r.status === 'HANDLED' && r.handledAt && r.dueOn && todayInChina(r.handledAt) <= r.dueOn)
        c.onTime++;
      out.set(r.villageId, c);
    }
    return out;
  }

  /** The affair's row, held until the transaction ends, after checking the actor may act in its village. */
  private async held(manager: EntityManager, actor: Actor, id: number): Promise<GridAffair> {
    const affair = await lockRow(manager, GridAffair, id);
    if (!affair) throw DomainError.notFound('网格事务');
    await this.villages.inScope(actor, affair.villageId, manager);
    return affair;
  }

  /** The PENDING record a paid step makes, in the step's transaction (the affair keeps its id: once). */
  private async earn(
    manager: EntityManager,
    actor: Actor,
    affair: GridAffair,
    what: { householdId: number; ruleId: number; on: Date; step: string },
  ): Promise<number> {
    const record = await this.scoring.recordIn(
      manager,
      actor,
      {
        householdId: what.householdId,
        ruleId: what.ruleId,
        occurredOn: todayInChina(what.on),
        note: `网格事务第 ${affair.id} 号：${what.step}`,
      },
      { gridAffairId: affair.id },
    );
    return record.id;
  }

  private async tell(
    manager: EntityManager,
    affair: GridAffair,
    householdId: number,
    step: string,
    text: string,
  ) {
    const notice: NewNotice = {
      villageId: affair.villageId,
      householdId,
      kind: 'GRID_AFFAIR',
      text,
      eventKey: `grid-affair:${affair.id}:${step}:${householdId}`,
    };
    await this.notices.add(manager, [notice]);
  }

  private async auditAffair(
    manager: EntityManager,
    actor: Actor,
    action: string,
    affair: GridAffair,
    details: Record<string, unknown>,
  ) {
    this.transactions.changed(manager, scopeOf(affair.villageId));
    await this.audit.record(
      actor,
      {
        action,
        entityType: 'grid_affair',
        entityId: affair.id,
        villageId: affair.villageId,
        townshipId: actor.townshipId,
        details,
      },
      manager,
    );
  }
}

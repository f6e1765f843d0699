import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, DataSource, EntityManager, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { isRealDate, todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { isUniqueViolation } from '../common/unique.js';
import { lockRow } from '../database/locks.js';
import { truthy, updateRow, updateRowIf } from '../database/raw.js';
import { villageScope } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import { HouseholdsService } from '../households/households.service.js';
import { RulesService } from '../rules/rules.service.js';
import { ScoringService } from '../scoring/scoring.service.js';
import type { Village } from '../villages/village.entity.js';
import { VillagesService } from '../villages/villages.service.js';
import { ActivityAttendance } from './activity-attendance.entity.js';
import { attendeePoints } from './activity-points.js';
import { ActivitySignup } from './activity-signup.entity.js';
import { Activity } from './activity.entity.js';
import type { AttendanceDto, CreateActivityDto } from './dto/activity.dto.js';

export function activityView(a: Activity) {
  return {
    id: a.id,
    villageId: a.villageId,
    title: a.title,
    on: a.on,
    place: a.place,
    places: a.places,
    ruleId: a.ruleId,
    pointsPerHour: a.pointsPerHour,
    status: a.status,
    createdBy: a.createdBy,
    createdAt: a.createdAt,
    closedAt: a.closedAt,
  };
}

export function attendanceView(a: ActivityAttendance, label?: string) {
  return {
    id: a.id,
    activityId: a.activityId,
    householdId: a.householdId,
    household: label ?? null,
    hours: a.hours === null ? null : Number(a.hours),
    recordId: a.recordId,
    createdAt: a.createdAt,
  };
}

/** An attendee the close made no record for, and why (the rule's cap, a household that moved out…). */
export interface SkippedAttendee {
  householdId: number;
  code: string;
  reason: string;
}

/**
 * 志愿服务活动: the committee puts an activity up with a number of places, households sign up (themselves, or the
 * committee for them), attendance is taken on the day with each household's hours, and closing the activity makes one
 * PENDING record per attendee under its rule. The records are made by ScoringService, so the rule's range and cap
 * apply as to any record; the committee then reviews them as usual.
 */
@Injectable()
export class VolunteeringService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly villages: VillagesService,
    private readonly households: HouseholdsService,
    private readonly rules: RulesService,
    private readonly scoring: ScoringService,
  ) {}

  async create(actor: Actor, dto: CreateActivityDto) {
    if (!isRealDate(dto.on)) throw DomainError.validation({ on: '日期不存在' });
    return this.transactions.run(async (manager) => {
      const village = await this.villages.findIn(manager, dto.villageId);
      if (!village) throw DomainError.validation({ villageId: '所选村不存在' });
      assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
      const rule = await this.rules.forRecording(manager, dto.ruleId);
      if (!rule || rule.villageId !== village.id)
        throw DomainError.validation({ ruleId: '所选细则不是本村的积分细则' });
      if (!truthy(rule.active)) throw DomainError.validation({ ruleId: `细则 ${rule.code} 已停用` });
      if (rule.minPoints < 0) throw DomainError.validation({ ruleId: '志愿服务活动只能选择加分的细则' });
      const activity = await manager.save(
        manager.create(Activity, {
          villageId: village.id,
          title: dto.title,
          on: dto.on,
          place: dto.place,
          places: dto.places,
          ruleId: rule.id,
          pointsPerHour: dto.pointsPerHour ?? null,
          status: 'OPEN',
          createdBy: actor.kind === 'user' ? actor.id : null,
          createdAt: this.clock.now(),
          closedAt: null,
        }),
      );
      await this.record(manager, actor, 'activity.create', activity, village, {
        title: activity.title,
        on: activity.on,
        places: activity.places,
        ruleId: activity.ruleId,
        pointsPerHour: activity.pointsPerHour,
      });
      return activityView(activity);
    });
  }

  /** A village's activities, the latest day first, with how many signed up and came. */
  async ofVillage(villageId: number) {
    const activities = await this.dataSource
      .getRepository(Activity)
      .find({ where: { villageId }, order: { on: 'DESC', id: 'DESC' } });
    const ids = activities.map((a) => a.id);
    const [signups, attendance] = ids.length
      ? await Promise.all([
          this.dataSource.getRepository(ActivitySignup).find({ where: { activityId: In(ids) } }),
          this.dataSource.getRepository(ActivityAttendance).find({ where: { activityId: In(ids) } }),
        ])
      : [[], []];
    const count = (rows: { activityId: number }[], id: number) =>
      rows.filter((r) => r.activityId === id).length;
    return activities.map((a) => ({
      ...activityView(a),
      signedUp: count(signups, a.id),
      attended: count(attendance, a.id),
    }));
  }

  /** One activity with the households signed up and those that came. */
  async get(actor: Actor, id: number) {
    const manager = this.dataSource.manager;
    const { activity } = await this.inScope(manager, actor, id);
    const signups = await manager.find(ActivitySignup, { where: { activityId: id }, order: { id: 'ASC' } });
    const attendance = await manager.find(ActivityAttendance, {
      where: { activityId: id },
      order: { id: 'ASC' },
    });
    const labels = await this.households.labels([
      ...signups.map((s) => s.householdId),
      ...attendance.map((a) => a.householdId),
    ]);
    return {
      ...activityView(activity),
      signups: signups.map((s) => ({
        id: s.id,
        householdId: s.householdId,
        household: labels.get(s.householdId) ?? null,
        createdAt: s.createdAt,
      })),
      attendance: attendance.map((a) => attendanceView(a, labels.get(a.householdId))),
    };
  }

  /**
   * 报名: a household signs itself up (its own page), or the committee signs a household of the village up. Once per
   * household (409 DUPLICATE), up to the activity's places (409 CAP_REACHED). The activity's row is held while the
   * places are counted, so two requests for the last place cannot both take it.
   */
  async signUp(actor: Actor, id: number, householdId: number) {
    if (actor.kind === 'household' && householdId !== actor.householdId)
      throw DomainError.forbidden('村民只能为本户报名');
    try {
      return await this.transactions.run(async (manager) => {
        const { activity, village } = await this.inScope(manager, actor, id, true);
        if (activity.status !== 'OPEN') throw new DomainError('INVALID_STATE', '活动已结束，不能再报名');
        await this.householdOf(manager, village, householdId);
        if (await manager.existsBy(ActivitySignup, { activityId: id, householdId }))
          throw DomainError.duplicate('householdId', '这户已经报过名了');
        const taken = await manager.countBy(ActivitySignup, { activityId: id });
        if (taken >= activity.places)
          throw new DomainError('CAP_REACHED', `名额已满（共 ${activity.places} 个），不能再报名`, {
            places: activity.places,
          });
        const signup = await manager.save(
          manager.create(ActivitySignup, {
            activityId: id,
            householdId,
            byUserId: actor.kind === 'user' ? actor.id : null,
            createdAt: this.clock.now(),
          }),
        );
        await this.record(manager, actor, 'activity.signup', activity, village, { householdId });
        return { id: signup.id, activityId: id, householdId, createdAt: signup.createdAt };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw DomainError.duplicate('householdId', '这户已经报过名了');
      throw error;
    }
  }

  /**
   * 签到: a household of the village came, with its hours when the activity counts them. A household that did not sign
   * up may still come (the places limit sign-ups, not the day); taking a household's attendance again sets its hours.
   */
  async attend(actor: Actor, id: number, dto: AttendanceDto) {
    return this.transactions.run(async (manager) => {
      const { activity, village } = await this.inScope(manager, actor, id, true);
      if (activity.status !== 'OPEN') throw new DomainError('INVALID_STATE', '活动已结束，不能再签到');
      await this.householdOf(manager, village, dto.householdId);
      const hours = dto.hours ?? null;
      const earlier = await manager.findOneBy(ActivityAttendance, {
        activityId: id,
        householdId: dto.householdId,
      });
      let attendance: ActivityAttendance;
      if (earlier) {
        await updateRow(manager, ActivityAttendance, earlier.id, { hours });
        attendance = { ...earlier, hours };
      } else {
        attendance = await manager.save(
          manager.create(ActivityAttendance, {
            activityId: id,
            householdId: dto.householdId,
            hours,
            recordId: null,
            byUserId: actor.kind === 'user' ? actor.id : null,
            createdAt: this.clock.now(),
          }),
        );
      }
      await this.record(manager, actor, 'activity.attend', activity, village, {
        householdId: dto.householdId,
        hours,
      });
      return attendanceView(attendance);
    });
  }

  /**
   * Closes the activity and makes one PENDING record per attendee under its rule, on the activity's day. The close is
   * a guarded update (status OPEN → CLOSED): of two closes at once only one changes the row and makes records, the
   * other is refused (409 INVALID_STATE) and makes none.
   *
   * An attendee the scoring rules refuse (the rule's cap for the period already reached, a household that moved out,
   * the closing committee member's own household: SAME_PERSON) does not stop the others: no record is made for it, and
   * it is listed in `skipped` with the reason, so the committee can see who got nothing and why. Each refusal is
   * thrown before its record is written, so the transaction goes on.
   */
  async close(actor: Actor, id: number) {
    return this.transactions.run(async (manager) => {
      const { activity, village } = await this.inScope(manager, actor, id);
      if (activity.status !== 'OPEN') throw new DomainError('INVALID_STATE', '这次活动已经结束了');
      const now = this.clock.now();
      if (activity.on > todayInChina(now))
        throw new DomainError('INVALID_STATE', `活动在 ${activity.on}，当天或之后才能结束并登记积分`);
      const rule = await this.rules.forRecording(manager, activity.ruleId);
      if (!rule || !truthy(rule.active))
        throw new DomainError('INVALID_STATE', `细则 ${rule?.code ?? ''} 已停用，不能按它登记积分`);
      const closed = await updateRowIf(
        manager,
        Activity,
        id,
        { status: 'OPEN' },
        { status: 'CLOSED', closedAt: now },
      );
      if (!closed) throw new DomainError('INVALID_STATE', '这次活动已经结束了');
      const attendees = await manager.find(ActivityAttendance, {
        where: { activityId: id },
        order: { id: 'ASC' },
      });
      const recordIds: number[] = [];
      const skipped: SkippedAttendee[] = [];
      for (const attendee of attendees) {
        const hours = attendee.hours === null ? null : Number(attendee.hours);
        const points = attendeePoints(rule, activity.pointsPerHour, hours);
        try {
          const record = await this.scoring.recordIn(
            manager,
            actor,
            {
              householdId: attendee.householdId,
              ruleId: rule.id,
              occurredOn: activity.on,
              points,
              note: `志愿服务活动：${activity.title}（${activity.place}）${hours === null ? '' : `，${hours} 小时`}`,
            },
            { activityId: id },
          );
          await updateRow(manager, ActivityAttendance, attendee.id, { recordId: record.id });
          recordIds.push(record.id);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          skipped.push({ householdId: attendee.householdId, code: error.code, reason: error.message });
        }
      }
      await this.record(manager, actor, 'activity.close', activity, village, { recordIds, skipped });
      return { id, status: 'CLOSED' as const, recordIds, skipped };
    });
  }

  /** The activity and its village, after the scope check; `lock` holds the activity's row until commit. */
  /**
   * 志愿服务 hours per village of the activities held in [start, next) (YYYY-MM-DD, China days), from the attendance
   * taken: the township's participation figures. An attendance without hours counts none.
   */
  async hoursByVillage(villageIds: number[], start: string, next: string): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (villageIds.length === 0) return out;
    const activities = await this.dataSource.getRepository(Activity).find({
      where: { villageId: In(villageIds), on: Between(start, next) },
      select: { id: true, villageId: true, on: true },
    });
    const held = activities.filter((a) => a.on < next);
    if (held.length === 0) return out;
    const villageOf = new Map(held.map((a) => [a.id, a.villageId]));
    const attendance = await this.dataSource.getRepository(ActivityAttendance).find({
      where: { activityId: In([...villageOf.keys()]) },
      select: { activityId: true, hours: true },
    });
    for (const a of attendance) {
      const villageId = villageOf.get(a.activityId) as number;
      out.set(villageId, (out.get(villageId) ?? 0) + (a.hours === null ? 0 : Number(a.hours)));
    }
    return out;
  }

  /** A village chosen by the township or the county, checked against their scope. */
  async villageInScope(actor: Actor, villageId: number): Promise<void> {
    await this.villages.inScope(actor, villageId);
  }

  /** The villages whose activities the actor may choose between (its township's, or the county's). */
  villagesOf(actor: Actor): Promise<{ id: number; name: string }[]> {
    return this.villages.names(actor.townshipId ?? undefined);
  }

  /** The activities a household signed up for (ids). */
  async signedUpBy(householdId: number): Promise<Set<number>> {
    const rows = await this.dataSource
      .getRepository(ActivitySignup)
      .find({ where: { householdId }, select: { activityId: true } });
    return new Set(rows.map((r) => r.activityId));
  }

  /** A household of the village by its code (户号), for the pages' 按户号 forms; refused in words on `field`. */
  async householdByCode(villageId: number, code: string | undefined, field: string): Promise<number> {
    const household = code
      ? await this.households.withCode(this.dataSource.manager, code.trim().toUpperCase())
      : null;
    if (!household || household.villageId !== villageId || household.status !== 'ACTIVE')
      throw DomainError.validation({ [field]: '没有这个户号的本村在册农户' });
    return household.id;
  }

  private async inScope(
    manager: EntityManager,
    actor: Actor,
    id: number,
    lock = false,
  ): Promise<{ activity: Activity; village: Village }> {
    const activity = lock ? await lockRow(manager, Activity, id) : await manager.findOneBy(Activity, { id });
    if (!activity) throw DomainError.notFound('志愿服务活动');
    const village = await this.villages.getIn(manager, activity.villageId);
    assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
    return { activity, village };
  }

  /** A household of the activity's village still in the village's books. */
  private async householdOf(manager: EntityManager, village: Village, householdId: number): Promise<void> {
    const household = await this.households.inVillage(manager, householdId, village.id);
    if (!household) throw DomainError.validation({ householdId: '所选农户不是本村的农户' });
    if (household.status !== 'ACTIVE') throw DomainError.validation({ householdId: '该户已迁出' });
  }

  private async record(
    manager: EntityManager,
    actor: Actor,
    action: string,
    activity: Activity,
    village: Village,
    details: Record<string, unknown>,
  ): Promise<void> {
    this.transactions.changed(manager, villageScope(village));
    await this.audit.record(
      actor,
      {
        action,
        entityType: 'activity',
        entityId: activity.id,
        townshipId: village.townshipId,
        villageId: village.id,
        details: { title: activity.title, ...details },
      },
      manager,
    );
  }
}

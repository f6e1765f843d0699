import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { can, Permission } from '../access/permissions.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { addDays } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { isUniqueViolation } from '../common/unique.js';
import { Settings } from '../config/settings.js';
import { lockRow } from '../database/locks.js';
import { raw } from '../database/raw.js';
import { villageScope } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import { HouseholdsService } from '../households/households.service.js';
import { PUBLICATION_DEFAULT_DAYS, windowDaysError } from '../publications/publication-window.js';
import { StarsService } from '../rankings/stars.service.js';
import type { Village } from '../villages/village.entity.js';
import { VillagesService } from '../villages/villages.service.js';
import type {
  AnswerGradeObjectionDto,
  CreditGradeRulesDto,
  GradeObjectionDto,
} from './dto/credit-grade.dto.js';
import { YEAR_MESSAGE } from './dto/credit-grade.dto.js';
import {
  CreditGrade,
  CreditGradeObjection,
  CreditGradeRules,
  CreditGradeRun,
} from './credit-grade.entity.js';
import {
  assertRunMove,
  gradeFor,
  levelsError,
  RUN_STATUS_LABELS,
  STANDING_STATUSES,
  SUGGESTED_LEVELS,
  villageGradeOf,
  type GradeLevel,
  type RunStatus,
  type VillageGrade,
} from './credit-grade-rules.js';

export interface GradeRulesView {
  villageId: number;
  /** False while the village has not voted its own: `levels` are then the suggested ones. */
  voted: boolean;
  levels: GradeLevel[];
  blackListGrade: string;
  setBy: number | null;
  setAt: Date | null;
}

export interface GradeRow {
  householdId: number;
  householdCode: string;
  headName: string;
  earned: number;
  stars: number;
  blackListed: boolean;
  computedGrade: string;
  grade: string;
  note: string | null;
}

export interface GradeObjectionView {
  id: number;
  householdId: number;
  householdCode: string;
  headName: string;
  reason: string;
  status: CreditGradeObjection['status'];
  statusLabel: string;
  answer: string | null;
  gradeBefore: string | null;
  gradeAfter: string | null;
  byHousehold: boolean;
}

export interface GradesView {
  villageId: number;
  villageName: string;
  year: number;
  /** null: the year has not been computed. */
  status: RunStatus | null;
  statusLabel: string;
  windowEndsOn: string | null;
  computedAt: Date | null;
  publicizedAt: Date | null;
  submittedAt: Date | null;
  filedAt: Date | null;
  townshipComment: string | null;
  levels: GradeLevel[];
  blackListGrade: string | null;
  villageGrade: VillageGrade | null;
  rows: GradeRow[];
  objections: GradeObjectionView[];
}

/** A step's answer: `repeated` when the same step came again (a double click, a retry) and nothing was written. */
export interface Stepped<T> {
  result: T;
  repeated: boolean;
}

const OBJECTION_LABELS = { OPEN: '等待答复', UPHELD: '异议成立', DISMISSED: '已驳回' } as const;
const num = (v: unknown) => Number(v ?? 0);

/** A year in an address or a form: four digits, 2000–2100; anything else a 400 with the field named. */
export function yearOrRefuse(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const year = /^\d{4}$/.test(text) ? Number(text) : NaN;
  if (!(year >= 2000 && year <= 2100)) throw DomainError.validation({ year: YEAR_MESSAGE }, YEAR_MESSAGE);
  return year;
}

/**
 * 信用户评定: a village's grade rules (the thresholds its 村民代表会议 voted), a year's grades of every active household
 * from the year's earned points, stars and black list (StarsService, which reads the ledger's period totals and the
 * lists), their 公示 with objections answered by the committee, and the township's filing (final) or return. The village's
 * grade (信用村) follows from its households' grades (credit-grade-rules.ts).
 */
@Injectable()
export class CreditGradesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly settings: Settings,
    private readonly stars: StarsService,
    private readonly households: HouseholdsService,
    private readonly villages: VillagesService,
  ) {}

  /** The China day now (the pages ask whether the 公示 is still open). */
  today(): string {
    return this.clock.today();
  }

  /** The township's to-do: villages' grades of a year submitted and waiting to be filed. */
  async waitingFiling(townshipId: number): Promise<number> {
    const villages = await this.villages.inTownship(townshipId);
    if (villages.length === 0) return 0;
    return this.dataSource
      .getRepository(CreditGradeRun)
      .countBy({ villageId: In(villages.map((v) => v.id)), status: 'SUBMITTED' });
  }

  /** A household's grade of a year as it stands after 公示 (filed or at least publicised), or null when it has none. */
  async gradeOf(householdId: number, year: number): Promise<string | null> {
    const rows = await raw<{ grade: string }>(
      this.dataSource,
      `SELECT g.grade FROM credit_grade g JOIN credit_grade_run r ON r.id = g."runId"
        WHERE g."householdId" = $1 AND g.year = $2 AND r.status IN (${STANDING_STATUSES.map((_, i) => `$${i + 3}`).join(', ')})`,
      [householdId, year, ...STANDING_STATUSES],
    );
    return rows[0]?.grade ?? null;
  }

  async rules(actor: Actor, villageId: number): Promise<GradeRulesView> {
    await this.villages.inScope(actor, villageId);
    return this.rulesOf(this.dataSource.manager, villageId);
  }

  /** The committee records the thresholds the 村民代表会议 voted; the same rules again change nothing. */
  async setRules(
    actor: Actor,
    villageId: number,
    dto: CreditGradeRulesDto,
  ): Promise<Stepped<GradeRulesView>> {
    this.assertMay(actor, Permission.CreditGrade.Configure, '信用等级标准由村两委按村民代表会议的表决设定');
    const levels = dto.levels.map((l) => ({ name: l.name, minPoints: l.minPoints, minStars: l.minStars }));
    const blackListGrade = dto.blackListGrade || levels[levels.length - 1].name;
    const wrong = levelsError(levels, blackListGrade);
    if (wrong) throw DomainError.validation(wrong);
    return this.transactions.run(async (manager) => {
      const village = await this.villages.inScope(actor, villageId, manager);
      const before = await this.rulesOf(manager, village.id);
      if (
        before.voted &&
        JSON.stringify(before.levels) === JSON.stringify(levels) &&
        before.blackListGrade === blackListGrade
      )
        return { result: before, repeated: true };
      await manager.save(
        manager.create(CreditGradeRules, {
          villageId: village.id,
          levels: JSON.stringify(levels),
          blackListGrade,
          setBy: actor.kind === 'user' ? actor.id : null,
          setAt: this.clock.now(),
        }),
      );
      await this.record(manager, actor, village, 'credit.rules', 'village', village.id, {
        levels: levels.map((l) => `${l.name}:${l.minPoints}分${l.minStars}星`),
        blackListGrade,
      });
      return { result: await this.rulesOf(manager, village.id), repeated: false };
    });
  }

  /** A village's grades of a year (rows empty and status null before the first computation). */
  async grades(actor: Actor, villageId: number, year: number): Promise<GradesView> {
    const village = await this.villages.inScope(actor, villageId);
    return this.view(this.dataSource.manager, village, year);
  }

  /**
   * 评定: every active household's grade of the year under the village's rules as they are now. Again before 公示 (or
   * after the township returned it) it computes afresh; once in 公示 or filed it is refused. A computation that would
   * change nothing (a double click) writes nothing.
   */
  async compute(actor: Actor, villageId: number, year: number): Promise<Stepped<GradesView>> {
    this.assertMay(actor, Permission.CreditGrade.Configure, '信用等级由村两委评定');
    const thisYear = Number(this.clock.today().slice(0, 4));
    if (year > thisYear) throw DomainError.validation({ year: `评定年份不能晚于今年（${thisYear}年）` });
    try {
      return await this.transactions.run(async (manager) => {
        const village = await this.villages.inScope(actor, villageId, manager);
        const rules = await this.rulesOf(manager, village.id);
        if (!rules.voted)
          throw new DomainError(
            'INVALID_STATE',
            '请先设定本村的信用等级标准（村民代表会议表决的门槛），再评定',
          );
        const existing = await manager.findOneBy(CreditGradeRun, { villageId: village.id, year });
        const run = existing
          ? ((await lockRow(manager, CreditGradeRun, existing.id)) as CreditGradeRun)
          : null;
        if (run) assertRunMove(run.status, 'compute');
        const fresh = await this.facts(village.id, year);
        const computed = fresh.map((f) => ({ ...f, grade: gradeFor(rules.levels, rules.blackListGrade, f) }));
        if (run && run.status === 'COMPUTED' && run.levels === JSON.stringify(rules.levels)) {
          const kept = await manager.find(CreditGrade, {
            where: { runId: run.id },
            order: { householdId: 'ASC' },
          });
          const same =
            run.blackListGrade === rules.blackListGrade &&
            kept.length === computed.length &&
            kept.every((k, i) => {
              const c = computed[i];
              return (
                k.householdId === c.householdId &&
                k.earned === c.earned &&
                k.stars === c.stars &&
                !!k.blackListed === c.blackListed &&
                k.grade === c.grade
              );
            });
          if (same) return { result: await this.view(manager, village, year), repeated: true };
        }
        const saved = await manager.save(
          Object.assign(run ?? manager.create(CreditGradeRun, { villageId: village.id, year }), {
            status: 'COMPUTED' as RunStatus,
            levels: JSON.stringify(rules.levels),
            blackListGrade: rules.blackListGrade,
            windowEndsOn: null,
            computedAt: this.clock.now(),
            computedBy: actor.kind === 'user' ? actor.id : null,
            publicizedAt: null,
            submittedAt: null,
          }),
        );
        if (run) await manager.delete(CreditGrade, { runId: saved.id });
        for (const c of computed)
          await manager.insert(CreditGrade, {
            runId: saved.id,
            villageId: village.id,
            year,
            householdId: c.householdId,
            earned: c.earned,
            stars: c.stars,
            blackListed: c.blackListed,
            computedGrade: c.grade,
            grade: c.grade,
            note: null,
          });
        const byGrade: Record<string, number> = {};
        for (const c of computed) byGrade[c.grade] = (byGrade[c.grade] ?? 0) + 1;
        await this.record(manager, actor, village, 'credit.compute', 'credit_grade_run', saved.id, {
          year,
          households: computed.length,
          byGrade,
        });
        return { result: await this.view(manager, village, year), repeated: false };
      });
    } catch (error) {
      // Two computations of a new year raced: the unique index let one in; the other answers with its result.
      if (isUniqueViolation(error)) {
        const village = await this.villages.inScope(actor, villageId);
        return { result: await this.view(this.dataSource.manager, village, year), repeated: true };
      }
      throw error;
    }
  }

  /** 公示: the grades go on the village's board for `days` days; households may object meanwhile. */
  async publicize(
    actor: Actor,
    villageId: number,
    year: number,
    days = PUBLICATION_DEFAULT_DAYS,
  ): Promise<Stepped<GradesView>> {
    this.assertMay(actor, Permission.CreditGrade.Configure, '信用等级由村两委公示');
    const refused = windowDaysError(days, this.settings.publicationMinDays);
    if (refused) throw DomainError.validation({ days: refused });
    return this.transactions.run(async (manager) => {
      const { village, run } = await this.runOf(manager, actor, villageId, year);
      if (run.status === 'PUBLICIZING')
        return { result: await this.view(manager, village, year), repeated: true };
      assertRunMove(run.status, 'publicize');
      run.status = 'PUBLICIZING';
      run.publicizedAt = this.clock.now();
      // As a record's window: `days` days from today, today the first (0: over at once, as tests use).
      run.windowEndsOn = addDays(this.clock.today(), days - 1);
      run.townshipComment = null;
      await manager.save(run);
      await this.record(manager, actor, village, 'credit.publicize', 'credit_grade_run', run.id, {
        year,
        windowEndsOn: run.windowEndsOn,
      });
      return { result: await this.view(manager, village, year), repeated: false };
    });
  }

  /** 异议 on a household's grade during its 公示: the household itself, or the committee for one who came in person. */
  async object(
    actor: Actor,
    villageId: number,
    dto: GradeObjectionDto,
  ): Promise<Stepped<GradeObjectionView>> {
    let householdId: number;
    if (actor.kind === 'household') {
      if (dto.householdId !== undefined && dto.householdId !== actor.householdId)
        throw DomainError.forbidden('村民只能对本户的信用等级提出异议');
      householdId = actor.householdId as number;
    } else {
      this.assertMay(actor, Permission.CreditGrade.Configure, '异议由村民提出，或由村两委代为登记');
      if (!dto.householdId) throw DomainError.validation({ householdId: '请选择农户' });
      householdId = dto.householdId;
    }
    return this.transactions.run(async (manager) => {
      const { village, run } = await this.runOf(manager, actor, villageId, dto.year);
      assertRunMove(run.status, 'object');
      if ((run.windowEndsOn ?? '') < this.clock.today())
        throw new DomainError('INVALID_STATE', `公示期已于 ${run.windowEndsOn} 结束，不能再提出异议`);
      const grade = await manager.findOneBy(CreditGrade, { runId: run.id, householdId });
      if (!grade) throw DomainError.validation({ householdId: '这户没有本年的信用等级' });
      const open = await manager.findOneBy(CreditGradeObjection, {
        runId: run.id,
        householdId,
        status: 'OPEN',
      });
      if (open) return { result: (await this.objectionViews(manager, [open]))[0], repeated: true };
      const raised = await manager.save(
        manager.create(CreditGradeObjection, {
          runId: run.id,
          villageId: village.id,
          householdId,
          byUserId: actor.kind === 'user' ? actor.id : null,
          byHouseholdId: actor.kind === 'household' ? actor.householdId : null,
          reason: dto.reason,
          status: 'OPEN',
          gradeBefore: grade.grade,
        }),
      );
      await this.record(manager, actor, village, 'credit.object', 'credit_grade_run', run.id, {
        year: dto.year,
        objectionId: raised.id,
        householdId,
        grade: grade.grade,
        reason: dto.reason,
      });
      return { result: (await this.objectionViews(manager, [raised]))[0], repeated: false };
    });
  }

  /**
   * The committee answers an objection: upheld, the household's grade becomes `grade`, or without one is computed
   * again from the household's points, stars and black list as they are now, the answer kept as the reason; dismissed,
   * the grade stands.
   */
  async answer(
    actor: Actor,
    villageId: number,
    objectionId: number,
    dto: AnswerGradeObjectionDto,
  ): Promise<Stepped<GradeObjectionView>> {
    this.assertMay(actor, Permission.CreditGrade.Configure, '异议由村两委答复');
    return this.transactions.run(async (manager) => {
      const village = await this.villages.inScope(actor, villageId, manager);
      const objection = await lockRow(manager, CreditGradeObjection, objectionId);
      if (!objection || objection.villageId !== village.id) throw DomainError.notFound('信用等级异议');
      const to = dto.decision === 'UPHOLD' ? 'UPHELD' : 'DISMISSED';
      if (objection.status !== 'OPEN') {
        if (objection.status === to)
          return { result: (await this.objectionViews(manager, [objection]))[0], repeated: true };
        throw new DomainError('INVALID_STATE', '这条异议已经答复过了');
      }
      const run = (await lockRow(manager, CreditGradeRun, objection.runId)) as CreditGradeRun;
      assertRunMove(run.status, 'answer');
      const grade = await manager.findOneByOrFail(CreditGrade, {
        runId: run.id,
        householdId: objection.householdId,
      });
      const levels = JSON.parse(run.levels) as GradeLevel[];
      if (dto.decision === 'UPHOLD') {
        if (dto.grade) {
          if (!levels.some((l) => l.name === dto.grade))
            throw DomainError.validation({ grade: `等级应为 ${levels.map((l) => l.name).join('、')} 之一` });
          grade.grade = dto.grade;
        } else {
          const star = await this.stars.starsOf(objection.householdId, run.year, { fresh: true });
          const facts = {
            earned: star?.points ?? 0,
            stars: star?.stars ?? 0,
            blackListed: star?.blackListed ?? false,
          };
          Object.assign(grade, facts, { computedGrade: gradeFor(levels, run.blackListGrade, facts) });
          grade.grade = grade.computedGrade;
        }
        grade.note = `异议成立：${dto.answer}`.slice(0, 200);
        await manager.save(grade);
      }
      objection.status = to;
      objection.answer = dto.answer;
      objection.gradeAfter = grade.grade;
      objection.resolvedBy = actor.kind === 'user' ? actor.id : null;
      objection.resolvedAt = this.clock.now();
      await manager.save(objection);
      await this.record(manager, actor, village, 'credit.answer', 'credit_grade_run', run.id, {
        year: run.year,
        objectionId,
        householdId: objection.householdId,
        decision: dto.decision,
        from: objection.gradeBefore,
        to: grade.grade,
        answer: dto.answer,
      });
      return { result: (await this.objectionViews(manager, [objection]))[0], repeated: false };
    });
  }

  /** 报乡镇备案: once the 公示 has ended and every objection is answered. */
  async submit(actor: Actor, villageId: number, year: number): Promise<Stepped<GradesView>> {
    this.assertMay(actor, Permission.CreditGrade.Configure, '信用等级由村两委报乡镇备案');
    return this.transactions.run(async (manager) => {
      const { village, run } = await this.runOf(manager, actor, villageId, year);
      if (run.status === 'SUBMITTED')
        return { result: await this.view(manager, village, year), repeated: true };
      assertRunMove(run.status, 'submit');
      if ((run.windowEndsOn ?? '') >= this.clock.today())
        throw new DomainError('INVALID_STATE', `公示期到 ${run.windowEndsOn} 结束，结束后才能报乡镇备案`);
      const open = await manager.countBy(CreditGradeObjection, { runId: run.id, status: 'OPEN' });
      if (open > 0)
        throw new DomainError('INVALID_STATE', `还有 ${open} 条异议等待答复，答复后才能报乡镇备案`);
      run.status = 'SUBMITTED';
      run.submittedAt = this.clock.now();
      await manager.save(run);
      await this.record(manager, actor, village, 'credit.submit', 'credit_grade_run', run.id, { year });
      return { result: await this.view(manager, village, year), repeated: false };
    });
  }

  /** 备案 (final) or 退回 with a comment: the township's answer to a village's submitted grades. */
  async decide(
    actor: Actor,
    villageId: number,
    year: number,
    decision: 'file' | 'return',
    comment?: string,
  ): Promise<Stepped<GradesView>> {
    this.assertMay(actor, Permission.CreditGrade.File, '信用等级由乡镇备案或退回');
    const to: RunStatus = decision === 'file' ? 'FILED' : 'RETURNED';
    return this.transactions.run(async (manager) => {
      const { village, run } = await this.runOf(manager, actor, villageId, year);
      if (run.status === to) return { result: await this.view(manager, village, year), repeated: true };
      assertRunMove(run.status, decision);
      run.status = to;
      run.townshipComment = comment || null;
      if (to === 'FILED') {
        run.filedAt = this.clock.now();
        run.filedBy = actor.kind === 'user' ? actor.id : null;
      }
      await manager.save(run);
      await this.record(
        manager,
        actor,
        village,
        decision === 'file' ? 'credit.file' : 'credit.return',
        'credit_grade_run',
        run.id,
        {
          year,
          ...(comment && { comment }),
        },
      );
      return { result: await this.view(manager, village, year), repeated: false };
    });
  }

  /**
   * Each village's grades of the year as the township's overview shows them: where they stand, and the village grade
   * (信用村) once they have been publicised (null before, and after the township returned them).
   */
  async villageGrades(
    villageIds: number[],
    year: number,
  ): Promise<Map<number, { status: RunStatus; statusLabel: string; villageGrade: VillageGrade | null }>> {
    if (villageIds.length === 0) return new Map();
    const runs = await this.dataSource
      .getRepository(CreditGradeRun)
      .find({ where: { villageId: In(villageIds), year } });
    const standing = runs.filter((r) => STANDING_STATUSES.includes(r.status));
    const rows =
      standing.length === 0
        ? []
        : await this.dataSource.getRepository(CreditGrade).find({
            where: { runId: In(standing.map((r) => r.id)) },
            select: { runId: true, grade: true, blackListed: true },
          });
    return new Map(
      runs.map((run) => {
        const mine = rows.filter((r) => r.runId === run.id);
        const levels = JSON.parse(run.levels) as GradeLevel[];
        return [
          run.villageId,
          {
            status: run.status,
            statusLabel: RUN_STATUS_LABELS[run.status],
            villageGrade: STANDING_STATUSES.includes(run.status)
              ? villageGradeOf(
                  levels[levels.length - 1].name,
                  mine.map((r) => r.grade),
                  mine.filter((r) => r.blackListed).length,
                )
              : null,
          },
        ];
      }),
    );
  }

  /** The household's own grades: the latest year its village publicised, and its objections there. */
  async ownGrade(actor: Actor): Promise<{
    year: number;
    status: RunStatus;
    statusLabel: string;
    windowEndsOn: string | null;
    inWindow: boolean;
    row: GradeRow;
    objections: GradeObjectionView[];
    levels: GradeLevel[];
  } | null> {
    if (actor.kind !== 'household') return null;
    const run = await this.dataSource.getRepository(CreditGradeRun).findOne({
      where: { villageId: actor.villageId as number, status: In([...STANDING_STATUSES]) },
      order: { year: 'DESC' },
    });
    if (!run) return null;
    const village = await this.villages.getIn(this.dataSource.manager, run.villageId);
    const view = await this.view(this.dataSource.manager, village, run.year, actor.householdId);
    const row = view.rows.find((r) => r.householdId === actor.householdId);
    if (!row) return null;
    return {
      year: run.year,
      status: run.status,
      statusLabel: RUN_STATUS_LABELS[run.status],
      windowEndsOn: run.windowEndsOn,
      inWindow: run.status === 'PUBLICIZING' && (run.windowEndsOn ?? '') >= this.clock.today(),
      row,
      objections: view.objections.filter((o) => o.householdId === actor.householdId),
      levels: view.levels,
    };
  }

  /** Villages a township or the county may choose from (the page's chooser). */
  villagesOf(actor: Actor): Promise<{ id: number; name: string }[]> {
    return this.villages.names(actor.townshipId ?? undefined);
  }

  /** Every active household's year: earned points and stars (the ledger's period totals, as stars read them), black list. */
  private async facts(villageId: number, year: number) {
    const [households, stars] = await Promise.all([
      this.households.briefsInVillage(villageId),
      this.stars.stars(villageId, year),
    ]);
    const of = new Map(stars.rows.map((r) => [r.householdId, r]));
    return households
      .filter((h) => h.status === 'ACTIVE')
      .map((h) => ({
        householdId: h.id,
        earned: of.get(h.id)?.points ?? 0,
        stars: of.get(h.id)?.stars ?? 0,
        blackListed: of.get(h.id)?.blackListed ?? false,
      }))
      .sort((a, b) => a.householdId - b.householdId);
  }

  private async rulesOf(manager: EntityManager, villageId: number): Promise<GradeRulesView> {
    const row = await manager.findOneBy(CreditGradeRules, { villageId });
    if (!row)
      return {
        villageId,
        voted: false,
        levels: SUGGESTED_LEVELS,
        blackListGrade: SUGGESTED_LEVELS[SUGGESTED_LEVELS.length - 1].name,
        setBy: null,
        setAt: null,
      };
    return {
      villageId,
      voted: true,
      levels: JSON.parse(row.levels) as GradeLevel[],
      blackListGrade: row.blackListGrade,
      setBy: row.setBy,
      setAt: row.setAt,
    };
  }

  private async runOf(manager: EntityManager, actor: Actor, villageId: number, year: number) {
    const village = await this.villages.inScope(actor, villageId, manager);
    const found = await manager.findOneBy(CreditGradeRun, { villageId: village.id, year });
    if (!found) throw new DomainError('INVALID_STATE', `本村还没有评定${year}年的信用等级`);
    // Locked: two steps on one year's grades go one after the other.
    const run = (await lockRow(manager, CreditGradeRun, found.id)) as CreditGradeRun;
    return { village, run };
  }

  /**
   * A village's grades of a year; with `householdId`, only that household's row and objections (a household's own
   * page reads one row, not the village's hundreds; the village grade is then not meaningful and left to the caller).
   */
  private async view(
    manager: EntityManager,
    village: Village,
    year: number,
    householdId?: number,
  ): Promise<GradesView> {
    const run = await manager.findOneBy(CreditGradeRun, { villageId: village.id, year });
    const base = {
      villageId: village.id,
      villageName: village.name,
      year,
    };
    if (!run)
      return {
        ...base,
        status: null,
        statusLabel: '未评定',
        windowEndsOn: null,
        computedAt: null,
        publicizedAt: null,
        submittedAt: null,
        filedAt: null,
        townshipComment: null,
        levels: [],
        blackListGrade: null,
        villageGrade: null,
        rows: [],
        objections: [],
      };
    const [grades, objections] = await Promise.all([
      manager.find(CreditGrade, {
        where: { runId: run.id, ...(householdId !== undefined && { householdId }) },
      }),
      manager.find(CreditGradeObjection, {
        where: { runId: run.id, ...(householdId !== undefined && { householdId }) },
        order: { id: 'ASC' },
      }),
    ]);
    const names = await this.households.codesAndNames(
      grades.map((g) => g.householdId),
      manager,
    );
    const levels = JSON.parse(run.levels) as GradeLevel[];
    const rank = new Map(levels.map((l, i) => [l.name, i]));
    const rows = grades
      .map((g) => ({
        householdId: g.householdId,
        householdCode: names.get(g.householdId)?.code ?? '',
        headName: names.get(g.householdId)?.headName ?? '',
        earned: num(g.earned),
        stars: num(g.stars),
        blackListed: !!g.blackListed,
        computedGrade: g.computedGrade,
        grade: g.grade,
        note: g.note,
      }))
      // Highest grade first, then by door-plate code.
      .sort(
        (a, b) =>
          (rank.get(a.grade) ?? 99) - (rank.get(b.grade) ?? 99) ||
          (a.householdCode < b.householdCode ? -1 : a.householdCode > b.householdCode ? 1 : 0),
      );
    return {
      ...base,
      status: run.status,
      statusLabel: RUN_STATUS_LABELS[run.status],
      windowEndsOn: run.windowEndsOn,
      computedAt: run.computedAt,
      publicizedAt: run.publicizedAt,
      submittedAt: run.submittedAt,
      filedAt: run.filedAt,
      townshipComment: run.townshipComment,
      levels,
      blackListGrade: run.blackListGrade,
      villageGrade: villageGradeOf(
        levels[levels.length - 1].name,
        rows.map((r) => r.grade),
        rows.filter((r) => r.blackListed).length,
      ),
      rows,
      objections: await this.objectionViews(manager, objections, names),
    };
  }

  private async objectionViews(
    manager: EntityManager,
    objections: CreditGradeObjection[],
    known?: Map<number, { code: string; headName: string }>,
  ): Promise<GradeObjectionView[]> {
    const names =
      known ??
      (await this.households.codesAndNames(
        objections.map((o) => o.householdId),
        manager,
      ));
    return objections.map((o) => ({
      id: o.id,
      householdId: o.householdId,
      householdCode: names.get(o.householdId)?.code ?? '',
      headName: names.get(o.householdId)?.headName ?? '',
      reason: o.reason,
      status: o.status,
      statusLabel: OBJECTION_LABELS[o.status],
      answer: o.answer,
      gradeBefore: o.gradeBefore,
      gradeAfter: o.gradeAfter,
      byHousehold: o.byHouseholdId !== null,
    }));
  }

  private assertMay(actor: Actor, permission: Permission, message: string): void {
    if (!can(actor, permission)) throw DomainError.forbidden(message);
  }

  private async record(
    manager: EntityManager,
    actor: Actor,
    village: Village,
    action: string,
    entityType: string,
    entityId: number,
    details: Record<string, unknown>,
  ) {
    this.transactions.changed(manager, villageScope(village));
    await this.audit.record(
      actor,
      { action, entityType, entityId, townshipId: village.townshipId, villageId: village.id, details },
      manager,
    );
  }
}

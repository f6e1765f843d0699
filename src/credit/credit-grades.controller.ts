import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { can, Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { markRepeated } from '../common/idempotency.js';
import { FormBody, FormPage, type FormRequest } from '../common/form-page.js';
import { parseForm } from '../common/validation.js';
import { windowDaysHint } from '../publications/publication-window.js';
import { Settings } from '../config/settings.js';
import {
  AnswerGradeObjectionDto,
  CreditGradeRulesDto,
  CreditYearDto,
  FileGradesDto,
  GradeObjectionDto,
  PublicizeGradesDto,
  ReturnGradesDto,
} from './dto/credit-grade.dto.js';
import { formField, gradesPage, levelsOf, rulesForm, rulesValues } from './credit-grades.presenter.js';
import { CreditGradesService, yearOrRefuse } from './credit-grades.service.js';

const VIEW = 'credit/grades';

/** Which village a page acts on: a village's staff their own; the township and the county the one they chose. */
function villageOf(actor: Actor, chosen: unknown): number | null {
  if (actor.villageId) return actor.villageId;
  const id = Number(chosen);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

const pageAgain = (c: CreditGradesController, req: FormRequest) =>
  c.pageContext(req.actor, req.body.villageId, req.body.year, req.body);

/** Where a step goes back to: the village's page of that year. */
const back = (actor: Actor, villageId: number, year: number) =>
  `/credit-grades?${actor.villageId ? '' : `villageId=${villageId}&`}year=${year}`;

/**
 * 信用户评定 pages: the committee sets the rules, computes, publicises, answers objections and submits; the township
 * files or returns. The household sees its grade and objects on its own page (/villager).
 */
@ApiExcludeController()
@Controller('credit-grades')
export class CreditGradesController {
  constructor(
    private readonly credit: CreditGradesService,
    private readonly settings: Settings,
  ) {}

  @Get()
  @Allow(Permission.CreditGrade.Read)
  async page(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Query('villageId') villageId?: string,
    @Query('year') year?: string,
  ) {
    if (!villageOf(actor, villageId))
      return res.render(VIEW, { title: '信用户评定', villages: await this.credit.villagesOf(actor) });
    const context = await this.pageContext(actor, villageId, year);
    res.status(context.yearError ? 400 : 200).render(VIEW, context);
  }

  @Post('rules')
  @Allow(Permission.CreditGrade.Configure)
  @FormPage(VIEW, { context: pageAgain })
  async setRules(
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
    @Body() body: Record<string, unknown> = {},
  ) {
    const villageId = this.mine(actor);
    const year = this.yearIn(body);
    const { rows, levels } = levelsOf(body);
    try {
      const dto = await parseForm(CreditGradeRulesDto, { levels, blackListGrade: body.blackListGrade });
      markRepeated(res, (await this.credit.setRules(actor, villageId, dto)).repeated);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'VALIDATION_FAILED') throw error;
      throw DomainError.validation(
        Object.fromEntries(Object.entries(error.details).map(([k, v]) => [formField(k, rows), String(v)])),
        error.message,
      );
    }
    return { redirect: back(actor, villageId, year), message: '信用等级标准已保存，重新评定后按新标准' };
  }

  @Post('compute')
  @Allow(Permission.CreditGrade.Configure)
  @FormPage(VIEW, { context: pageAgain })
  async compute(
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
    @FormBody(CreditYearDto) dto: CreditYearDto,
  ) {
    const villageId = this.mine(actor);
    const { result, repeated } = await this.credit.compute(actor, villageId, dto.year);
    markRepeated(res, repeated);
    return {
      redirect: back(actor, villageId, dto.year),
      message: `已评定${dto.year}年 ${result.rows.length} 户的信用等级，核对后公示`,
    };
  }

  @Post('publicize')
  @Allow(Permission.CreditGrade.Configure)
  @FormPage(VIEW, { context: pageAgain })
  async publicize(
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
    @FormBody(PublicizeGradesDto) dto: PublicizeGradesDto,
  ) {
    const villageId = this.mine(actor);
    const { result, repeated } = await this.credit.publicize(actor, villageId, dto.year, dto.days);
    markRepeated(res, repeated);
    return {
      redirect: back(actor, villageId, dto.year),
      message: `信用等级已公示，公示到 ${result.windowEndsOn}`,
    };
  }

  @Post('objections')
  @Allow(Permission.CreditGrade.Configure)
  @FormPage(VIEW, { context: pageAgain })
  async object(
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
    @FormBody(GradeObjectionDto) dto: GradeObjectionDto,
  ) {
    const villageId = this.mine(actor);
    markRepeated(res, (await this.credit.object(actor, villageId, dto)).repeated);
    return { redirect: back(actor, villageId, dto.year), message: '已代村民登记异议，请尽快答复' };
  }

  @Post('answer')
  @Allow(Permission.CreditGrade.Configure)
  @FormPage(VIEW, { context: pageAgain })
  async answer(
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
    @Body() body: Record<string, unknown> = {},
  ) {
    const villageId = this.mine(actor);
    const year = yearOrRefuse(body.year);
    const objectionId = Number(body.objectionId);
    if (!Number.isSafeInteger(objectionId) || objectionId < 1) throw DomainError.notFound('信用等级异议');
    const dto = await parseForm(AnswerGradeObjectionDto, {
      decision: body.decision,
      grade: body.grade,
      answer: body.answer,
    });
    const { result, repeated } = await this.credit.answer(actor, villageId, objectionId, dto);
    markRepeated(res, repeated);
    return {
      redirect: back(actor, villageId, year),
      message:
        result.status === 'UPHELD'
          ? `异议成立，${result.householdCode} ${result.headName}家的等级为 ${result.gradeAfter}`
          : '已驳回异议',
    };
  }

  @Post('submit')
  @Allow(Permission.CreditGrade.Configure)
  @FormPage(VIEW, { context: pageAgain })
  async submit(
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
    @FormBody(CreditYearDto) dto: CreditYearDto,
  ) {
    const villageId = this.mine(actor);
    markRepeated(res, (await this.credit.submit(actor, villageId, dto.year)).repeated);
    return { redirect: back(actor, villageId, dto.year), message: `${dto.year}年信用等级已报乡镇备案` };
  }

  @Post('file')
  @Allow(Permission.CreditGrade.File)
  @FormPage(VIEW, { context: pageAgain })
  async file(
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
    @Body() body: Record<string, unknown> = {},
  ) {
    const villageId = this.chosen(actor, body.villageId);
    const dto = await parseForm(FileGradesDto, { year: body.year, comment: body.comment });
    const { result, repeated } = await this.credit.decide(actor, villageId, dto.year, 'file', dto.comment);
    markRepeated(res, repeated);
    return {
      redirect: back(actor, villageId, dto.year),
      message: `已备案${result.villageName}${dto.year}年的信用等级`,
    };
  }

  @Post('return')
  @Allow(Permission.CreditGrade.File)
  @FormPage(VIEW, { context: pageAgain, fieldNames: () => ({ comment: 'returnComment' }) })
  async giveBack(
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
    @Body() body: Record<string, unknown> = {},
  ) {
    const villageId = this.chosen(actor, body.villageId);
    const dto = await parseForm(ReturnGradesDto, { year: body.year, comment: body.returnComment });
    const { result, repeated } = await this.credit.decide(actor, villageId, dto.year, 'return', dto.comment);
    markRepeated(res, repeated);
    return {
      redirect: back(actor, villageId, dto.year),
      message: `已退回${result.villageName}${dto.year}年的信用等级`,
    };
  }

  /** The page of a village's year: its rules form, the grades, and the steps the actor may take now. */
  async pageContext(
    actor: Actor,
    chosenVillage: unknown,
    chosenYear: unknown,
    typed?: Record<string, unknown>,
  ) {
    const villageId = villageOf(actor, chosenVillage);
    if (!villageId) throw DomainError.validation({ villageId: '请选择村' });
    const today = this.credit.today();
    let year = Number(today.slice(0, 4));
    let yearError: string | undefined;
    if (chosenYear !== undefined && chosenYear !== '') {
      try {
        year = yearOrRefuse(chosenYear);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        yearError = error.message;
      }
    }
    const [view, rules] = await Promise.all([
      this.credit.grades(actor, villageId, year),
      this.credit.rules(actor, villageId),
    ]);
    const grades = gradesPage(view, today);
    const rulesTyped = !!typed && Object.keys(typed).some((k) => /^level\dName$/.test(k));
    const configure = can(actor, Permission.CreditGrade.Configure);
    const status = grades.status;
    const fresh = status === null || status === 'COMPUTED' || status === 'RETURNED';
    const households =
      configure && grades.inWindow
        ? grades.rows.map((r) => ({
            value: r.householdId,
            label: `${r.householdCode} ${r.headName}（${r.grade}）`,
          }))
        : [];
    return {
      title: `信用户评定 · ${view.villageName}`,
      year,
      yearError,
      errors: yearError ? { year: yearError } : {},
      namesVillage: !actor.villageId,
      grades,
      rules,
      rulesSetLabel: rules.setAt ? new Date(rules.setAt).toISOString().slice(0, 10) : '',
      // The rules form shows what was typed when it was the form refused, else the rules as stored; it stays folded
      // away once the village has voted, unless it is the form refused.
      ...rulesForm(rulesTyped ? typed : rulesValues(rules)),
      rulesOpen: rulesTyped || !rules.voted,
      gradeOptions: grades.levels.map((l) => ({ value: l.name, label: l.name })),
      householdOptions: households,
      daysHint: windowDaysHint(this.settings.publicationMinDays),
      values: { year: String(year), days: '7' },
      canConfigure: configure,
      canCompute: configure && fresh,
      canPublicize: configure && (status === 'COMPUTED' || status === 'RETURNED'),
      canObject: configure && grades.inWindow,
      canAnswer: configure && status === 'PUBLICIZING',
      canSubmit: configure && status === 'PUBLICIZING',
      canFile: can(actor, Permission.CreditGrade.File) && status === 'SUBMITTED',
    };
  }

  private mine(actor: Actor): number {
    if (!actor.villageId) throw DomainError.forbidden('信用等级由本村的村两委评定');
    return actor.villageId;
  }

  private chosen(actor: Actor, given: unknown): number {
    const id = villageOf(actor, given);
    if (!id) throw DomainError.validation({ villageId: '请选择村' });
    return id;
  }

  private yearIn(body: Record<string, unknown>): number {
    return yearOrRefuse(body.year);
  }
}

import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { scopeLevel, type Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { can, Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { submitForm, ticked } from '../common/forms.js';
import { parseForm } from '../common/validation.js';
import { TownshipsService } from '../townships/townships.service.js';
import { VillagesService } from '../villages/villages.service.js';
import { CopyTemplatesDto, CreateRuleDto, UpdateRuleDto } from './dto/rule.dto.js';
import { pointsLabel, pointsRange, ruleLine } from './rule-points.js';
import { ruleView, RulesService } from './rules.service.js';
import { RULE_CATEGORIES, type ScoringRule } from './scoring-rule.entity.js';

/** An id from the query string, or a 404 rather than a database error for `?villageId=abc`. */
function idFrom(value: unknown, what: string): number {
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) throw DomainError.notFound(what);
  return Number(value);
}

const CATEGORY_OPTIONS = RULE_CATEGORIES.map((c) => ({ value: c, label: c }));
const PERIOD_OPTIONS = [
  { value: 'month', label: '每月' },
  { value: 'year', label: '每年' },
];

/** The rule form's fields as the DTOs take them; an unticked box is false, an emptied cap removes the cap. */
function ruleFields(body: Record<string, string>) {
  return {
    category: body.category,
    title: body.title,
    points: body.points,
    minPoints: body.minPoints,
    maxPoints: body.maxPoints,
    capCount: body.capCount || null,
    capPeriod: body.capPeriod || null,
    evidenceRequired: body.evidenceRequired === 'true',
    blackList: body.blackList === 'true',
    needsCouncil: body.needsCouncil === 'true',
  };
}

/**
 * The rule form checked as the DTO checks it, with the points range checked at the same time (the service checks it
 * again), so that a committee member sees every wrong field after one try.
 */
async function parseRuleForm<T extends object>(
  cls: new () => T,
  fields: Record<string, unknown>,
  alsoWrong: Record<string, string> = {},
): Promise<T> {
  let dto: T;
  try {
    dto = await parseForm(cls, fields);
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'VALIDATION_FAILED') throw error;
    const whole = (v: unknown) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : undefined);
    const range = pointsRange({
      points: whole(fields.points),
      minPoints: whole(fields.minPoints),
      maxPoints: whole(fields.maxPoints),
    });
    const given = fields.points || fields.minPoints || fields.maxPoints;
    const rangeErrors = 'error' in range && given ? range.error : {};
    throw DomainError.validation({
      ...rangeErrors,
      ...alsoWrong,
      ...(error.details as Record<string, string>),
    });
  }
  if (Object.keys(alsoWrong).length > 0) throw DomainError.validation(alsoWrong);
  return dto;
}

type Owner = { kind: 'village'; id: number; name: string } | { kind: 'township'; id: number; name: string };

/**
 * 积分清单 pages: a village's list (read by its staff and the township, kept by the committee) and a township's
 * template list (kept by the township), both printable for the notice board.
 */
@ApiExcludeController()
@Controller('rules')
export class RulesController {
  constructor(
    private readonly rules: RulesService,
    private readonly villages: VillagesService,
    private readonly townships: TownshipsService,
  ) {}

  @Get()
  @Allow(Permission.ScoringRule.Read)
  @Render('rules/list')
  async list(@CurrentActor() actor: Actor, @Query('villageId') villageParam?: string) {
    if (villageParam === undefined && !actor.villageId) {
      const villages = (await this.villages.list(actor, { page: 1, pageSize: 200 })).items;
      return {
        title: '积分细则',
        heading: '积分细则',
        choose: '请选择要查看的村',
        choices: villages.map((v) => ({ id: v.id, label: v.name })),
      };
    }
    const villageId = villageParam === undefined ? (actor.villageId as number) : idFrom(villageParam, '村');
    const village = await this.villages.get(actor, villageId);
    const canEdit = can(actor, Permission.ScoringRule.EditVillage);
    return this.listContext({ kind: 'village', id: village.id, name: village.name }, canEdit);
  }

  @Get('templates')
  @Allow(Permission.ScoringRule.EditTemplate)
  @Render('rules/list')
  async templates(@CurrentActor() actor: Actor, @Query('townshipId') townshipParam?: string) {
    if (scopeLevel(actor) === 'county' && townshipParam === undefined) {
      const townships = await this.townships.list(actor);
      return {
        title: '模板细则',
        heading: '模板细则',
        choose: '请选择乡镇',
        templates: true,
        choices: townships.map((t) => ({ id: t.id, label: t.name })),
      };
    }
    const township = await this.townships.get(actor, this.townshipIdOf(actor, townshipParam));
    return this.listContext({ kind: 'township', id: township.id, name: township.name }, true);
  }

  @Get('new')
  @Allow(Permission.ScoringRule.EditVillage)
  @Render('rules/form')
  async newForm(@CurrentActor() actor: Actor) {
    return { ...(await this.newContext(actor, 'village')), values: {} };
  }

  @Post()
  @Allow(Permission.ScoringRule.EditVillage)
  async create(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    await this.submitNew(actor, res, body, 'village');
  }

  @Get('templates/new')
  @Allow(Permission.ScoringRule.EditTemplate)
  @Render('rules/form')
  async newTemplateForm(@CurrentActor() actor: Actor, @Query('townshipId') townshipParam?: string) {
    return { ...(await this.newContext(actor, 'township', townshipParam)), values: {} };
  }

  @Post('templates')
  @Allow(Permission.ScoringRule.EditTemplate)
  async createTemplate(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    await this.submitNew(actor, res, body, 'township');
  }

  @Get('copy')
  @Allow(Permission.ScoringRule.CopyTemplates)
  @Render('rules/copy')
  async copyForm(@CurrentActor() actor: Actor) {
    return { ...(await this.copyContext(actor, [])), values: {} };
  }

  @Post('copy')
  @Allow(Permission.ScoringRule.CopyTemplates)
  async copy(@CurrentActor() actor: Actor, @Res() res: Response, @Body() body: Record<string, unknown> = {}) {
    const ids = ticked(body.ruleIds);
    await submitForm(
      res,
      { view: 'rules/copy', context: () => this.copyContext(actor, ids), values: {} },
      async () => {
        // Nothing ticked would copy the whole template list: the page asks for a choice instead.
        if (ids.length === 0) throw DomainError.validation({ ruleIds: '请至少勾选一条模板细则' });
        const dto = await parseForm(CopyTemplatesDto, { ruleIds: ids.map(Number) });
        const copied = await this.rules.copyTemplates(actor, actor.villageId as number, dto.ruleIds);
        return {
          redirect: '/rules',
          message:
            copied.length > 0
              ? `已从乡镇模板复制 ${copied.length} 条：${copied.map((r) => r.code).join('、')}`
              : '勾选的细则本村都已有，没有复制',
        };
      },
    );
  }

  @Get(':id/edit')
  @Allow(Permission.ScoringRule.EditVillage, Permission.ScoringRule.EditTemplate)
  @Render('rules/form')
  async editForm(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const rule = await this.editable(actor, id);
    return { ...this.editContext(rule), values: this.valuesOf(rule) };
  }

  @Post(':id')
  @Allow(Permission.ScoringRule.EditVillage, Permission.ScoringRule.EditTemplate)
  async update(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const rule = await this.editable(actor, id);
    await submitForm(
      res,
      { view: 'rules/form', context: () => this.editContext(rule), values: body },
      async () => {
        // The form shows every current value, so an emptied title or points field is a mistake, not "unchanged".
        const missing = {
          ...(!body.title?.trim() && { title: '请填写细则内容' }),
          ...(!body.points &&
            !body.minPoints &&
            !body.maxPoints && {
              points: '请填写固定分值，或同时填写区间的下限和上限',
            }),
        };
        const dto = await parseRuleForm(UpdateRuleDto, ruleFields(body), missing);
        const updated = await this.rules.update(actor, id, dto);
        const bumped = updated.version > rule.version;
        return {
          redirect: this.listPath(rule),
          message: `已保存 ${updated.code} ${updated.title}（${pointsLabel(updated)}）${
            bumped ? `，现为第 ${updated.version} 版；已登记的记录保留原分值` : ''
          }`,
        };
      },
    );
  }

  @Post(':id/active')
  @Allow(Permission.ScoringRule.EditVillage, Permission.ScoringRule.EditTemplate)
  async setActive(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body('active') active: string,
  ) {
    const rule = await this.editable(actor, id);
    await submitForm(
      res,
      { view: 'rules/form', context: () => this.editContext(rule), values: this.valuesOf(rule) },
      async () => {
        const updated = await this.rules.update(actor, id, { active: active === 'true' });
        return {
          redirect: this.listPath(rule),
          message: `${updated.code} ${updated.title} 已${updated.active ? '重新启用' : '停用，已有记录保留'}`,
        };
      },
    );
  }

  private async listContext(owner: Owner, canEdit: boolean) {
    const filter = owner.kind === 'village' ? { villageId: owner.id } : { townshipId: owner.id };
    const groups = (await this.rules.grouped(filter)).map((g) => ({ ...g, rules: g.rules.map(ruleLine) }));
    const heading = owner.kind === 'village' ? `${owner.name}积分清单` : `${owner.name}模板细则`;
    return {
      title: owner.kind === 'village' ? '积分细则' : '模板细则',
      heading,
      templates: owner.kind === 'township',
      groups,
      activeCount: groups.reduce((n, g) => n + g.rules.filter((r) => r.active).length, 0),
      printedOn: todayInChina(),
      canEdit,
      townshipId: owner.kind === 'township' ? owner.id : undefined,
    };
  }

  private async newContext(actor: Actor, kind: Owner['kind'], townshipParam?: string) {
    if (kind === 'village') {
      const village = await this.villages.get(actor, actor.villageId as number);
      return {
        ...this.formChoices(),
        title: '新增细则',
        owner: `${village.name}积分清单`,
        action: '/rules',
      };
    }
    const township = await this.townships.get(actor, this.townshipIdOf(actor, townshipParam));
    return {
      ...this.formChoices(),
      title: '新增模板细则',
      owner: `${township.name}模板细则`,
      action: '/rules/templates',
      townshipId: township.id,
    };
  }

  private async submitNew(actor: Actor, res: Response, body: Record<string, string>, kind: Owner['kind']) {
    const townshipParam = kind === 'township' ? body.townshipId : undefined;
    await submitForm(
      res,
      { view: 'rules/form', context: () => this.newContext(actor, kind, townshipParam), values: body },
      async () => {
        const owner =
          kind === 'village'
            ? { villageId: String(actor.villageId) }
            : { townshipId: String(this.townshipIdOf(actor, townshipParam)) };
        const dto = await parseRuleForm(CreateRuleDto, { ...ruleFields(body), code: body.code, ...owner });
        const rule = await this.rules.create(actor, dto);
        return {
          redirect: kind === 'village' ? '/rules' : `/rules/templates?townshipId=${rule.townshipId}`,
          message: `已新增 ${rule.code} ${rule.title}（${pointsLabel(rule)}）`,
        };
      },
    );
  }

  private formChoices() {
    return { categoryOptions: CATEGORY_OPTIONS, periodOptions: PERIOD_OPTIONS };
  }

  private editContext(rule: ScoringRule) {
    return {
      ...this.formChoices(),
      title: `修改细则 ${rule.code}`,
      editing: ruleLine(ruleView(rule)),
      nextVersion: rule.version + 1,
      action: `/rules/${rule.id}`,
      townshipId: rule.villageId ? undefined : rule.townshipId,
    };
  }

  private valuesOf(rule: ScoringRule) {
    const fixed = rule.minPoints === rule.maxPoints;
    return {
      category: rule.category,
      title: rule.title,
      points: fixed ? rule.minPoints : '',
      minPoints: fixed ? '' : rule.minPoints,
      maxPoints: fixed ? '' : rule.maxPoints,
      capCount: rule.capCount ?? '',
      capPeriod: rule.capPeriod ?? '',
      evidenceRequired: rule.evidenceRequired,
      blackList: rule.blackList,
      needsCouncil: rule.needsCouncil,
    };
  }

  /** A rule this actor keeps: a village's by its committee, a template by the township (or the admin). */
  private async editable(actor: Actor, id: number): Promise<ScoringRule> {
    const rule = await this.rules.get(actor, id);
    const keeps = can(
      actor,
      rule.villageId ? Permission.ScoringRule.EditVillage : Permission.ScoringRule.EditTemplate,
    );
    if (!keeps)
      throw DomainError.forbidden(rule.villageId ? '村的积分细则由村两委维护' : '模板细则由乡镇维护');
    return rule;
  }

  private listPath(rule: ScoringRule): string {
    return rule.villageId ? '/rules' : `/rules/templates?townshipId=${rule.townshipId}`;
  }

  /** A township reviewer keeps its own township's templates; the admin names the township. */
  private townshipIdOf(actor: Actor, townshipParam: string | undefined): number {
    if (scopeLevel(actor) === 'township') return actor.townshipId as number;
    return idFrom(townshipParam, '乡镇');
  }

  private async copyContext(actor: Actor, tickedIds: string[]) {
    const village = await this.villages.get(actor, actor.villageId as number);
    const present = new Set((await this.rules.list({ villageId: village.id })).map((r) => r.code));
    const templates = (await this.rules.grouped({ townshipId: village.townshipId }))
      .map((g) => ({
        category: g.category,
        rules: g.rules
          .filter((r) => r.active)
          .map((r) => ({
            ...ruleLine(r),
            present: present.has(r.code),
            checked: tickedIds.includes(String(r.id)),
          })),
      }))
      .filter((g) => g.rules.length > 0);
    return {
      title: '从乡镇模板复制',
      village,
      groups: templates,
      copyable: templates.some((g) => g.rules.some((r) => !r.present)),
    };
  }
}

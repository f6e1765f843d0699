import { Body, Controller, Get, Param, ParseIntPipe, Post, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { InScope } from '../access/scope.guard.js';
import { can, Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { FormBody, FormPage, type FormRequest } from '../common/form-page.js';
import { parseForm } from '../common/validation.js';
import { AdoptRuleRevisionDto, DecideRuleRevisionDto, RuleChangeDto } from './dto/rule-revision.dto.js';
import { pointsLabel } from './rule-points.js';
import { revisionPage } from './rule-revisions.presenter.js';
import { RuleRevisionsService } from './rule-revisions.service.js';
import { RulesService } from './rules.service.js';
import { RULE_CATEGORIES } from './scoring-rule.entity.js';

const OP_OPTIONS = [
  { value: 'ADD', label: '新增一条细则' },
  { value: 'CHANGE', label: '修改一条细则的分值或内容' },
  { value: 'RETIRE', label: '停用一条细则' },
];
const CATEGORY_OPTIONS = RULE_CATEGORIES.map((c) => ({ value: c, label: c }));

/** The change form's fields as one change of the API (fields that do not belong to the chosen kind are left out). */
async function changeOf(body: Record<string, unknown>): Promise<RuleChangeDto> {
  const points = { points: body.points, minPoints: body.minPoints, maxPoints: body.maxPoints };
  const op = body.op;
  const fields =
    op === 'ADD'
      ? { op, rule: { code: body.code, category: body.category, title: body.title, ...points } }
      : op === 'CHANGE'
        ? { op, ruleId: body.ruleId, rule: { title: body.title, ...points } }
        : { op, ruleId: body.ruleId };
  try {
    return await parseForm(RuleChangeDto, fields);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'VALIDATION_FAILED' && !op)
      throw DomainError.validation({ op: '请选择要做的修改' });
    throw error;
  }
}

/** The service names a field of the one change `changes.0.rule.points`; the form calls it `points`. */
async function onForm<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'VALIDATION_FAILED') throw error;
    const fields = Object.entries(error.details).map(([key, message]) => {
      const name = key.replace(/^changes\.\d+\.(rule\.)?/, '');
      return [name === 'rule' ? 'op' : name, String(message)];
    });
    throw DomainError.validation(Object.fromEntries(fields), error.message);
  }
}

const showContext = (c: RuleRevisionsController, req: FormRequest) =>
  c.showPage(req.actor, Number(req.params.id));

/**
 * 细则修订 pages: the committee drafts a change to the list, records the 村民代表会议's vote and submits it; the
 * township files or returns what its villages submitted (the list at /rule-revisions, linked from its start page).
 */
@ApiExcludeController()
@Controller('rule-revisions')
export class RuleRevisionsController {
  constructor(
    private readonly revisions: RuleRevisionsService,
    private readonly rules: RulesService,
  ) {}

  @Get()
  @Allow(Permission.RuleRevision.Draft, Permission.RuleRevision.File)
  @Render('rule-revisions/list')
  list(@CurrentActor() actor: Actor) {
    return this.listPage(actor);
  }

  @Get('new')
  @Allow(Permission.RuleRevision.Draft)
  @Render('rule-revisions/new')
  async newForm(@CurrentActor() actor: Actor) {
    return { ...(await this.newPage(actor)), values: {} };
  }

  @Post()
  @Allow(Permission.RuleRevision.Draft)
  @FormPage('rule-revisions/new', { context: (c: RuleRevisionsController, req) => c.newPage(req.actor) })
  async create(@CurrentActor() actor: Actor, @Body() body: Record<string, unknown> = {}) {
    const change = await changeOf(body);
    const revision = await onForm(() => this.revisions.create(actor, actor.villageId as number, [change]));
    return {
      redirect: `/rule-revisions/${revision.id}`,
      message: '已起草修订。可以继续添加修改；村民代表会议表决后登记结果，再报乡镇备案',
    };
  }

  @Get(':id')
  @Allow(Permission.RuleRevision.Draft, Permission.RuleRevision.File)
  @InScope('revision', 'params.id')
  @Render('rule-revisions/show')
  async show(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return { ...(await this.showPage(actor, id)), values: {} };
  }

  @Post(':id/changes')
  @Allow(Permission.RuleRevision.Draft)
  @InScope('revision', 'params.id')
  @FormPage('rule-revisions/show', { context: showContext })
  async addChange(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, unknown> = {},
  ) {
    const change = await changeOf(body);
    await onForm(() => this.revisions.addChange(actor, id, change));
    return { redirect: `/rule-revisions/${id}`, message: '已添加一条修改' };
  }

  @Post(':id/adopt')
  @Allow(Permission.RuleRevision.Draft)
  @InScope('revision', 'params.id')
  @FormPage('rule-revisions/show', { context: showContext })
  async adopt(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @FormBody(AdoptRuleRevisionDto) dto: AdoptRuleRevisionDto,
  ) {
    await this.revisions.adopt(actor, id, dto);
    return {
      redirect: `/rule-revisions/${id}`,
      message: '已登记村民代表会议的表决结果：通过。下一步报乡镇备案',
    };
  }

  @Post(':id/submit')
  @Allow(Permission.RuleRevision.Draft)
  @InScope('revision', 'params.id')
  @FormPage('rule-revisions/show', { context: showContext, buttonsOnly: true })
  async submit(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    await this.revisions.submit(actor, id);
    return { redirect: `/rule-revisions/${id}`, message: '已报乡镇备案。备案后修改才生效' };
  }

  @Post(':id/file')
  @Allow(Permission.RuleRevision.File)
  @InScope('revision', 'params.id')
  @FormPage('rule-revisions/show', { context: showContext })
  async file(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @FormBody(DecideRuleRevisionDto) dto: DecideRuleRevisionDto,
  ) {
    const revision = await this.revisions.decide(actor, id, 'file', dto.comment);
    return {
      redirect: '/rule-revisions',
      message: `已备案${revision.villageName}的细则修订（${revision.changes.length} 条修改），即日生效`,
    };
  }

  @Post(':id/return')
  @Allow(Permission.RuleRevision.File)
  @InScope('revision', 'params.id')
  @FormPage('rule-revisions/show', { context: showContext })
  async return(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @FormBody(DecideRuleRevisionDto) dto: DecideRuleRevisionDto,
  ) {
    const revision = await this.revisions.decide(actor, id, 'return', dto.comment);
    return { redirect: '/rule-revisions', message: `已退回${revision.villageName}的细则修订，细则不变` };
  }

  async listPage(actor: Actor) {
    if (can(actor, Permission.RuleRevision.File)) {
      const waiting = await this.revisions.waitingFiling(actor.townshipId as number);
      return { title: '细则修订备案', township: true, revisions: waiting.map(revisionPage) };
    }
    const revisions = await this.revisions.ofVillage(actor, actor.villageId as number);
    return { title: '细则修订', township: false, revisions: revisions.map(revisionPage) };
  }

  async newPage(actor: Actor) {
    return { title: '起草细则修订', ...(await this.changeChoices(actor)) };
  }

  async showPage(actor: Actor, id: number) {
    const revision = revisionPage(await this.revisions.get(actor, id));
    const drafting = can(actor, Permission.RuleRevision.Draft);
    const draft = drafting && revision.status === 'DRAFT';
    return {
      title: `细则修订 第 ${revision.id} 号`,
      revision,
      draft,
      canSubmit: drafting && revision.status === 'ADOPTED',
      canDecide: can(actor, Permission.RuleRevision.File) && revision.status === 'SUBMITTED',
      ...(draft ? await this.changeChoices(actor) : {}),
    };
  }

  private async changeChoices(actor: Actor) {
    const rules = (await this.rules.list({ villageId: actor.villageId as number })).filter((r) => r.active);
    return {
      opOptions: OP_OPTIONS,
      categoryOptions: CATEGORY_OPTIONS,
      ruleOptions: rules.map((r) => ({
        value: String(r.id),
        label: `${r.code} ${r.title}（${pointsLabel(r)}）`,
      })),
    };
  }
}

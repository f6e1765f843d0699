import { Body, Controller, Get, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { InScope, ScopeGuard } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { can, Permission } from '../access/permissions.js';
import { CurrentActor, Public } from '../auth/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { VillagesService } from '../villages/villages.service.js';
import {
  CopyTemplatesDto,
  CreateRuleDto,
  PublicRuleList,
  RuleListQuery,
  UpdateRuleDto,
} from './dto/rule.dto.js';
import { ruleView, RulesService } from './rules.service.js';

/** The largest id a column holds (PostgreSQL integer): a bigger one is refused before it reaches the database. */
const MAX_ID = 2_147_483_647;

@ApiTags('rules 积分细则')
@ApiBearerAuth()
@Controller('api/v1')
export class RulesApiController {
  constructor(
    private readonly rules: RulesService,
    private readonly scope: ScopeGuard,
    private readonly villages: VillagesService,
  ) {}

  @Post('rules')
  @Allow(Permission.ScoringRule.EditVillage, Permission.ScoringRule.EditTemplate)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateRuleDto) {
    return this.rules.create(actor, dto);
  }

  /**
   * A village's list (`villageId`) or a township's templates (`townshipId`). Staff (ScoringRule.Read) read the whole
   * list of a village or township in scope, retired rules included. Everyone else, with no login or as a household,
   * reads a village's rules in force: the rule list is public (issue 10).
   */
  @Get('rules')
  @Public()
  @ApiOperation({
    summary: '积分细则：村的在用细则（无需登录）；村干部和乡镇可看全部（含已停用）及乡镇模板',
    description:
      '不登录（或以村民身份）时必须给 villageId，只返回在用的细则（加分和扣分），并附 effectiveOn（清单施行日期）。' +
      '缺少或无效的 villageId：400 VALIDATION_FAILED；村不存在：404 NOT_FOUND。',
  })
  @ApiOkResponse({
    type: PublicRuleList,
    description: '不登录时的答复；登录的村干部得到 {items, total}（含已停用的细则）',
  })
  async list(@CurrentActor() actor: Actor | undefined, @Query() query: RuleListQuery) {
    if (!can(actor, Permission.ScoringRule.Read)) return this.listInForce(query);
    const [kind, id] = query.villageId
      ? (['village', query.villageId] as const)
      : (['township', query.townshipId] as const);
    if (!id) throw DomainError.validation({ villageId: '请指定村' });
    const target = await this.scope.resolve(kind, id);
    if (!target) throw DomainError.notFound(kind === 'village' ? '村' : '乡镇');
    // Every village of a township may read its template list, to copy from it.
    if (kind === 'village' || !can(actor, Permission.ScoringRule.CopyTemplates) || actor!.townshipId !== id)
      assertInScope(actor!, target);
    const items = await this.rules.list(query);
    return { items, total: items.length };
  }

  private async listInForce(query: RuleListQuery) {
    const villageId = query.villageId;
    if (!villageId || villageId < 1 || villageId > MAX_ID)
      throw DomainError.validation({ villageId: '请指定村（villageId 应为正整数）' });
    const village = await this.villages.kept(villageId);
    if (!village || !village.active) throw DomainError.notFound('村');
    const { items, effectiveOn } = await this.rules.inForce(villageId);
    return { items, total: items.length, effectiveOn };
  }

  @Get('rules/:id')
  @Allow(Permission.ScoringRule.Read)
  async get(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return ruleView(await this.rules.get(actor, id));
  }

  @Patch('rules/:id')
  @Allow(Permission.ScoringRule.EditVillage, Permission.ScoringRule.EditTemplate)
  update(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: UpdateRuleDto) {
    return this.rules.update(actor, id, dto);
  }

  @Post('villages/:id/rules/copy-templates')
  @Allow(Permission.ScoringRule.CopyTemplates)
  @InScope('village', 'params.id')
  async copy(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: CopyTemplatesDto,
  ) {
    const items = await this.rules.copyTemplates(actor, id, dto.ruleIds);
    return { items, total: items.length };
  }
}

import { Body, Controller, Get, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { InScope, ScopeGuard } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { can, Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { CopyTemplatesDto, CreateRuleDto, RuleListQuery, UpdateRuleDto } from './dto/rule.dto.js';
import { ruleView, RulesService } from './rules.service.js';

@ApiTags('rules 积分细则')
@ApiBearerAuth()
@Controller('api/v1')
export class RulesApiController {
  constructor(
    private readonly rules: RulesService,
    private readonly scope: ScopeGuard,
  ) {}

  @Post('rules')
  @Allow(Permission.ScoringRule.EditVillage, Permission.ScoringRule.EditTemplate)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateRuleDto) {
    return this.rules.create(actor, dto);
  }

  /** A village's list (`villageId`) or a township's templates (`townshipId`). */
  @Get('rules')
  @Allow(Permission.ScoringRule.Read)
  async list(@CurrentActor() actor: Actor, @Query() query: RuleListQuery) {
    const [kind, id] = query.villageId
      ? (['village', query.villageId] as const)
      : (['township', query.townshipId] as const);
    if (!id) throw DomainError.validation({ villageId: '请指定村' });
    const target = await this.scope.resolve(kind, id);
    if (!target) throw DomainError.notFound(kind === 'village' ? '村' : '乡镇');
    // Every village of a township may read its template list, to copy from it.
    if (kind === 'village' || !can(actor, Permission.ScoringRule.CopyTemplates) || actor.townshipId !== id)
      assertInScope(actor, target);
    const items = await this.rules.list(query);
    return { items, total: items.length };
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

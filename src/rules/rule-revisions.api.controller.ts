import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { InScope } from '../access/scope.guard.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import {
  AdoptRuleRevisionDto,
  CreateRuleRevisionDto,
  DecideRuleRevisionDto,
  RuleRevisionList,
  RuleRevisionStatus,
  RuleRevisionView,
} from './dto/rule-revision.dto.js';
import { RuleRevisionsService, type RevisionView } from './rule-revisions.service.js';

const answer = (r: RevisionView) => ({ id: r.id, status: r.status });

/** 细则修订: draft → adopted by the 村民代表会议 → submitted → filed (备案, takes effect) or returned by the township. */
@ApiTags('rule-revisions 细则修订')
@ApiBearerAuth()
@Controller('api/v1')
export class RuleRevisionsApiController {
  constructor(private readonly revisions: RuleRevisionsService) {}

  @Post('rule-revisions')
  @Allow(Permission.RuleRevision.Draft)
  @ApiOperation({
    summary: '起草细则修订（新增、修改、停用细则）；备案后才生效',
    description:
      'ADD 需要 rule（同 POST /rules）；CHANGE 需要 ruleId 和 rule（要改的字段）；RETIRE 需要 ruleId。',
  })
  @ApiCreatedResponse({ type: RuleRevisionStatus })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateRuleRevisionDto) {
    return answer(await this.revisions.create(actor, dto.villageId, dto.changes));
  }

  // Reading a revision is reading the village's rule list (ScoringRule.Read): its staff, the supervision committee
  // and council that work under the list, the township that files it, and the county.
  @Get('rule-revisions/:id')
  @Allow(Permission.ScoringRule.Read)
  @InScope('revision', 'params.id')
  @ApiOperation({ summary: '一次细则修订：状态、各项修改、村民代表会议的表决和乡镇的备案' })
  @ApiOkResponse({ type: RuleRevisionView })
  get(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.revisions.get(actor, id);
  }

  @Get('villages/:id/rule-revisions')
  @Allow(Permission.ScoringRule.Read)
  @InScope('village', 'params.id')
  @ApiOperation({ summary: '本村的细则修订，新的在前（含已备案、已退回的）' })
  @ApiOkResponse({ type: RuleRevisionList })
  async ofVillage(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const items = await this.revisions.ofVillage(actor, id);
    return { items, total: items.length };
  }

  @Post('rule-revisions/:id/adopt')
  @HttpCode(200)
  @Allow(Permission.RuleRevision.Draft)
  @InScope('revision', 'params.id')
  @ApiOperation({
    summary: '登记村民代表会议的表决结果',
    description:
      '赞成、反对、弃权之和不能超过到会人数（400）；赞成票未超过到会人数的一半：409 INVALID_STATE，修订仍为草稿。',
  })
  @ApiOkResponse({ type: RuleRevisionStatus })
  async adopt(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: AdoptRuleRevisionDto,
  ) {
    return answer(await this.revisions.adopt(actor, id, dto));
  }

  @Post('rule-revisions/:id/submit')
  @HttpCode(200)
  @Allow(Permission.RuleRevision.Draft)
  @InScope('revision', 'params.id')
  @ApiOperation({ summary: '报乡镇备案（须已经村民代表会议通过）' })
  @ApiOkResponse({ type: RuleRevisionStatus })
  async submit(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return answer(await this.revisions.submit(actor, id));
  }

  @Post('rule-revisions/:id/file')
  @HttpCode(200)
  @Allow(Permission.RuleRevision.File)
  @InScope('revision', 'params.id')
  @ApiOperation({ summary: '乡镇备案：修订的各项修改即时生效（已登记的记录保留原版本）' })
  @ApiOkResponse({ type: RuleRevisionStatus })
  async file(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: DecideRuleRevisionDto,
  ) {
    return answer(await this.revisions.decide(actor, id, 'file', dto.comment));
  }

  @Post('rule-revisions/:id/return')
  @HttpCode(200)
  @Allow(Permission.RuleRevision.File)
  @InScope('revision', 'params.id')
  @ApiOperation({ summary: '乡镇退回（须写明原因）：细则不变，这次修订结束，村两委可重新起草' })
  @ApiOkResponse({ type: RuleRevisionStatus })
  async return(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: DecideRuleRevisionDto,
  ) {
    return answer(await this.revisions.decide(actor, id, 'return', dto.comment));
  }
}

import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor } from '../auth/decorators.js';
import { AnswerOpinionDto, RaiseOpinionDto } from './dto/supervision.dto.js';
import { opinionView, SupervisionService } from './supervision.service.js';

@ApiTags('supervision 村务监督委员会')
@ApiBearerAuth()
@Controller('api/v1')
export class SupervisionApiController {
  constructor(private readonly supervision: SupervisionService) {}

  @Post('score-records/:id/supervision-opinions')
  @ApiOperation({ summary: '对公示中的记录提出监督意见；答复前这条记录不入账' })
  @Allow(Permission.Supervision.Raise)
  @InScope('record', 'params.id')
  async onRecord(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: RaiseOpinionDto,
  ) {
    return opinionView(await this.supervision.raiseOnRecord(actor, id, dto.text));
  }

  @Post('redemptions/:id/supervision-opinions')
  @ApiOperation({ summary: '对一张兑换单提出监督意见（不影响兑换）' })
  @Allow(Permission.Supervision.Raise)
  @InScope('redemption', 'params.id')
  async onRedemption(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: RaiseOpinionDto,
  ) {
    return opinionView(await this.supervision.raiseOnSupermarket(actor, 'REDEMPTION', id, dto.text));
  }

  @Post('stock-movements/:id/supervision-opinions')
  @ApiOperation({ summary: '对一笔库存变动（入库、盘点等）提出监督意见' })
  @Allow(Permission.Supervision.Raise)
  @InScope('movement', 'params.id')
  async onMovement(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: RaiseOpinionDto,
  ) {
    return opinionView(await this.supervision.raiseOnSupermarket(actor, 'STOCK_MOVEMENT', id, dto.text));
  }

  @Post('supervision-opinions/:id/answer')
  @HttpCode(200)
  @ApiOperation({ summary: '村两委答复监督意见；它扣住的记录随之照常公示或入账' })
  @Allow(Permission.Supervision.Answer)
  @InScope('opinion', 'params.id')
  async answer(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: AnswerOpinionDto,
  ) {
    return opinionView(await this.supervision.answer(actor, id, dto.text));
  }

  @Get('villages/:id/supervision-opinions')
  @ApiOperation({ summary: '本村的监督意见与答复，新的在前' })
  @ApiQuery({ name: 'status', required: false, enum: ['OPEN', 'ANSWERED'] })
  @Allow(Permission.Supervision.Raise, Permission.Supervision.Answer, Permission.Publication.Read)
  @InScope('village', 'params.id')
  async list(@Param('id', ParseIntPipe) id: number, @Query('status') status?: string) {
    const rows = await this.supervision.ofVillage(
      id,
      status === 'OPEN' || status === 'ANSWERED' ? status : undefined,
    );
    return { items: rows.map(opinionView) };
  }
}

import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor, Public } from '../auth/decorators.js';
import { MonthlyStatementsService } from './monthly-statements.service.js';

/** 超市月度账目公开 (issue 20 item 4): a village's supermarket books of an ended month, and their signature. */
@ApiTags('supermarket 积分超市')
@ApiBearerAuth()
@Controller('api/v1')
export class MonthlyStatementsApiController {
  constructor(private readonly statements: MonthlyStatementsService) {}

  /** Public once signed; before, the village's staff, its supervision committee and its township see it. */
  @Get('villages/:id/supermarket-statements')
  @Public()
  @ApiOperation({
    summary:
      '一个已结束月份的超市账目：入库（按来源、捐赠单位）、兑换笔数与积分、各商品月末库存；村务监督委员会签字后任何人可看',
  })
  @ApiQuery({ name: 'month', required: false, example: '2026-11', description: '已结束的月份；不填为上个月' })
  async statement(
    @CurrentActor() actor: Actor | undefined,
    @Param('id', ParseIntPipe) id: number,
    @Query('month') month?: string,
  ) {
    return this.statements.statement(actor, id, this.statements.endedMonth(month));
  }

  @Post('supermarket-statements/:id/sign')
  @HttpCode(200)
  @ApiOperation({ summary: '村务监督委员会签字确认：账目数字就此固定，并在公示栏公开；只能签一次' })
  @Allow(Permission.Supermarket.SignStatement)
  @InScope('statement', 'params.id')
  async sign(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.statements.sign(actor, id);
  }
}

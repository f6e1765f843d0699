import { Body, Controller, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor } from '../auth/decorators.js';
import {
  CouncilSettingsDto,
  CouncilSettingsView,
  CouncilVoteDto,
  VoteResultView,
} from './dto/council.dto.js';
import { CouncilService } from './council.service.js';

@ApiTags('council 道德评议会')
@ApiBearerAuth()
@Controller('api/v1')
export class CouncilApiController {
  constructor(private readonly council: CouncilService) {}

  /** One member's vote; 409 DUPLICATE on a second. The record is decided once the quorum has voted with a majority. */
  @Post('score-records/:id/votes')
  @Allow(Permission.Council.Vote)
  @InScope('record', 'params.id')
  @ApiCreatedResponse({ type: VoteResultView })
  vote(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: CouncilVoteDto) {
    return this.council.vote(actor, id, dto.vote, dto.comment);
  }

  @Put('villages/:id/council')
  @Allow(Permission.Council.Configure)
  @InScope('village', 'params.id')
  @ApiOperation({
    summary: '评议会设置：表决人数；公示时是否显示投票人姓名（showNames，不传则不变，默认不显示）',
  })
  @ApiOkResponse({ type: CouncilSettingsView })
  configure(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: CouncilSettingsDto,
  ) {
    return this.council.configure(actor, id, dto);
  }
}

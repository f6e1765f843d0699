import { Body, Controller, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor } from '../auth/decorators.js';
import { CouncilQuorumDto, CouncilVoteDto, VoteResultView } from './dto/council.dto.js';
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
  setQuorum(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: CouncilQuorumDto,
  ) {
    return this.council.setQuorum(actor, id, dto.quorum);
  }
}

import { Body, Controller, Get, Param, ParseIntPipe, Post, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor } from '../auth/decorators.js';
import { submitForm } from '../common/forms.js';
import { parseForm } from '../common/validation.js';
import { ballotView } from './council.presenter.js';
import { CouncilService } from './council.service.js';
import { CouncilVoteDto } from './dto/council.dto.js';

const VOTE_WORDS = { YES: '赞成', NO: '反对', ABSTAIN: '弃权' } as const;
const DECIDED = { APPROVED: '评议会表决通过，记录等待公示', REJECTED: '评议会未通过，记录已退回' } as const;

/** 道德评议会 pages: a member's ballots (also on the start page) and the vote they post. */
@ApiExcludeController()
@Controller()
export class CouncilController {
  constructor(private readonly council: CouncilService) {}

  @Get('council')
  @Allow(Permission.Council.Vote)
  @Render('scoring/council')
  async ballots(@CurrentActor() actor: Actor) {
    return this.context(actor);
  }

  /** The card's buttons name the vote; its comment field is named after the record (one page, many cards). */
  @Post('council/score-records/:id/vote')
  @Allow(Permission.Council.Vote)
  @InScope('record', 'params.id')
  async vote(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const comment = body[`comment${id}`] ?? body.comment;
    const form = {
      view: 'scoring/council',
      context: () => this.context(actor),
      values: { [`comment${id}`]: comment },
      fieldNames: { comment: `comment${id}`, vote: `comment${id}` },
    };
    await submitForm(res, form, async () => {
      const dto = await parseForm(CouncilVoteDto, { vote: body.vote, comment: comment || undefined });
      const result = await this.council.vote(actor, id, dto.vote, dto.comment);
      const decided = result.status === 'APPROVED' || result.status === 'REJECTED';
      return {
        redirect: '/',
        message: `已投票：${VOTE_WORDS[dto.vote]}（第 ${id} 号记录，已投 ${result.yes + result.no + result.abstain} 票）${decided ? `。${DECIDED[result.status as keyof typeof DECIDED]}` : ''}`,
      };
    });
  }

  private async context(actor: Actor) {
    return { title: '评议会表决', ballots: (await this.council.ballots(actor)).map(ballotView) };
  }
}

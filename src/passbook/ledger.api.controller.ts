import { Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { PassbookQuery, VerifyQuery } from './dto/passbook.dto.js';
import { PassbookService } from './passbook.service.js';

/** Still named LedgerApiController: the class name is part of the OpenAPI operationIds, which stay as they were. */
@ApiTags('passbook 积分存折')
@ApiBearerAuth()
@Controller('api/v1')
export class LedgerApiController {
  constructor(private readonly passbooks: PassbookService) {}

  /** Entries newest first, each with the available balance after it (API.md). */
  @Get('households/:id/passbook')
  @Allow(Permission.Passbook.Read, Permission.Passbook.ReadOwn)
  @InScope('household', 'params.id')
  passbook(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Query() query: PassbookQuery,
  ) {
    return this.passbooks.passbook(actor, id, query);
  }

  @Get('ledger/verify')
  @Allow(Permission.Ledger.Verify)
  verify(@CurrentActor() actor: Actor, @Query() query: VerifyQuery) {
    return this.passbooks.verify(actor, query.villageId);
  }
}

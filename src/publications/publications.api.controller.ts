import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { ObjectionDto, OpenPublicationDto, ResolveObjectionDto } from './dto/publication.dto.js';
import { PUBLICATION_DEFAULT_DAYS } from './publication-window.js';
import { publicationView, PublicationsService } from './publications.service.js';

@ApiTags('publications 公示与异议')
@ApiBearerAuth()
@Controller('api/v1')
export class PublicationsApiController {
  constructor(private readonly publications: PublicationsService) {}

  @Post('publications')
  @Allow(Permission.Publication.Open)
  @InScope('village', 'body.villageId')
  open(@CurrentActor() actor: Actor, @Body() dto: OpenPublicationDto) {
    return this.publications.open(actor, dto.villageId, dto.days ?? PUBLICATION_DEFAULT_DAYS);
  }

  @Get('publications/:id')
  @Allow(Permission.Publication.Read, Permission.Objection.File)
  @InScope('publication', 'params.id')
  async get(@Param('id', ParseIntPipe) id: number) {
    const { publication, recordIds } = await this.publications.get(id);
    return publicationView(publication, recordIds);
  }

  @Post('publications/:id/close')
  @HttpCode(200)
  @Allow(Permission.Publication.Close)
  @InScope('publication', 'params.id')
  close(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.publications.close(actor, id);
  }

  @Post('score-records/:id/objections')
  @Allow(Permission.Objection.File)
  @InScope('record', 'params.id')
  object(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ObjectionDto) {
    return this.publications.object(actor, id, dto.reason);
  }

  @Post('objections/:id/resolve')
  @HttpCode(200)
  @Allow(Permission.Objection.Resolve)
  @InScope('objection', 'params.id')
  resolve(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: ResolveObjectionDto,
  ) {
    return this.publications.resolve(actor, id, dto.decision, dto.points, dto.reason);
  }
}

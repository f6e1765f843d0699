import { Body, Controller, Get, Param, ParseIntPipe, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { OpeningCapDto } from './dto/opening-cap.dto.js';
import { CreateTownshipDto, UpdateTownshipDto } from './dto/township.dto.js';
import { TownshipsService } from './townships.service.js';

@ApiTags('organisation 组织')
@ApiBearerAuth()
@Controller('api/v1/townships')
export class TownshipsApiController {
  constructor(private readonly townships: TownshipsService) {}

  @Post()
  @Allow(Permission.Township.Manage)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateTownshipDto) {
    return this.townships.create(actor, dto);
  }

  @Get()
  @Allow(Permission.Township.Read)
  async list(@CurrentActor() actor: Actor) {
    const items = await this.townships.list(actor);
    return { items, total: items.length };
  }

  @Get(':id')
  @Allow(Permission.Township.Read)
  @InScope('township', 'params.id')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.townships.get(actor, id);
  }

  @Patch(':id')
  @Allow(Permission.Township.Manage)
  @InScope('township', 'params.id')
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: UpdateTownshipDto,
  ) {
    return this.townships.update(actor, id, dto);
  }

  /** 期初积分上限: the most points a household of the township's villages may carry over from paper. */
  @Put(':id/opening-cap')
  @Allow(Permission.Township.SetOpeningCap)
  @InScope('township', 'params.id')
  setOpeningCap(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: OpeningCapDto,
  ) {
    return this.townships.setOpeningCap(actor, id, dto.openingCap);
  }
}

import { Body, Controller, Get, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { PageQuery } from '../common/pagination.js';
import {
  CreateVillageDto,
  GroupDto,
  UpdateGroupDto,
  UpdateVillageDto,
  VillageListQuery,
} from './dto/village.dto.js';
import { VillagesService } from './villages.service.js';

@ApiTags('organisation 组织')
@ApiBearerAuth()
@Controller('api/v1')
export class VillagesApiController {
  constructor(private readonly villages: VillagesService) {}

  @Post('villages')
  @Roles('ADMIN')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateVillageDto) {
    return this.villages.create(actor, dto);
  }

  @Get('villages')
  @Roles('ADMIN', 'TOWNSHIP', 'VILLAGE_ADMIN', 'SCORER', 'CLERK')
  list(@CurrentActor() actor: Actor, @Query() page: PageQuery, @Query() filter: VillageListQuery) {
    return this.villages.list(actor, { ...filter, page: page.page, pageSize: page.pageSize });
  }

  @Get('villages/:id')
  @Roles('ADMIN', 'TOWNSHIP', 'VILLAGE_ADMIN', 'SCORER', 'CLERK')
  @InScope('village', 'params.id')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.villages.get(actor, id);
  }

  @Patch('villages/:id')
  @Roles('ADMIN', 'TOWNSHIP')
  @InScope('village', 'params.id')
  update(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: UpdateVillageDto) {
    return this.villages.update(actor, id, dto);
  }

  @Post('villages/:id/groups')
  @Roles('ADMIN', 'TOWNSHIP', 'VILLAGE_ADMIN')
  @InScope('village', 'params.id')
  addGroup(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: GroupDto) {
    return this.villages.addGroup(actor, id, dto);
  }

  @Patch('groups/:id')
  @Roles('ADMIN', 'TOWNSHIP', 'VILLAGE_ADMIN')
  @InScope('group', 'params.id')
  updateGroup(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: UpdateGroupDto,
  ) {
    return this.villages.updateGroup(actor, id, dto);
  }
}

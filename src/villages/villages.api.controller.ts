import { Body, Controller, Get, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
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
  @Allow(Permission.Village.Create)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateVillageDto) {
    return this.villages.create(actor, dto);
  }

  @Get('villages')
  @Allow(Permission.Village.Read)
  list(@CurrentActor() actor: Actor, @Query() page: PageQuery, @Query() filter: VillageListQuery) {
    return this.villages.list(actor, { ...filter, page: page.page, pageSize: page.pageSize });
  }

  @Get('villages/:id')
  @Allow(Permission.Village.Read)
  @InScope('village', 'params.id')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.villages.get(actor, id);
  }

  @Patch('villages/:id')
  @Allow(Permission.Village.Update)
  @InScope('village', 'params.id')
  update(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: UpdateVillageDto) {
    return this.villages.update(actor, id, dto);
  }

  @Post('villages/:id/groups')
  @Allow(Permission.Group.Manage)
  @InScope('village', 'params.id')
  addGroup(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: GroupDto) {
    return this.villages.addGroup(actor, id, dto);
  }

  @Patch('groups/:id')
  @Allow(Permission.Group.Manage)
  @InScope('group', 'params.id')
  updateGroup(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: UpdateGroupDto,
  ) {
    return this.villages.updateGroup(actor, id, dto);
  }
}

import { Body, Controller, Delete, Get, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { todayInChina } from '../common/dates.js';
import { PageQuery } from '../common/pagination.js';
import {
  CreateHouseholdDto,
  HouseholdListQuery,
  MemberDto,
  MoveOutDto,
  PinDto,
  UpdateHouseholdDto,
} from './dto/household.dto.js';
import { HouseholdMembersService } from './household-members.service.js';
import { HouseholdsService } from './households.service.js';

@ApiTags('households 农户')
@ApiBearerAuth()
@Controller('api/v1/households')
export class HouseholdsApiController {
  constructor(
    private readonly households: HouseholdsService,
    private readonly members: HouseholdMembersService,
  ) {}

  @Get(':id/members')
  @Allow(Permission.Household.Read, Permission.Household.ReadOwn)
  @InScope('household', 'params.id')
  async listMembers(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    await this.households.get(actor, id);
    const items = await this.members.list(id);
    return { items, total: items.length };
  }

  @Post(':id/members')
  @Allow(Permission.Household.Update)
  @InScope('household', 'params.id')
  addMember(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: MemberDto) {
    return this.members.add(actor, id, dto);
  }

  @Delete(':id/members/:memberId')
  @Allow(Permission.Household.Update)
  @InScope('household', 'params.id')
  async removeMember(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Param('memberId', ParseIntPipe) memberId: number,
  ) {
    await this.members.remove(actor, id, memberId);
    return { ok: true };
  }

  @Post()
  @Allow(Permission.Household.Create)
  @InScope('village', 'body.villageId')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateHouseholdDto) {
    return this.households.create(actor, dto);
  }

  @Get()
  @Allow(Permission.Household.Read)
  @InScope('village', 'query.villageId')
  list(@Query() page: PageQuery, @Query() filter: HouseholdListQuery) {
    return this.households.list({ ...filter, page: page.page, pageSize: page.pageSize });
  }

  @Get(':id')
  @Allow(Permission.Household.Read, Permission.Household.ReadOwn)
  @InScope('household', 'params.id')
  get(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.households.get(actor, id);
  }

  @Patch(':id')
  @Allow(Permission.Household.Update)
  @InScope('household', 'params.id')
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: UpdateHouseholdDto,
  ) {
    return this.households.update(actor, id, dto);
  }

  @Post(':id/move-out')
  @Allow(Permission.Household.MoveOut)
  @InScope('household', 'params.id')
  moveOut(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: MoveOutDto) {
    return this.households.moveOut(actor, id, dto.movedOutOn ?? todayInChina());
  }

  @Post(':id/pin')
  @Allow(Permission.Household.ResetPin)
  @InScope('household', 'params.id')
  async resetPin(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: PinDto) {
    return this.households.resetPin(actor, id, dto.pin);
  }
}

import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  ProxyDto,
  UpdateHouseholdDto,
} from './dto/household.dto.js';
import { HouseholdMembersService } from './household-members.service.js';
import { HouseholdProxiesService } from './household-proxies.service.js';
import { HouseholdsService } from './households.service.js';

@ApiTags('households 农户')
@ApiBearerAuth()
@Controller('api/v1/households')
export class HouseholdsApiController {
  constructor(
    private readonly households: HouseholdsService,
    private readonly members: HouseholdMembersService,
    private readonly proxies: HouseholdProxiesService,
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

  @Get(':id/proxies')
  @Allow(Permission.Household.ManageProxies)
  @InScope('household', 'params.id')
  @ApiOperation({ summary: '亲属代办：本户的代办人（在办的在前）' })
  async listProxies(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return { items: await this.proxies.list(actor, id) };
  }

  @Post(':id/proxies')
  @Allow(Permission.Household.ManageProxies)
  @InScope('household', 'params.id')
  @ApiOperation({ summary: '亲属代办：登记代办人（姓名、关系、自己的密码PIN）' })
  addProxy(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: ProxyDto) {
    return this.proxies.add(actor, id, dto);
  }

  @Post(':id/proxies/:proxyId/end')
  @HttpCode(200)
  @Allow(Permission.Household.ManageProxies)
  @InScope('household', 'params.id')
  @ApiOperation({ summary: '亲属代办：结束代办（其登录立即失效）' })
  endProxy(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Param('proxyId', ParseIntPipe) proxyId: number,
  ) {
    return this.proxies.end(actor, proxyId, id);
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

import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { can, Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { todayInChina } from '../common/dates.js';
import { submitForm } from '../common/forms.js';
import { pager, PageQuery } from '../common/pagination.js';
import { parseForm } from '../common/validation.js';
import { VillagesService } from '../villages/villages.service.js';
import {
  CreateHouseholdDto,
  HouseholdListQuery,
  MemberDto,
  PinDto,
  ProxyDto,
  RELATIONS,
  UpdateHouseholdDto,
} from './dto/household.dto.js';
import { HouseholdMembersService } from './household-members.service.js';
import { DoorPlateBadges } from './door-plate-badges.js';
import { HouseholdProxiesService } from './household-proxies.service.js';
import { HouseholdsService } from './households.service.js';
import { newPin } from './pin.js';

/** 农户名册: the committee keeps it; scorers and clerks look households up; the township reads it. */
@ApiExcludeController()
@Controller('households')
export class HouseholdsController {
  constructor(
    private readonly households: HouseholdsService,
    private readonly villages: VillagesService,
    private readonly members: HouseholdMembersService,
    private readonly proxies: HouseholdProxiesService,
    private readonly badges: DoorPlateBadges,
  ) {}

  @Get()
  @Allow(Permission.Household.Read)
  @Render('households/list')
  async list(
    @CurrentActor() actor: Actor,
    @Query() page: PageQuery,
    @Query('q') q?: string,
    @Query('villageId') villageParam?: string,
  ) {
    // The address is checked before anything is looked up: `?villageId=abc` is a 400 page, not a query with NaN.
    const filter = await parseForm(HouseholdListQuery, {
      villageId: villageParam ?? (actor.villageId === null ? undefined : String(actor.villageId)),
      q,
    });
    const villageId = filter.villageId;
    const village = await this.villages.get(actor, villageId);
    const { items, total } = await this.households.list({
      ...filter,
      page: page.page,
      pageSize: page.pageSize,
    });
    const groups = new Map(village.groups.map((g) => [g.id, g.name]));
    return {
      title: `${village.name} · 农户`,
      village,
      q: filter.q ?? '',
      households: items.map((h) => ({ ...h, groupName: (h.groupId && groups.get(h.groupId)) || '' })),
      pager: pager(page.page, page.pageSize, total, { villageId, ...(filter.q ? { q: filter.q } : {}) }),
      canCreate: can(actor, Permission.Household.Create),
      canPrintSlips: can(actor, Permission.Passbook.PrintSlips),
    };
  }

  @Get('new')
  @Allow(Permission.Household.Create)
  @Render('households/new')
  async newForm(@CurrentActor() actor: Actor) {
    return { ...(await this.newContext(actor)), values: { memberCount: '1' } };
  }

  @Post()
  @Allow(Permission.Household.Create)
  async create(@CurrentActor() actor: Actor, @Res() res: Response, @Body() body: Record<string, string>) {
    await submitForm(
      res,
      { view: 'households/new', context: () => this.newContext(actor), values: body },
      async () => {
        const pin = body.pin || newPin();
        const dto = await parseForm(CreateHouseholdDto, { ...body, villageId: String(actor.villageId), pin });
        const household = await this.households.create(actor, dto);
        return {
          redirect: `/households/${household.id}`,
          message: `已建档：户号 ${household.code}，村民登录密码(PIN) ${pin}。密码只显示这一次，请抄给户主。`,
        };
      },
    );
  }

  @Get(':id')
  @Allow(Permission.Household.Read)
  @InScope('household', 'params.id')
  @Render('households/show')
  async show(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const context = await this.showContext(actor, id);
    return { ...context, values: context.household };
  }

  @Post(':id')
  @Allow(Permission.Household.Update)
  @InScope('household', 'params.id')
  async update(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string>,
  ) {
    await submitForm(
      res,
      { view: 'households/show', context: () => this.showContext(actor, id), values: body },
      async () => {
        const dto = await parseForm(UpdateHouseholdDto, {
          groupId: body.groupId,
          headName: body.headName,
          memberCount: body.memberCount,
          phone: body.phone,
        });
        const household = await this.households.update(actor, id, dto);
        return { redirect: `/households/${id}`, message: `已保存 ${household.code} ${household.headName}家` };
      },
    );
  }

  @Post(':id/pin')
  @Allow(Permission.Household.ResetPin)
  @InScope('household', 'params.id')
  async resetPin(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string>,
  ) {
    const form = {
      view: 'households/show',
      context: () => this.showContext(actor, id),
      values: body,
      fieldNames: { pin: 'newPin' },
    };
    await submitForm(res, form, async () => {
      const pin = body.newPin || newPin();
      const household = await this.households.resetPin(actor, id, (await parseForm(PinDto, { pin })).pin);
      return {
        redirect: `/households/${id}`,
        message: `${household.code} 的新密码(PIN)是 ${pin}。只显示这一次，旧密码已失效。`,
      };
    });
  }

  /** 亲属代办: the committee names, at the household's request, someone who acts for it with a PIN of their own. */
  @Post(':id/proxies')
  @Allow(Permission.Household.ManageProxies)
  @InScope('household', 'params.id')
  async addProxy(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string>,
  ) {
    const form = {
      view: 'households/show',
      context: () => this.showContext(actor, id),
      values: body,
      fieldNames: { name: 'proxyName', relation: 'proxyRelation', pin: 'proxyPin' },
    };
    await submitForm(res, form, async () => {
      const dto = await parseForm(ProxyDto, {
        name: body.proxyName,
        relation: body.proxyRelation,
        pin: body.proxyPin,
      });
      const proxy = await this.proxies.add(actor, id, dto);
      return {
        redirect: `/households/${id}#proxies`,
        message: `${proxy.name} 可以用本户户号和自己的密码(PIN)登录，代本户查看积分、申报、提出异议`,
      };
    });
  }

  @Post(':id/proxies/:proxyId/end')
  @Allow(Permission.Household.ManageProxies)
  @InScope('household', 'params.id')
  async endProxy(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Param('proxyId', ParseIntPipe) proxyId: number,
  ) {
    const form = { view: 'households/show', context: () => this.showContext(actor, id), values: {} };
    await submitForm(res, form, async () => {
      const proxy = await this.proxies.end(actor, proxyId, id);
      return { redirect: `/households/${id}#proxies`, message: `${proxy.name} 已不再代办本户` };
    });
  }

  @Post(':id/move-out')
  @Allow(Permission.Household.MoveOut)
  @InScope('household', 'params.id')
  async moveOut(@CurrentActor() actor: Actor, @Res() res: Response, @Param('id', ParseIntPipe) id: number) {
    await submitForm(
      res,
      { view: 'households/show', context: () => this.showContext(actor, id), values: {} },
      async () => {
        const household = await this.households.moveOut(actor, id, todayInChina());
        return {
          redirect: `/households/${id}`,
          message: `${household.code} ${household.headName}家已迁出，历史记录保留`,
        };
      },
    );
  }

  @Post(':id/members')
  @Allow(Permission.Household.Update)
  @InScope('household', 'params.id')
  async addMember(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string>,
  ) {
    const form = {
      view: 'households/show',
      context: () => this.showContext(actor, id),
      values: body,
      fieldNames: { name: 'memberName' },
    };
    await submitForm(res, form, async () => {
      const dto = await parseForm(MemberDto, {
        name: body.memberName,
        relation: body.relation,
        partyMember: body.partyMember === 'true',
      });
      const member = await this.members.add(actor, id, dto);
      return { redirect: `/households/${id}`, message: `已添加家庭成员 ${member.name}` };
    });
  }

  @Post(':id/members/:memberId/remove')
  @Allow(Permission.Household.Update)
  @InScope('household', 'params.id')
  async removeMember(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Param('memberId', ParseIntPipe) memberId: number,
  ) {
    await submitForm(
      res,
      { view: 'households/show', context: () => this.showContext(actor, id), values: {} },
      async () => {
        await this.members.remove(actor, id, memberId);
        return { redirect: `/households/${id}`, message: '已移除家庭成员' };
      },
    );
  }

  private async newContext(actor: Actor) {
    const village = await this.villages.get(actor, actor.villageId ?? 0);
    return {
      title: '新建农户',
      village,
      groupOptions: village.groups.filter((g) => g.active).map((g) => ({ value: g.id, label: g.name })),
    };
  }

  private async showContext(actor: Actor, id: number) {
    const household = await this.households.get(actor, id);
    const village = await this.villages.get(actor, household.villageId);
    const group = village.groups.find((g) => g.id === household.groupId);
    return {
      title: `${household.headName}家 · ${household.code}`,
      household,
      village,
      groupName: group?.name ?? '',
      // What the door plate shows besides the code: its grid (网格), named stars.
      badges: (await this.badges.of([id])).get(id) ?? [],
      groupOptions: village.groups.filter((g) => g.active).map((g) => ({ value: g.id, label: g.name })),
      canEdit: can(actor, Permission.Household.Update) && household.status === 'ACTIVE',
      members: await this.members.list(id),
      relationOptions: RELATIONS.map((r) => ({ value: r, label: r })),
      isCommittee: can(actor, Permission.Household.Update),
      canManageProxies: can(actor, Permission.Household.ManageProxies) && household.status === 'ACTIVE',
      canManageConsents: can(actor, Permission.Consent.ManageOnBehalf),
      proxies: (await this.proxies.list(actor, id)).map((p) => ({
        ...p,
        since: todayInChina(p.createdAt),
        until: p.endedAt ? todayInChina(p.endedAt) : null,
      })),
    };
  }
}

import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { scopeLevel, type Actor } from '../access/actor.js';
import { ROLE_LABELS, VILLAGE_ROLES, type StaffRole } from '../access/role.js';
import { assignableRoles } from '../access/scope-policy.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { can, Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { submitForm } from '../common/forms.js';
import { pager, PageQuery } from '../common/pagination.js';
import { parseForm } from '../common/validation.js';
import { TownshipsService } from '../townships/townships.service.js';
import { VillagesService } from '../villages/villages.service.js';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto.js';
import { type PublicUser, UsersService } from './users.service.js';

@ApiExcludeController()
@Controller('admin/users')
@Allow(Permission.User.Manage)
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly villages: VillagesService,
    private readonly townships: TownshipsService,
  ) {}

  @Get()
  @Render('users/list')
  async list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    const { items, total } = await this.users.list(actor, { page: query.page, pageSize: query.pageSize });
    const { villageNames, townshipNames } = await this.placeNames(actor);
    const row = (u: PublicUser) => ({
      ...u,
      roleLabel: ROLE_LABELS[u.role],
      place:
        (u.villageId && villageNames.get(u.villageId)) ||
        (u.townshipId && townshipNames.get(u.townshipId)) ||
        '全县',
      // A village account that has not yet said where it lives: a to-do, the own-household rules cannot hold for it.
      householdUnstated: VILLAGE_ROLES.includes(u.role) && u.householdId === null && !u.noHouseholdInVillage,
    });
    return {
      title: '账号',
      users: items.map(row),
      awaiting: (await this.users.awaiting(actor)).map(row),
      canConfirm: can(actor, Permission.User.Confirm),
      pager: pager(query.page, query.pageSize, total),
    };
  }

  @Get('new')
  @Render('users/form')
  async newForm(@CurrentActor() actor: Actor) {
    return { ...(await this.formContext(actor)), values: { villageId: actor.villageId ?? '' } };
  }

  @Post()
  async create(@CurrentActor() actor: Actor, @Res() res: Response, @Body() body: Record<string, string>) {
    await submitForm(
      res,
      { view: 'users/form', context: () => this.formContext(actor), values: body },
      async () => {
        const user = await this.users.create(actor, await parseForm(CreateUserDto, body));
        return {
          redirect: '/admin/users',
          message: `已创建账号 ${user.username}（${ROLE_LABELS[user.role]}）`,
        };
      },
    );
  }

  @Get(':id/edit')
  @InScope('user', 'params.id')
  @Render('users/form')
  async editForm(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const user = await this.users.get(actor, id);
    return {
      ...(await this.formContext(actor, user)),
      values: { ...user, noHousehold: user.noHouseholdInVillage },
    };
  }

  @Post(':id')
  @InScope('user', 'params.id')
  async update(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string>,
  ) {
    const user = await this.users.get(actor, id);
    await submitForm(
      res,
      { view: 'users/form', context: () => this.formContext(actor, user), values: body },
      async () => {
        const statesHome = VILLAGE_ROLES.includes(user.role) && (body.householdCode || body.noHousehold);
        const dto = await parseForm(UpdateUserDto, {
          displayName: body.displayName,
          role: body.role,
          password: body.password,
          ...(statesHome && { householdCode: body.householdCode, noHousehold: body.noHousehold ?? 'false' }),
        });
        const updated = await this.users.update(actor, id, dto);
        return {
          redirect: '/admin/users',
          message: `已保存账号 ${updated.username}${dto.password ? '，新密码已生效' : ''}`,
        };
      },
    );
  }

  @Post(':id/active')
  @InScope('user', 'params.id')
  async setActive(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body('active') active: string,
  ) {
    const user = await this.users.get(actor, id);
    await submitForm(
      res,
      { view: 'users/form', context: () => this.formContext(actor, user), values: user as never },
      async () => {
        const updated = await this.users.update(actor, id, { active: active === 'true' });
        return {
          redirect: '/admin/users',
          message: `账号 ${updated.username} 已${updated.active ? '启用' : '停用'}`,
        };
      },
    );
  }

  @Post(':id/confirm')
  @Allow(Permission.User.Confirm)
  @InScope('user', 'params.id')
  async confirm(@CurrentActor() actor: Actor, @Res() res: Response, @Param('id', ParseIntPipe) id: number) {
    const user = await this.users.get(actor, id);
    await submitForm(
      res,
      { view: 'users/form', context: () => this.formContext(actor, user), values: user as never },
      async () => {
        const confirmed = await this.users.confirm(actor, id);
        return {
          redirect: '/admin/users',
          message: `已确认账号 ${confirmed.username}（${ROLE_LABELS[confirmed.role]}），现在可以登录`,
        };
      },
    );
  }

  private async formContext(actor: Actor, user?: PublicUser) {
    const roles = assignableRoles(actor).map((value) => ({ value, label: ROLE_LABELS[value as StaffRole] }));
    const villages = (await this.villages.list(actor, { page: 1, pageSize: 200 })).items.filter(
      (v) => v.active,
    );
    const townships = (await this.townships.list(actor)).filter((t) => t.active);
    const household = user?.householdId ? await this.users.household(user.householdId) : null;
    return {
      title: user ? `修改账号：${user.username}` : '新建账号',
      showHousehold: user
        ? VILLAGE_ROLES.includes(user.role)
        : roles.some((r) => VILLAGE_ROLES.includes(r.value as StaffRole)),
      editing: user && {
        ...user,
        villageRole: VILLAGE_ROLES.includes(user.role),
        household: household ? `${household.code} ${household.headName}家` : null,
        canConfirm: user.awaitingConfirmation && can(actor, Permission.User.Confirm),
      },
      roles,
      villageOptions: villages.map((v) => ({ value: v.id, label: v.name })),
      townships: scopeLevel(actor) === 'county' ? townships : [],
      townshipOptions: townships.map((t) => ({ value: t.id, label: t.name })),
    };
  }

  private async placeNames(actor: Actor) {
    const villages = (await this.villages.list(actor, { page: 1, pageSize: 200 })).items;
    const townships = await this.townships.list(actor);
    return {
      villageNames: new Map(villages.map((v) => [v.id, v.name])),
      townshipNames: new Map(townships.map((t) => [t.id, t.name])),
    };
  }
}

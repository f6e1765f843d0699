import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { can, Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { submitForm } from '../common/forms.js';
import { pager, PageQuery } from '../common/pagination.js';
import { parseForm } from '../common/validation.js';
import { TownshipsService } from '../townships/townships.service.js';
import { CreateVillageDto, GroupDto, UpdateGroupDto, UpdateVillageDto } from './dto/village.dto.js';
import { VillagesService } from './villages.service.js';

/** One group name a line, as a committee would write them down. */
export function groupLines(text: unknown): string[] {
  return typeof text === 'string'
    ? text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line.length > 0)
    : [];
}

@ApiExcludeController()
@Controller('admin')
export class VillagesController {
  constructor(
    private readonly villages: VillagesService,
    private readonly townships: TownshipsService,
  ) {}

  @Get('villages')
  @Allow(Permission.Group.Manage)
  @Render('villages/list')
  async list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    const { items, total } = await this.villages.list(actor, { page: query.page, pageSize: query.pageSize });
    const townships = new Map((await this.townships.list(actor)).map((t) => [t.id, t.name]));
    return {
      title: '村',
      villages: items.map((v) => ({ ...v, townshipName: townships.get(v.townshipId) ?? '' })),
      pager: pager(query.page, query.pageSize, total),
      canCreate: can(actor, Permission.Village.Create),
    };
  }

  @Get('villages/new')
  @Allow(Permission.Village.Create)
  @Render('villages/new')
  async newForm(@CurrentActor() actor: Actor) {
    return { ...(await this.newContext(actor)), values: {} };
  }

  @Post('villages')
  @Allow(Permission.Village.Create)
  async create(@CurrentActor() actor: Actor, @Res() res: Response, @Body() body: Record<string, string>) {
    await submitForm(
      res,
      { view: 'villages/new', context: () => this.newContext(actor), values: body },
      async () => {
        const dto = await parseForm(CreateVillageDto, { ...body, groups: groupLines(body.groups) });
        const village = await this.villages.create(actor, dto);
        return {
          redirect: `/admin/villages/${village.id}`,
          message: `已新建“${village.name}”，共 ${village.groups.length} 个村民小组`,
        };
      },
    );
  }

  @Get('villages/:id')
  @Allow(Permission.Group.Manage)
  @InScope('village', 'params.id')
  @Render('villages/show')
  async show(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.showContext(actor, id);
  }

  @Post('villages/:id')
  @Allow(Permission.Village.Update)
  @InScope('village', 'params.id')
  async update(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string>,
  ) {
    await submitForm(
      res,
      { view: 'villages/show', context: () => this.showContext(actor, id), values: body },
      async () => {
        const village = await this.villages.update(
          actor,
          id,
          await parseForm(UpdateVillageDto, { name: body.name }),
        );
        return { redirect: `/admin/villages/${id}`, message: `已保存“${village.name}”` };
      },
    );
  }

  @Post('villages/:id/active')
  @Allow(Permission.Village.Update)
  @InScope('village', 'params.id')
  async setActive(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body('active') active: string,
  ) {
    await submitForm(
      res,
      { view: 'villages/show', context: () => this.showContext(actor, id), values: {} },
      async () => {
        const village = await this.villages.update(actor, id, { active: active === 'true' });
        return {
          redirect: `/admin/villages/${id}`,
          message: `“${village.name}”已${village.active ? '启用' : '停用'}`,
        };
      },
    );
  }

  @Post('villages/:id/groups')
  @Allow(Permission.Group.Manage)
  @InScope('village', 'params.id')
  async addGroup(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string>,
  ) {
    const form = {
      view: 'villages/show',
      context: () => this.showContext(actor, id),
      values: body,
      fieldNames: { name: 'groupName' },
    };
    await submitForm(res, form, async () => {
      const group = await this.villages.addGroup(
        actor,
        id,
        await parseForm(GroupDto, { name: body.groupName }),
      );
      return { redirect: `/admin/villages/${id}`, message: `已添加“${group.name}”` };
    });
  }

  @Post('villages/:id/settings')
  @Allow(Permission.Village.SetDeclarations)
  @InScope('village', 'params.id')
  async settings(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body('declarationsEnabled') enabled: string,
  ) {
    await submitForm(
      res,
      { view: 'villages/show', context: () => this.showContext(actor, id), values: {} },
      async () => {
        const village = await this.villages.setDeclarations(actor, id, enabled === 'true');
        return {
          redirect: `/admin/villages/${id}`,
          message: village.declarationsEnabled ? '已开放村民申报' : '已关闭村民申报',
        };
      },
    );
  }

  /** Renames or (de)activates a group from its village's page (the form carries the village id to come back to). */
  @Post('groups/:id')
  @Allow(Permission.Group.Manage)
  @InScope('group', 'params.id')
  async updateGroup(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string>,
  ) {
    const villageId = Number(body.villageId);
    const form = {
      view: 'villages/show',
      context: () => this.showContext(actor, villageId),
      values: {},
      fieldNames: { name: `group${id}` },
    };
    await submitForm(res, form, async () => {
      const dto = await parseForm(UpdateGroupDto, {
        name: body.name,
        ...(body.active !== undefined && { active: body.active === 'true' }),
      });
      const group = await this.villages.updateGroup(actor, id, dto);
      return { redirect: `/admin/villages/${group.villageId}`, message: `已保存“${group.name}”` };
    });
  }

  private async newContext(actor: Actor) {
    const townships = (await this.townships.list(actor)).filter((t) => t.active);
    return { title: '新建村', townshipOptions: townships.map((t) => ({ value: t.id, label: t.name })) };
  }

  private async showContext(actor: Actor, id: number) {
    const village = await this.villages.get(actor, id);
    return {
      title: village.name,
      village,
      canEdit: can(actor, Permission.Village.Update),
      isCommittee: can(actor, Permission.Village.SetDeclarations),
    };
  }
}

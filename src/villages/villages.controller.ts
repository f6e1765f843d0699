import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { FormBody, FormPage, type FormRequest } from '../common/form-page.js';
import { PageQuery } from '../common/pagination.js';
import { CreateVillageDto, GroupDto, UpdateGroupDto, UpdateVillageDto } from './dto/village.dto.js';
import { groupLines, VillagesPresenter } from './villages.presenter.js';
import { VillagesService } from './villages.service.js';

/** The village's page again, for a refusal of one of its forms. */
const showPage = (c: VillagesController, req: FormRequest) =>
  c.pages.showPage(req.actor, Number(req.params.id));

@ApiExcludeController()
@Controller('admin')
export class VillagesController {
  constructor(
    private readonly villages: VillagesService,
    readonly pages: VillagesPresenter,
  ) {}

  @Get('villages')
  @Allow(Permission.Group.Manage)
  @Render('villages/list')
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    return this.pages.listPage(actor, query);
  }

  @Get('villages/new')
  @Allow(Permission.Village.Create)
  @Render('villages/new')
  async newForm(@CurrentActor() actor: Actor) {
    return { ...(await this.pages.newPage(actor)), values: {} };
  }

  @Post('villages')
  @Allow(Permission.Village.Create)
  @FormPage('villages/new', { context: (c: VillagesController, req) => c.pages.newPage(req.actor) })
  async create(
    @CurrentActor() actor: Actor,
    @FormBody(CreateVillageDto, (body) => ({ ...body, groups: groupLines(body.groups) }))
    dto: CreateVillageDto,
  ) {
    const village = await this.villages.create(actor, dto);
    return {
      redirect: `/admin/villages/${village.id}`,
      message: `已新建“${village.name}”，共 ${village.groups.length} 个村民小组`,
    };
  }

  @Get('villages/:id')
  @Allow(Permission.Group.Manage)
  @InScope('village', 'params.id')
  @Render('villages/show')
  show(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.pages.showPage(actor, id);
  }

  @Post('villages/:id')
  @Allow(Permission.Village.Update)
  @InScope('village', 'params.id')
  @FormPage('villages/show', { context: showPage })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @FormBody(UpdateVillageDto, (body) => ({ name: body.name })) dto: UpdateVillageDto,
  ) {
    const village = await this.villages.update(actor, id, dto);
    return { redirect: `/admin/villages/${id}`, message: `已保存“${village.name}”` };
  }

  @Post('villages/:id/active')
  @Allow(Permission.Village.Update)
  @InScope('village', 'params.id')
  @FormPage('villages/show', { context: showPage, buttonsOnly: true })
  async setActive(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body('active') active: string,
  ) {
    const village = await this.villages.update(actor, id, { active: active === 'true' });
    return {
      redirect: `/admin/villages/${id}`,
      message: `“${village.name}”已${village.active ? '启用' : '停用'}`,
    };
  }

  @Post('villages/:id/groups')
  @Allow(Permission.Group.Manage)
  @InScope('village', 'params.id')
  @FormPage('villages/show', { context: showPage, fieldNames: () => ({ name: 'groupName' }) })
  async addGroup(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @FormBody(GroupDto, (body) => ({ name: body.groupName })) dto: GroupDto,
  ) {
    const group = await this.villages.addGroup(actor, id, dto);
    return { redirect: `/admin/villages/${id}`, message: `已添加“${group.name}”` };
  }

  @Post('villages/:id/settings')
  @Allow(Permission.Village.SetDeclarations)
  @InScope('village', 'params.id')
  @FormPage('villages/show', { context: showPage, buttonsOnly: true })
  async settings(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body('declarationsEnabled') enabled: string,
  ) {
    const village = await this.villages.setDeclarations(actor, id, enabled === 'true');
    return {
      redirect: `/admin/villages/${id}`,
      message: village.declarationsEnabled ? '已开放村民申报' : '已关闭村民申报',
    };
  }

  /** Renames or (de)activates a group from its village's page (the form carries the village id to come back to). */
  @Post('groups/:id')
  @Allow(Permission.Group.Manage)
  @InScope('group', 'params.id')
  @FormPage('villages/show', {
    context: (c: VillagesController, req) => c.pages.showPage(req.actor, Number(req.body.villageId)),
    fieldNames: (req) => ({ name: `group${req.params.id}` }),
    buttonsOnly: true,
  })
  async updateGroup(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @FormBody(UpdateGroupDto, (body) => ({
      name: body.name,
      ...(body.active !== undefined && { active: body.active === 'true' }),
    }))
    dto: UpdateGroupDto,
  ) {
    const group = await this.villages.updateGroup(actor, id, dto);
    return { redirect: `/admin/villages/${group.villageId}`, message: `已保存“${group.name}”` };
  }
}

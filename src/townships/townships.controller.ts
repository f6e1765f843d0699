import { Body, Controller, Get, Param, ParseIntPipe, Post, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { FormBody, FormPage } from '../common/form-page.js';
import { CreateTownshipDto, UpdateTownshipDto } from './dto/township.dto.js';
import { townshipPages } from './townships.presenter.js';
import { TownshipsService } from './townships.service.js';

/** Admin pages for townships: list, create, edit, deactivate (nothing is deleted). */
@ApiExcludeController()
@Controller('admin/townships')
@Allow(Permission.Township.Manage)
export class TownshipsController {
  constructor(private readonly townships: TownshipsService) {}

  @Get()
  @Render('townships/list')
  async list(@CurrentActor() actor: Actor) {
    return { title: '乡镇', townships: await this.townships.list(actor) };
  }

  @Get('new')
  @Render('townships/form')
  newForm() {
    return { ...townshipPages.newForm(), values: {} };
  }

  @Post()
  @FormPage('townships/form', { context: townshipPages.newForm })
  async create(@CurrentActor() actor: Actor, @FormBody(CreateTownshipDto) dto: CreateTownshipDto) {
    const township = await this.townships.create(actor, dto);
    return { redirect: '/admin/townships', message: townshipPages.created(township) };
  }

  @Get(':id/edit')
  @InScope('township', 'params.id')
  @Render('townships/form')
  async editForm(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return townshipPages.editForm(await this.townships.get(actor, id));
  }

  @Post(':id')
  @InScope('township', 'params.id')
  @FormPage('townships/form', {
    context: (c: TownshipsController, req) => c.editContext(req.actor, req.params.id),
  })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @FormBody(UpdateTownshipDto, (body) => ({ name: body.name })) dto: UpdateTownshipDto,
  ) {
    const updated = await this.townships.update(actor, id, dto);
    return { redirect: '/admin/townships', message: townshipPages.saved(updated) };
  }

  @Post(':id/active')
  @InScope('township', 'params.id')
  @FormPage('townships/form', {
    context: (c: TownshipsController, req) => c.editContext(req.actor, req.params.id),
    buttonsOnly: true,
  })
  async setActive(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body('active') active: string,
  ) {
    const updated = await this.townships.update(actor, id, { active: active === 'true' });
    return { redirect: '/admin/townships', message: townshipPages.activeSet(updated) };
  }

  private async editContext(actor: Actor, id: string) {
    return townshipPages.editForm(await this.townships.get(actor, Number(id)));
  }
}

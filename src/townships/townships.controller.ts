import { Body, Controller, Get, Param, ParseIntPipe, Post, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { submitForm } from '../common/forms.js';
import { parseForm } from '../common/validation.js';
import { CreateTownshipDto, UpdateTownshipDto } from './dto/township.dto.js';
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
    return { title: '新建乡镇', values: {}, creating: true };
  }

  @Post()
  async create(@CurrentActor() actor: Actor, @Res() res: Response, @Body() body: Record<string, string>) {
    await submitForm(
      res,
      { view: 'townships/form', context: () => ({ title: '新建乡镇', creating: true }), values: body },
      async () => {
        const township = await this.townships.create(actor, await parseForm(CreateTownshipDto, body));
        return { redirect: '/admin/townships', message: `已新建乡镇“${township.name}”` };
      },
    );
  }

  @Get(':id/edit')
  @InScope('township', 'params.id')
  @Render('townships/form')
  async editForm(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    const township = await this.townships.get(actor, id);
    return { title: `修改乡镇：${township.name}`, township, values: township };
  }

  @Post(':id')
  @InScope('township', 'params.id')
  async update(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string>,
  ) {
    const township = await this.townships.get(actor, id);
    await submitForm(
      res,
      {
        view: 'townships/form',
        context: () => ({ title: `修改乡镇：${township.name}`, township }),
        values: body,
      },
      async () => {
        const updated = await this.townships.update(
          actor,
          id,
          await parseForm(UpdateTownshipDto, { name: body.name }),
        );
        return { redirect: '/admin/townships', message: `已保存乡镇“${updated.name}”` };
      },
    );
  }

  @Post(':id/active')
  @InScope('township', 'params.id')
  async setActive(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body('active') active: string,
  ) {
    const township = await this.townships.get(actor, id);
    await submitForm(
      res,
      {
        view: 'townships/form',
        context: () => ({ title: `修改乡镇：${township.name}`, township }),
        values: township as never,
      },
      async () => {
        const updated = await this.townships.update(actor, id, { active: active === 'true' });
        return {
          redirect: '/admin/townships',
          message: `乡镇“${updated.name}”已${updated.active ? '启用' : '停用'}`,
        };
      },
    );
  }
}

import {
  Body,
  Controller,
  Get,
  Param,
  ParseIntPipe,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { can, Permission } from '../access/permissions.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor } from '../auth/decorators.js';
import { todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { submitForm } from '../common/forms.js';
import { markRepeated } from '../common/idempotency.js';
import { parseForm } from '../common/validation.js';
import { RulesService } from '../rules/rules.service.js';
import { EvidenceStore } from '../scoring/evidence.store.js';
import { VillagesService } from '../villages/villages.service.js';
import { PhotoUploadInterceptor } from '../scoring/photo-upload.interceptor.js';
import {
  CloseAffairDto,
  CreateGridDto,
  DispatchAffairDto,
  GridSettingsDto,
  ReportAffairDto,
  ScreenAffairDto,
} from './dto/grids.dto.js';
import { AFFAIR_STATUSES, type AffairStatus } from './grid-affair.entity.js';
import { affairCards, KIND_OPTIONS, STATUS_TABS } from './grid-affairs.presenter.js';
import { GridAffairsService } from './grid-affairs.service.js';
import { GridsService } from './grids.service.js';

type Photo = { buffer: Buffer; size: number } | undefined;

/**
 * 网格事务 pages: the village's matters for its staff (report, screen, dispatch, close), the grids and what they earn
 * for the committee, and the household's own (report with a photo, see each step, close what it was given).
 */
@ApiExcludeController()
@Controller()
export class GridAffairsController {
  constructor(
    private readonly affairs: GridAffairsService,
    private readonly grids: GridsService,
    private readonly evidence: EvidenceStore,
    private readonly rules: RulesService,
    private readonly villages: VillagesService,
  ) {}

  @Get('grid-affairs')
  @Allow(Permission.GridAffair.Read)
  async page(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Query('status') status?: string,
    @Query('villageId') villageId?: string,
  ) {
    const village = await this.chosenVillage(actor, villageId);
    res.render(
      'grids/affairs',
      village ? await this.context(actor, status, village) : await this.chooser(actor),
    );
  }

  /** 上报 by staff: multipart (the photo), so the CSRF token comes in the action URL. */
  @Post('grid-affairs')
  @Allow(Permission.GridAffair.Report)
  @UseInterceptors(PhotoUploadInterceptor)
  async report(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
    @UploadedFile() photo?: Photo,
  ) {
    await submitForm(res, { view: 'grids/affairs', context: () => this.context(actor), values: body }, () =>
      this.reportFrom(actor, req, res, body, photo, '/grid-affairs'),
    );
  }

  @Post('grid-affairs/:id/screen')
  @Allow(Permission.GridAffair.Screen)
  @InScope('gridAffair', 'params.id')
  async screen(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const reason = body[`reason${id}`];
    await submitForm(
      res,
      {
        view: 'grids/affairs',
        context: () => this.context(actor),
        values: { [`reason${id}`]: reason },
        fieldNames: { reason: `reason${id}`, valid: `reason${id}` },
      },
      async () => {
        const dto = await parseForm(ScreenAffairDto, { valid: body.valid, reason: reason || undefined });
        const { affair, repeated } = await this.affairs.screen(actor, id, dto);
        markRepeated(res, repeated);
        return {
          redirect: '/grid-affairs',
          message: `第 ${id} 号事务${affair.status === 'INVALID' ? '筛选为无效' : '筛选为有效'}${affair.reportRecordId ? `，已给上报户登记积分（第 ${affair.reportRecordId} 号记录）` : ''}`,
        };
      },
    );
  }

  @Post('grid-affairs/:id/dispatch')
  @Allow(Permission.GridAffair.Screen)
  @InScope('gridAffair', 'params.id')
  async dispatch(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const fields = { assigneeUserId: `assignee${id}`, householdCode: `code${id}`, dueOn: `due${id}` };
    await submitForm(
      res,
      {
        view: 'grids/affairs',
        context: () => this.context(actor),
        values: Object.fromEntries(Object.values(fields).map((f) => [f, body[f]])),
        fieldNames: { ...fields, householdId: `code${id}` },
      },
      async () => {
        const dto = await parseForm(DispatchAffairDto, {
          assigneeUserId: body[fields.assigneeUserId] || undefined,
          householdCode: body[fields.householdCode] || undefined,
          dueOn: body[fields.dueOn],
        });
        markRepeated(res, (await this.affairs.dispatch(actor, id, dto)).repeated);
        return { redirect: '/grid-affairs', message: `第 ${id} 号事务已派单，期限 ${dto.dueOn}` };
      },
    );
  }

  @Post('grid-affairs/:id/close')
  @Allow(Permission.GridAffair.Handle)
  @InScope('gridAffair', 'params.id')
  @UseInterceptors(PhotoUploadInterceptor)
  async close(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
    @UploadedFile() photo?: Photo,
  ) {
    const household = actor.kind === 'household';
    await submitForm(
      res,
      {
        view: household ? 'grids/villager-affairs' : 'grids/affairs',
        context: () => (household ? this.villagerContext(actor) : this.context(actor)),
        values: { [`note${id}`]: body[`note${id}`] },
        fieldNames: { note: `note${id}`, photo: `note${id}` },
      },
      async () => {
        markRepeated(res, await this.closeFrom(actor, id, req, body[`note${id}`], photo));
        return {
          redirect: household ? '/villager/affairs' : '/grid-affairs',
          message: `第 ${id} 号事务已办结`,
        };
      },
    );
  }

  @Get('grids')
  @Allow(Permission.Grid.Read)
  async gridsPage(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Query('villageId') villageId?: string,
  ) {
    const village = await this.chosenVillage(actor, villageId);
    res.render(
      'grids/grids',
      village ? await this.gridsContext(actor, [], village) : await this.chooser(actor),
    );
  }

  @Post('grids')
  @Allow(Permission.Grid.Manage)
  async createGrid(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string | string[]> = {},
  ) {
    const householdIds = ([] as string[]).concat(body.householdIds ?? []);
    await submitForm(
      res,
      { view: 'grids/grids', context: () => this.gridsContext(actor, householdIds), values: body },
      async () => {
        const dto = await parseForm(CreateGridDto, {
          villageId: actor.villageId,
          name: body.name,
          scorerUserId: body.scorerUserId || undefined,
          householdIds,
        });
        const grid = await this.grids.create(actor, dto);
        return { redirect: '/grids', message: `已划分网格“${grid.name}”，共 ${grid.householdIds.length} 户` };
      },
    );
  }

  @Post('grids/settings')
  @Allow(Permission.Grid.Manage)
  async settings(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    await submitForm(
      res,
      { view: 'grids/grids', context: () => this.gridsContext(actor), values: body },
      async () => {
        const dto = await parseForm(GridSettingsDto, {
          validReportRuleId: body.validReportRuleId || undefined,
          handledRuleId: body.handledRuleId || undefined,
        });
        await this.grids.setSettings(actor, this.villageOf(actor), dto);
        return { redirect: '/grids', message: '网格事务的记分设定已保存' };
      },
    );
  }

  @Get('villager/affairs')
  @Allow(Permission.GridAffair.ReadOwn)
  async villagerPage(@CurrentActor() actor: Actor, @Res() res: Response) {
    res.render('grids/villager-affairs', await this.villagerContext(actor));
  }

  @Post('villager/affairs')
  @Allow(Permission.GridAffair.ReadOwn)
  @UseInterceptors(PhotoUploadInterceptor)
  async villagerReport(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
    @UploadedFile() photo?: Photo,
  ) {
    await submitForm(
      res,
      { view: 'grids/villager-affairs', context: () => this.villagerContext(actor), values: body },
      () => this.reportFrom(actor, req, res, body, photo, '/villager/affairs'),
    );
  }

  private async reportFrom(
    actor: Actor,
    req: Request,
    res: Response,
    body: Record<string, string>,
    photo: Photo,
    back: string,
  ) {
    const { affair, created } = await this.evidence.keepWith(
      req,
      photo,
      async (photoPath) => {
        const dto = await parseForm(ReportAffairDto, {
          villageId: actor.villageId ?? undefined,
          kind: body.kind,
          text: body.text,
          place: body.place || undefined,
          idempotencyKey: body.idempotencyKey || undefined,
        });
        return this.affairs.report(actor, dto, photoPath);
      },
      (r) => r.created,
    );
    markRepeated(res, !created);
    return { redirect: back, message: `已上报（第 ${affair.id} 号），村两委筛选后会告诉您` };
  }

  private async closeFrom(actor: Actor, id: number, req: Request, note: string | undefined, photo: Photo) {
    const dto = await parseForm(CloseAffairDto, { note });
    const { repeated } = await this.evidence.keepWith(
      req,
      photo,
      (photoPath) => this.affairs.close(actor, id, dto, photoPath),
      (r) => !r.repeated,
    );
    return repeated;
  }

  private villageOf(actor: Actor): number {
    if (!actor.villageId) throw DomainError.forbidden('网格事务按村办理：请用本村的账号');
    return actor.villageId;
  }

  /** A village's staff see their village; the township and the county choose one of theirs (`?villageId=`). */
  private async chosenVillage(actor: Actor, villageId?: string): Promise<number | null> {
    if (actor.villageId) return actor.villageId;
    const id = Number(villageId);
    if (!Number.isSafeInteger(id) || id < 1) return null;
    await this.villages.inScope(actor, id);
    return id;
  }

  private async chooser(actor: Actor) {
    return {
      title: '网格事务',
      villages: await this.villages.names(actor.townshipId ?? undefined),
    };
  }

  private async context(actor: Actor, status?: string, chosen?: number) {
    const villageId = chosen ?? this.villageOf(actor);
    const filter = AFFAIR_STATUSES.includes(status as AffairStatus) ? (status as AffairStatus) : undefined;
    const affairs = await this.affairs.list(actor, { villageId, status: filter });
    const names = await this.affairs.names(affairs);
    const screens = can(actor, Permission.GridAffair.Screen);
    return {
      title: '网格事务',
      tabs: STATUS_TABS.map((t) => {
        const query = [t.status && `status=${t.status}`, chosen && !actor.villageId && `villageId=${chosen}`]
          .filter(Boolean)
          .join('&');
        return {
          ...t,
          href: `/grid-affairs${query ? `?${query}` : ''}`,
          current: t.status === (filter ?? ''),
        };
      }),
      canReport: can(actor, Permission.GridAffair.Report),
      kindOptions: KIND_OPTIONS,
      idempotencyKey: randomUUID(),
      workers: screens ? await this.grids.gridWorkers(villageId) : [],
      today: todayInChina(),
      cards: affairCards(affairs, names, actor),
    };
  }

  private async villagerContext(actor: Actor) {
    const affairs = await this.affairs.list(actor, {});
    const names = await this.affairs.names(affairs);
    return {
      title: '网格事务',
      kindOptions: KIND_OPTIONS,
      idempotencyKey: randomUUID(),
      cards: affairCards(affairs, names, actor),
    };
  }

  private async gridsContext(actor: Actor, checked: string[] = [], chosen?: number) {
    const villageId = chosen ?? this.villageOf(actor);
    const [grids, workers, settings, rules, households] = await Promise.all([
      this.grids.ofVillage(villageId),
      this.grids.gridWorkers(villageId),
      this.grids.settings(villageId),
      this.rules.list({ villageId }),
      this.grids.householdsToPlace(villageId),
    ]);
    const rewardRules = rules
      .filter((r) => r.active && r.maxPoints > 0)
      .map((r) => ({ value: String(r.id), label: `${r.code} ${r.title}` }));
    return {
      title: '网格',
      canManage: can(actor, Permission.Grid.Manage),
      grids: grids.map((g) => ({ ...g, households: g.householdIds.length })),
      workerOptions: workers.map((w) => ({ value: String(w.id), label: w.displayName })),
      ruleOptions: rewardRules,
      settingsValues: {
        validReportRuleId: settings.validReportRuleId ? String(settings.validReportRuleId) : '',
        handledRuleId: settings.handledRuleId ? String(settings.handledRuleId) : '',
      },
      households: households.map((h) => ({ ...h, checked: checked.includes(String(h.id)) })),
    };
  }
}

import {
  Body,
  Controller,
  Get,
  Header,
  Param,
  ParseIntPipe,
  Post,
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
import { CurrentActor, Public } from '../auth/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { sendError } from '../common/error-response.js';
import { submitForm } from '../common/forms.js';
import { markRepeated } from '../common/idempotency.js';
import { parseForm } from '../common/validation.js';
import { EvidenceStore } from '../scoring/evidence.store.js';
import { PhotoUploadInterceptor } from '../scoring/photo-upload.interceptor.js';
import { GridsService } from '../grids/grids.service.js';
import { RULE_CATEGORIES } from '../rules/scoring-rule.entity.js';
import { CreateEntryDto, CreateRoundDto } from './dto/inspections.dto.js';
import { InspectionsService } from './inspections.service.js';
import { INSPECTION_WORKER } from './offline-round.js';

/**
 * 入户检查 pages. The round's page keeps working with no signal: its script keeps each finding in the phone's
 * IndexedDB with an idempotency key and sends it to `POST /inspection-rounds/:id/entries` when the phone is online
 * (the service worker, `/inspection-rounds/sw.js`, keeps the page and its scripts for when it is not). Without
 * script the same form posts and comes back, as every form here.
 */
@ApiExcludeController()
@Controller()
export class InspectionsController {
  constructor(
    private readonly inspections: InspectionsService,
    private readonly grids: GridsService,
    private readonly evidence: EvidenceStore,
  ) {}

  @Get('inspection-rounds')
  @Allow(Permission.Inspection.Read)
  async list(@CurrentActor() actor: Actor, @Res() res: Response) {
    res.render('inspections/list', await this.listContext(actor));
  }

  @Post('inspection-rounds')
  @Allow(Permission.Inspection.Run)
  async open(@CurrentActor() actor: Actor, @Res() res: Response, @Body() body: Record<string, string> = {}) {
    await submitForm(
      res,
      { view: 'inspections/list', context: () => this.listContext(actor), values: body },
      async () => {
        const dto = await parseForm(CreateRoundDto, {
          villageId: this.villageOf(actor),
          gridId: body.gridId || undefined,
          title: body.title,
          category: body.category,
        });
        const { round } = await this.inspections.open(actor, dto);
        return { redirect: `/inspection-rounds/${round.id}`, message: `已开始入户检查“${round.title}”` };
      },
    );
  }

  /** The service worker of the round pages: served from here so that its scope is `/inspection-rounds/`. */
  @Get('inspection-rounds/sw.js')
  @Public()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  worker() {
    return INSPECTION_WORKER;
  }

  @Get('inspection-rounds/:id')
  @Allow(Permission.Inspection.Read)
  @InScope('inspectionRound', 'params.id')
  async show(@CurrentActor() actor: Actor, @Res() res: Response, @Param('id', ParseIntPipe) id: number) {
    res.render('inspections/round', await this.roundContext(actor, id));
  }

  /**
   * One finding. From the page's script (`Accept: application/json`): 201 with the entry, 200 and the replay header
   * when the phone sent it before, or the error as the API gives it. From a form without script: back to the round.
   */
  @Post('inspection-rounds/:id/entries')
  @Allow(Permission.Inspection.Run)
  @InScope('inspectionRound', 'params.id')
  @UseInterceptors(PhotoUploadInterceptor)
  async entry(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
    @UploadedFile() photo?: { buffer: Buffer; size: number },
  ) {
    // The photo (现场照片) is kept only with a new entry: a finding sent again leaves no second copy.
    const add = async () => {
      const dto = await parseForm(CreateEntryDto, {
        householdId: body.householdId,
        ruleId: body.ruleId,
        points: body.points || undefined,
        note: body.note || undefined,
        idempotencyKey: body.idempotencyKey,
      });
      return this.evidence.keepWith(
        req,
        photo,
        (photoPath) => this.inspections.addEntry(actor, id, dto, photoPath),
        (r) => r.created,
      );
    };
    if (req.accepts(['html', 'json']) === 'json') {
      try {
        const { entry, created } = await add();
        markRepeated(res, !created);
        res.status(created ? 201 : 200).json({ id: entry.id, householdId: entry.householdId, created });
      } catch (error) {
        sendError(error, req, res);
      }
      return;
    }
    await submitForm(
      res,
      { view: 'inspections/round', context: () => this.roundContext(actor, id), values: body },
      async () => {
        const { created } = await add();
        markRepeated(res, !created);
        return { redirect: `/inspection-rounds/${id}`, message: '已记录' };
      },
    );
  }

  @Post('inspection-rounds/:id/submit')
  @Allow(Permission.Inspection.Run)
  @InScope('inspectionRound', 'params.id')
  async submit(@CurrentActor() actor: Actor, @Res() res: Response, @Param('id', ParseIntPipe) id: number) {
    await submitForm(
      res,
      { view: 'inspections/round', context: () => this.roundContext(actor, id), values: {} },
      async () => {
        const { recordIds, repeated } = await this.inspections.submit(actor, id);
        markRepeated(res, repeated);
        return {
          redirect: `/inspection-rounds/${id}`,
          message: `已提交：登记积分 ${recordIds.length} 条，等待审核`,
        };
      },
    );
  }

  private villageOf(actor: Actor): number {
    if (!actor.villageId) throw DomainError.forbidden('入户检查按村进行：请用本村的账号');
    return actor.villageId;
  }

  private async listContext(actor: Actor) {
    const villageId = actor.villageId;
    if (!villageId) return { title: '入户检查', rounds: [], canRun: false, noVillage: true };
    const [rounds, grids] = await Promise.all([
      this.inspections.ofVillage(villageId),
      this.grids.ofVillage(villageId),
    ]);
    return {
      title: '入户检查',
      rounds: rounds.map((r) => ({ ...r, submitted: r.status === 'SUBMITTED' })),
      canRun: can(actor, Permission.Inspection.Run),
      gridOptions: grids.map((g) => ({ value: String(g.id), label: g.name })),
      categoryOptions: RULE_CATEGORIES.map((c) => ({ value: c, label: c })),
    };
  }

  private async roundContext(actor: Actor, id: number) {
    const { round, checklist, households, entries } = await this.inspections.get(actor, id);
    const found = new Map<number, number>();
    for (const e of entries) found.set(e.householdId, (found.get(e.householdId) ?? 0) + 1);
    const open = round.status === 'OPEN';
    return {
      title: round.title,
      // The page keeps working without signal (issue 21): its findings wait in IndexedDB until sent.
      pageScripts: open
        ? [
            '/assets/vendor/idb-keyval.js',
            '/assets/vendor/zxing-browser.js',
            '/assets/door-plate-scan.js',
            '/assets/inspection.js',
          ]
        : [],
      round,
      open,
      canRun: open && can(actor, Permission.Inspection.Run),
      checklist: checklist.map((c) => ({
        ...c,
        label: `${c.code} ${c.title}（${c.minPoints === c.maxPoints ? c.minPoints : `${c.minPoints}～${c.maxPoints}`}）`,
      })),
      // A fresh key per form shown: a form posted without script twice (a double click) is one entry.
      households: households.map((h) => ({ ...h, entries: found.get(h.id) ?? 0, key: randomUUID() })),
      entryCount: entries.length,
    };
  }
}

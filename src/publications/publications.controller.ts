import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { can, Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { submitForm } from '../common/forms.js';
import { parseForm } from '../common/validation.js';
import { Settings } from '../config/settings.js';
import { signedPoints } from '../rules/rule-points.js';
import { STATUS_LABELS, ScoringService } from '../scoring/scoring.service.js';
import { VillagesService } from '../villages/villages.service.js';
import { HouseholdsService } from '../households/households.service.js';
import { AnswerOpinionDto, RaiseOpinionDto } from '../supervision/dto/supervision.dto.js';
import { SupervisionService } from '../supervision/supervision.service.js';
import { OnBehalfObjectionDto, OpenPublicationDto, ResolveObjectionDto } from './dto/publication.dto.js';
import { PUBLICATION_DEFAULT_DAYS, windowDaysHint } from './publication-window.js';
import { PublicationsService, windowEnded } from './publications.service.js';

/** Every household of a village fits the on-behalf objection's list. */
const WHOLE_VILLAGE = 1000;

/** 公示 pages for the committee: open a publication, settle objections, close it to post the points. */
@ApiExcludeController()
@Controller()
export class PublicationsController {
  constructor(
    private readonly publications: PublicationsService,
    private readonly scoring: ScoringService,
    private readonly villages: VillagesService,
    private readonly households: HouseholdsService,
    private readonly settings: Settings,
    private readonly supervision: SupervisionService,
  ) {}

  @Get('publications')
  @Allow(Permission.Publication.Read)
  @Render('publications/list')
  async list(@CurrentActor() actor: Actor, @Query('villageId') villageParam?: string) {
    return this.listContext(actor, villageParam);
  }

  @Post('publications')
  @Allow(Permission.Publication.Open)
  async open(@CurrentActor() actor: Actor, @Res() res: Response, @Body() body: Record<string, string>) {
    await submitForm(
      res,
      { view: 'publications/list', context: () => this.listContext(actor), values: body },
      async () => {
        const dto = await parseForm(OpenPublicationDto, {
          villageId: String(actor.villageId),
          days: body.days,
        });
        const publication = await this.publications.open(
          actor,
          dto.villageId,
          dto.days ?? PUBLICATION_DEFAULT_DAYS,
        );
        return {
          redirect: `/publications/${publication.id}`,
          message: `已公示 ${publication.recordIds.length} 条记录，公示期 ${publication.startsOn} 至 ${publication.endsOn}`,
        };
      },
    );
  }

  @Get('publications/:id')
  @Allow(Permission.Publication.Read)
  @InScope('publication', 'params.id')
  @Render('publications/show')
  show(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.showContext(actor, id);
  }

  @Post('publications/:id/close')
  @Allow(Permission.Publication.Close)
  @InScope('publication', 'params.id')
  async close(@CurrentActor() actor: Actor, @Res() res: Response, @Param('id', ParseIntPipe) id: number) {
    await submitForm(
      res,
      { view: 'publications/show', context: () => this.showContext(actor, id), values: {} },
      async () => {
        const { postedRecordIds } = await this.publications.close(actor, id);
        return {
          redirect: `/publications/${id}`,
          message: `公示已结束，${postedRecordIds.length} 条记录已记入积分存折`,
        };
      },
    );
  }

  /** 代村民登记异议: a villager objected in person; the committee writes it down as the household's own. */
  @Post('publications/:id/objections')
  @Allow(Permission.Objection.FileOnBehalf)
  @InScope('publication', 'params.id')
  async objectOnBehalf(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const form = {
      view: 'publications/show',
      context: () => this.showContext(actor, id),
      values: body,
      fieldNames: { reason: 'objectionReason' },
    };
    await submitForm(res, form, async () => {
      const dto = await parseForm(OnBehalfObjectionDto, {
        recordId: body.recordId,
        householdId: body.householdId,
        toldBy: body.toldBy,
        reason: body.objectionReason,
      });
      const { recordIds } = await this.publications.get(id);
      if (!recordIds.includes(dto.recordId))
        throw DomainError.validation({ recordId: '请选择这次公示中的一条记录' });
      await this.publications.object(actor, dto.recordId, dto.reason, {
        householdId: dto.householdId,
        toldBy: dto.toldBy,
      });
      return {
        redirect: `/publications/${id}`,
        message: `已代 ${dto.toldBy} 登记异议，这条记录暂不入账，处理后异议人会收到结果`,
      };
    });
  }

  /** 驳回, 采纳并改分 or 采纳并撤销, from the publication's page. */
  @Post('objections/:id/resolve')
  @Allow(Permission.Objection.Resolve)
  @InScope('objection', 'params.id')
  async resolve(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string>,
  ) {
    const publicationId = await this.publications.publicationOfObjection(id);
    const form = {
      view: 'publications/show',
      context: () => this.showContext(actor, publicationId),
      values: body,
      fieldNames: { points: `points${id}`, reason: `reason${id}` },
    };
    await submitForm(res, form, async () => {
      if (!['DISMISS', 'CORRECT', 'REVOKE'].includes(body.decision))
        throw DomainError.validation({ decision: '请选择处理方式：驳回、采纳并改分或采纳并撤销' });
      const decision = body.decision === 'DISMISS' ? 'DISMISS' : 'UPHOLD';
      const dto = await parseForm(ResolveObjectionDto, {
        decision,
        points: body.decision === 'CORRECT' ? (body.points ?? '') : undefined,
        reason: body.reason,
      });
      if (body.decision === 'CORRECT' && dto.points === undefined)
        throw DomainError.validation({ points: '采纳并改分时请填写新的分值' });
      await this.publications.resolve(actor, id, dto.decision, dto.points, dto.reason);
      const said = {
        DISMISS: '已驳回异议，记录照常公示',
        CORRECT: '已采纳异议并更正分值',
        REVOKE: '已采纳异议，记录已撤销',
      };
      return {
        redirect: `/publications/${publicationId}`,
        message: said[body.decision as keyof typeof said],
      };
    });
  }

  /** 监督意见 from the publication's page: the supervision committee names a record on the board and says why. */
  @Post('publications/:id/supervision-opinions')
  @Allow(Permission.Supervision.Raise)
  @InScope('publication', 'params.id')
  async raiseOpinion(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const form = {
      view: 'publications/show',
      context: () => this.showContext(actor, id),
      values: body,
      fieldNames: { text: 'opinionText' },
    };
    await submitForm(res, form, async () => {
      const { recordIds } = await this.publications.get(id);
      const recordId = Number(body.recordId);
      if (!recordIds.includes(recordId))
        throw DomainError.validation({ recordId: '请选择这次公示中的一条记录' });
      const dto = await parseForm(RaiseOpinionDto, { text: body.opinionText });
      await this.supervision.raiseOnRecord(actor, recordId, dto.text);
      return {
        redirect: `/publications/${id}`,
        message: '监督意见已提出，村两委答复前这条记录不入账',
      };
    });
  }

  /** The committee answers a 监督意见 on a record, from the publication's page. */
  @Post('supervision-opinions/:id/answer')
  @Allow(Permission.Supervision.Answer)
  @InScope('opinion', 'params.id')
  async answerOpinion(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const [about] = [...(await this.supervision.describedById(id)).values()];
    const publicationId = Number(/^\/publications\/(\d+)$/.exec(about.href)?.[1] ?? NaN);
    const form = Number.isInteger(publicationId)
      ? {
          view: 'publications/show',
          context: () => this.showContext(actor, publicationId),
          values: body,
          fieldNames: { text: `answer${id}` },
        }
      : { view: 'errors/error', values: body };
    await submitForm(res, form, async () => {
      const dto = await parseForm(AnswerOpinionDto, { text: body.text });
      await this.supervision.answer(actor, id, dto.text);
      return { redirect: about.href, message: '已答复监督意见' };
    });
  }

  private async listContext(actor: Actor, villageParam?: string) {
    const villageId = Number(villageParam ?? actor.villageId);
    if (!Number.isInteger(villageId) || villageId <= 0) throw DomainError.notFound('村');
    const village = await this.villages.get(actor, villageId);
    const approved = await this.scoring.list({ villageId, status: 'APPROVED', page: 1, pageSize: 1 });
    return {
      title: `${village.name} · 公示`,
      village,
      publications: await this.publications.forVillage(villageId),
      approvedCount: approved.total,
      daysHint: windowDaysHint(this.settings.publicationMinDays),
      canOpen: can(actor, Permission.Publication.Open) && approved.total > 0,
    };
  }

  private async showContext(actor: Actor, id: number) {
    const { publication } = await this.publications.get(id);
    const village = await this.villages.get(actor, publication.villageId);
    const rows = await this.publications.boardRows([id]);
    const objections = await this.publications.objectionsOf(id);
    const opinions = await this.supervision.onRecords(rows.map((r) => r.recordId));
    const byRecord = new Map(rows.map((r) => [r.recordId, { ...r, pointsLabel: signedPoints(r.points) }]));
    const open = publication.status === 'OPEN';
    const ended = windowEnded(publication);
    return {
      title: `公示 ${publication.startsOn} 至 ${publication.endsOn}`,
      village,
      publication,
      ended,
      // What the page says of the window: the scheduler closes an ended window within half a minute.
      windowLine: !open
        ? '已结束入账'
        : ended
          ? '已期满，系统将在一分钟内自动入账'
          : `公示中，公示期到 ${publication.endsOn} 结束，结束后系统自动入账`,
      rows: rows.map((r) => ({
        ...r,
        pointsLabel: signedPoints(r.points),
        statusLabel: STATUS_LABELS[r.status as keyof typeof STATUS_LABELS],
      })),
      objections: objections.map((o) => ({
        ...o,
        record: byRecord.get(o.recordId),
        open: o.status === 'OPEN',
        statusLabel: { OPEN: '待处理', DISMISSED: '已驳回', UPHELD: '已采纳' }[o.status],
      })),
      canResolve: can(actor, Permission.Objection.Resolve),
      opinions: opinions.map((o) => ({
        ...o,
        record: byRecord.get(o.targetId),
        open: o.status === 'OPEN',
        statusLabel: o.status === 'OPEN' ? '待答复' : '已答复',
      })),
      canAnswer: can(actor, Permission.Supervision.Answer),
      // The supervision committee raises an opinion while the window runs, on a record no opinion waits on.
      raise:
        can(actor, Permission.Supervision.Raise) && open && !ended
          ? {
              records: rows
                .filter(
                  (r) =>
                    ['PUBLICIZING', 'OBJECTED'].includes(r.status) &&
                    !opinions.some((o) => o.targetId === r.recordId && o.status === 'OPEN'),
                )
                .map((r) => ({
                  value: String(r.recordId),
                  label: `${r.householdCode} ${r.headName}家 · ${r.ruleCode} ${r.ruleTitle} ${signedPoints(r.points)}`,
                })),
            }
          : null,
      // Closing is possible only once the window is over; until then the page says when it posts by itself.
      canClose: can(actor, Permission.Publication.Close) && open && ended,
      onBehalf:
        can(actor, Permission.Objection.FileOnBehalf) && open && !ended
          ? {
              records: rows
                .filter((r) => ['PUBLICIZING', 'OBJECTED'].includes(r.status))
                .map((r) => ({
                  value: String(r.recordId),
                  label: `${r.householdCode} ${r.headName}家 · ${r.ruleCode} ${r.ruleTitle} ${signedPoints(r.points)}`,
                })),
              households: (
                await this.households.list({ villageId: village.id, page: 1, pageSize: WHOLE_VILLAGE })
              ).items
                .filter((h) => h.status === 'ACTIVE')
                .map((h) => ({ value: String(h.id), label: `${h.code} ${h.headName}家` })),
            }
          : null,
    };
  }
}

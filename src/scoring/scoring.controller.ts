import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  Param,
  ParseIntPipe,
  Post,
  Query,
  Render,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { submitForm } from '../common/forms.js';
import { REPLAY_HEADER } from '../common/idempotency.js';
import { pager, PageQuery } from '../common/pagination.js';
import { parseForm } from '../common/validation.js';
import { HouseholdsService, type PublicHousehold } from '../households/households.service.js';
import { pointsLabel, ruleLine, signedPoints } from '../rules/rule-points.js';
import { ticked } from '../common/forms.js';
import { RulesService, type RuleView } from '../rules/rules.service.js';
import { UsersService } from '../users/users.service.js';
import { VillagesService, type VillageView } from '../villages/villages.service.js';
import {
  ApproveDto,
  BatchScoreRecordDto,
  CreateScoreRecordDto,
  RejectDto,
  ReviewManyDto,
} from './dto/score-record.dto.js';
import { EvidenceStore } from './evidence.store.js';
import { uploadRefusal } from '../common/upload.interceptor.js';
import { PhotoUploadInterceptor } from './photo-upload.interceptor.js';
import type { ScoreRecord } from './score-record.entity.js';
import { ScoringService } from './scoring.service.js';
import type { CouncilTally } from './council-decision.js';
import { CouncilService } from './council.service.js';
import { CouncilSettingsDto } from './dto/council.dto.js';

const SEARCH_LIMIT = 20;
/** Every household of a village fits one batch checklist (the batch itself takes at most 1000). */
const WHOLE_VILLAGE = 1000;

const householdLabel = (h: { code: string; headName: string }) => `${h.code} ${h.headName}家`;

/** A record the council decides, on the committee's review page: "等待评议会表决（3/5）". */
function councilWaiting(votes: CouncilTally | undefined, quorum: number): string {
  const cast = votes ? votes.yes + votes.no + votes.abstain : 0;
  return `等待评议会表决（${cast}/${quorum}）`;
}

/** The grouped select of the rules a record may be made under (retired rules take no new records). */
function activeRuleGroups(groups: { category: string; rules: RuleView[] }[]) {
  return groups
    .map((g) => ({ category: g.category, rules: g.rules.filter((r) => r.active).map(ruleLine) }))
    .filter((g) => g.rules.length > 0);
}

/**
 * 登记 and 审核 pages: a phone form for one household (with a photo), a checklist for a batch after an inspection,
 * the committee's review queue, and the evidence photos behind the records.
 */
@ApiExcludeController()
@Controller()
export class ScoringController {
  constructor(
    private readonly scoring: ScoringService,
    private readonly evidence: EvidenceStore,
    private readonly rules: RulesService,
    private readonly households: HouseholdsService,
    private readonly villages: VillagesService,
    private readonly users: UsersService,
    private readonly council: CouncilService,
  ) {}

  @Get('scoring/new')
  @Allow(Permission.ScoreRecord.Record)
  @Render('scoring/new')
  async newForm(
    @CurrentActor() actor: Actor,
    @Query('q') q?: unknown,
    @Query('householdId') householdId?: unknown,
  ) {
    const context = await this.newContext(actor, q, householdId);
    return { ...context, values: { occurredOn: todayInChina(), householdId: context.selectedId } };
  }

  @Post('scoring/new')
  @Allow(Permission.ScoreRecord.Record)
  @UseInterceptors(PhotoUploadInterceptor)
  async record(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
    @UploadedFile() photo?: { buffer: Buffer; size: number },
  ) {
    await submitForm(
      res,
      {
        view: 'scoring/new',
        context: () => this.newContext(actor, body.q, body.householdId),
        values: body,
      },
      async () => {
        const refusal = uploadRefusal(req);
        if (refusal) throw refusal;
        const dto = await parseForm(CreateScoreRecordDto, {
          householdId: body.householdId,
          ruleId: body.ruleId,
          occurredOn: body.occurredOn,
          points: body.points,
          note: body.note,
          idempotencyKey: body.idempotencyKey,
        });
        const evidencePath = await this.evidence.save(photo);
        // A refused or repeated record leaves no orphan photo behind.
        const { record, created } = await this.scoring
          .record(actor, { ...dto, evidencePath })
          .catch(async (error: unknown) => {
            await this.evidence.discard(evidencePath);
            throw error;
          });
        if (!created) {
          await this.evidence.discard(evidencePath);
          res.setHeader(REPLAY_HEADER, 'true');
        }
        const [household, rule] = await Promise.all([
          this.households.get(actor, record.householdId),
          this.rules.get(actor, record.ruleId),
        ]);
        return {
          redirect: '/scoring/new',
          message: `已登记：${householdLabel(household)} ${rule.code} ${rule.title} ${signedPoints(record.points)}，待审核${
            created ? '' : '（重复提交，只登记了一次）'
          }`,
        };
      },
    );
  }

  @Get('scoring/batch')
  @Allow(Permission.ScoreRecord.Record)
  @Render('scoring/batch')
  async batchForm(@CurrentActor() actor: Actor) {
    return { ...(await this.batchContext(actor, [])), values: { occurredOn: todayInChina() } };
  }

  @Post('scoring/batch')
  @Allow(Permission.ScoreRecord.Record)
  async batch(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, unknown> = {},
  ) {
    const ids = ticked(body.householdIds);
    await submitForm(
      res,
      { view: 'scoring/batch', context: () => this.batchContext(actor, ids), values: body },
      async () => {
        const dto = await parseForm(BatchScoreRecordDto, {
          ruleId: body.ruleId,
          householdIds: ids,
          occurredOn: body.occurredOn,
          note: body.note,
        });
        const records = await this.scoring.batch(actor, dto);
        const rule = await this.rules.get(actor, dto.ruleId);
        return {
          redirect: '/scoring/batch',
          message: `已为 ${records.length} 户登记：${rule.code} ${rule.title} ${pointsLabel(rule)}，待审核`,
        };
      },
    );
  }

  @Get('scoring/review')
  @Allow(Permission.ScoreRecord.Approve)
  @Render('scoring/review')
  async review(@CurrentActor() actor: Actor, @Query() page: PageQuery) {
    return { ...(await this.reviewContext(actor, [], page)), values: {} };
  }

  @Post('scoring/review')
  @Allow(Permission.ScoreRecord.Approve)
  async reviewMany(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, unknown> = {},
  ) {
    const ids = ticked(body.recordIds);
    await submitForm(
      res,
      { view: 'scoring/review', context: () => this.reviewContext(actor, ids), values: body },
      async () => {
        const dto = await parseForm(ReviewManyDto, {
          recordIds: ids,
          decision: body.decision,
          reason: body.reason,
          points: Object.fromEntries(ids.map((id) => [id, body[`points${id}`]])),
        });
        const records = await this.scoring.reviewMany(actor, dto);
        return {
          redirect: '/scoring/review',
          message:
            dto.decision === 'APPROVE'
              ? `已通过 ${records.length} 条记录，等待公示`
              : `已退回 ${records.length} 条记录：${dto.reason}`,
        };
      },
    );
  }

  @Post('scoring/review/:id/approve')
  @Allow(Permission.ScoreRecord.Approve)
  @InScope('record', 'params.id')
  async approve(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    // The card's points field is named after its record (the bulk form carries every card's points).
    const typed = body[`points${id}`] ?? body.points;
    const form = {
      view: 'scoring/review',
      context: () => this.reviewContext(actor, []),
      values: { [`points${id}`]: typed },
      fieldNames: { points: `points${id}` },
    };
    await submitForm(res, form, async () => {
      const dto = await parseForm(ApproveDto, { points: typed });
      const record = await this.scoring.approve(actor, id, dto.points);
      const [household, rule] = await Promise.all([
        this.households.get(actor, record.householdId),
        this.rules.get(actor, record.ruleId),
      ]);
      return {
        redirect: '/scoring/review',
        message: `已通过：${householdLabel(household)} ${rule.code} ${signedPoints(record.points)}，等待公示`,
      };
    });
  }

  /** 退回 from the record's own card, with the reason typed on it (the API's reject, through the same service). */
  @Post('scoring/review/:id/reject')
  @Allow(Permission.ScoreRecord.Approve)
  @InScope('record', 'params.id')
  async reject(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const typed = body[`reason${id}`] ?? body.reason;
    const form = {
      view: 'scoring/review',
      context: () => this.reviewContext(actor, []),
      values: { [`reason${id}`]: typed },
      fieldNames: { reason: `reason${id}` },
    };
    await submitForm(res, form, async () => {
      const dto = await parseForm(RejectDto, { reason: typed });
      const record = await this.scoring.reject(actor, id, dto.reason);
      const [household, rule] = await Promise.all([
        this.households.get(actor, record.householdId),
        this.rules.get(actor, record.ruleId),
      ]);
      return {
        redirect: '/scoring/review',
        message: `已退回：${householdLabel(household)} ${rule.code}，理由：${dto.reason}`,
      };
    });
  }

  /** 道德评议会: how many members must vote and whether 公示 names them, set by the committee on its review page. */
  @Post('scoring/council-quorum')
  @Allow(Permission.Council.Configure)
  async setQuorum(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    const form = { view: 'scoring/review', context: () => this.reviewContext(actor, []), values: body };
    await submitForm(res, form, async () => {
      // An unticked box is absent from the form: the names are then not shown.
      const dto = await parseForm(CouncilSettingsDto, {
        quorum: body.quorum,
        showNames: body.showNames === 'on',
      });
      const saved = await this.council.configure(actor, actor.villageId as number, dto);
      return {
        redirect: '/scoring/review',
        message: `评议会表决人数已设为 ${saved.quorum} 人，公示${saved.showNames ? '显示' : '不显示'}投票人姓名`,
      };
    });
  }

  /** The evidence photo of a record, to staff who may see the record; never cached by shared caches. */
  @Get('score-records/:id/evidence')
  @Allow(Permission.ScoreRecord.Read)
  @InScope('record', 'params.id')
  async evidencePhoto(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
  ) {
    const record = await this.scoring.get(actor, id);
    if (!record.evidencePath) throw DomainError.notFound('照片');
    const { bytes, contentType } = await this.evidence.read(record.evidencePath);
    res
      .set({
        'Content-Type': contentType,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'private',
      })
      .send(bytes);
  }

  /** The household search (a GET form, so that it works without scripts) and what the record form offers. */
  private async newContext(actor: Actor, q: unknown, householdParam: unknown) {
    const villageId = actor.villageId as number;
    const village = await this.villages.get(actor, villageId);
    const search = typeof q === 'string' ? q.trim().slice(0, 40) : '';
    const found = search
      ? await this.households.list({ villageId, q: search, page: 1, pageSize: SEARCH_LIMIT })
      : { items: [], total: 0 };
    const items = [...found.items];
    const wanted =
      typeof householdParam === 'string' && /^\d{1,9}$/.test(householdParam) ? Number(householdParam) : null;
    if (wanted && !items.some((h) => h.id === wanted)) {
      // The household chosen before a refusal stays on the page even if the search no longer finds it.
      const chosen = await this.households.get(actor, wanted).catch(() => null);
      if (chosen && chosen.villageId === villageId) items.unshift(chosen);
    }
    const choices = items.map((h) => this.householdChoice(actor, village, h));
    const selectable = choices.filter((h) => !h.disabled);
    const selectedId = wanted ?? (search && selectable.length === 1 ? selectable[0].id : undefined);
    return {
      title: '登记积分',
      village,
      q: search,
      searched: search !== '',
      households: choices.map((h) => ({ ...h, checked: h.id === selectedId })),
      more: found.total > found.items.length,
      selectedId,
      ruleGroups: activeRuleGroups(await this.rules.grouped({ villageId })),
      today: todayInChina(),
      // A fresh key for each form shown: a double tap sends the same one and records once.
      idempotencyKey: randomUUID(),
    };
  }

  private householdChoice(actor: Actor, village: VillageView, h: PublicHousehold) {
    const own = actor.householdId === h.id;
    const movedOut = h.status === 'MOVED_OUT';
    return {
      id: h.id,
      label: householdLabel(h),
      groupName: village.groups.find((g) => g.id === h.groupId)?.name ?? '',
      disabled: own || movedOut,
      why: own ? '本人家庭，请由其他人登记' : movedOut ? '已迁出' : '',
    };
  }

  /** Every active household of the village, by 村民小组, with the ticks of the form that came back. */
  private async batchContext(actor: Actor, tickedIds: string[]) {
    const villageId = actor.villageId as number;
    const village = await this.villages.get(actor, villageId);
    const { items } = await this.households.list({ villageId, page: 1, pageSize: WHOLE_VILLAGE });
    const active = items.filter((h) => h.status === 'ACTIVE');
    const row = (h: PublicHousehold) => ({
      ...this.householdChoice(actor, village, h),
      checked: tickedIds.includes(String(h.id)),
    });
    const groups = [
      ...village.groups.map((g) => ({ name: g.name, households: active.filter((h) => h.groupId === g.id) })),
      {
        name: '未分组',
        households: active.filter((h) => !village.groups.some((g) => g.id === h.groupId)),
      },
    ]
      .filter((g) => g.households.length > 0)
      .map((g) => ({ name: g.name, households: g.households.map(row) }));
    return {
      title: '批量登记',
      village,
      groups,
      ruleGroups: activeRuleGroups(await this.rules.grouped({ villageId })),
      today: todayInChina(),
    };
  }

  /** The PENDING queue with everything the committee checks, and the approved records waiting for 公示. */
  private async reviewContext(actor: Actor, tickedIds: string[], page = { page: 1, pageSize: 50 }) {
    const villageId = actor.villageId as number;
    const [pending, approved, rules, staff, council] = await Promise.all([
      this.scoring.list({ villageId, status: 'PENDING', page: page.page, pageSize: page.pageSize }),
      this.scoring.list({ villageId, status: 'APPROVED', page: 1, pageSize: 50 }),
      this.rules.list({ villageId }),
      this.users.list(actor, { villageId, page: 1, pageSize: 200 }),
      this.council.settingsOf(villageId),
    ]);
    const quorum = council.quorum;
    const councilRules = new Set(rules.filter((r) => r.needsCouncil).map((r) => r.id));
    const votes = await this.council.tallies(
      pending.items.filter((r) => councilRules.has(r.ruleId)).map((r) => r.id),
    );
    const householdIds = [...new Set([...pending.items, ...approved.items].map((r) => r.householdId))];
    const households = new Map(
      (await Promise.all(householdIds.map((id) => this.households.get(actor, id)))).map((h) => [h.id, h]),
    );
    const rulesById = new Map(rules.map((r) => [r.id, r]));
    const names = new Map(staff.items.map((u) => [u.id, u.displayName]));
    const line = (r: ScoreRecord) => {
      const rule = rulesById.get(r.ruleId);
      const household = households.get(r.householdId);
      return {
        id: r.id,
        household: household ? householdLabel(household) : `第 ${r.householdId} 号户`,
        ruleCode: rule?.code ?? '',
        ruleTitle: rule?.title ?? '',
        points: signedPoints(r.points),
        pointsValue: r.points,
        isRange: !!rule && rule.minPoints !== rule.maxPoints,
        range: rule ? pointsLabel(rule) : '',
        occurredOn: r.occurredOn,
        recorder: r.declaredBy ? '村民申报' : ((r.recordedBy && names.get(r.recordedBy)) ?? '—'),
        note: r.note,
        hasEvidence: r.evidencePath !== null,
        // 道德评议会: the council decides these; the committee sees how far the vote has got.
        council: councilRules.has(r.ruleId) ? councilWaiting(votes.get(r.id), quorum) : '',
        // The service refuses these (SAME_PERSON); the page says so instead of offering a button that fails.
        notYours:
          actor.kind === 'user' && r.recordedBy === actor.id
            ? '您登记的记录，须由其他村两委成员审核'
            : actor.householdId === r.householdId
              ? '自家的记录，须由其他村两委成员审核'
              : '',
        checked: tickedIds.includes(String(r.id)),
      };
    };
    return {
      title: '审核',
      pending: pending.items.map(line),
      pager: pager(page.page, page.pageSize, pending.total),
      approved: approved.items.map(line),
      approvedTotal: approved.total,
      quorum,
      councilShowNames: council.showNames,
      hasCouncilRules: councilRules.size > 0,
    };
  }
}

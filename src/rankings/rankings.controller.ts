import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { scopeLevel, type Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { can, Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { submitForm } from '../common/forms.js';
import { parseForm } from '../common/validation.js';
import { partialRenderer } from '../common/view-helpers.js';
import { HouseholdsService } from '../households/households.service.js';
import { sendSheet } from '../households/spreadsheet.js';
import { derivedOnce } from '../database/read-cache.js';
import type { Village } from '../villages/village.entity.js';
import { VillagesService } from '../villages/villages.service.js';
import {
  CloseListEntryDto,
  ConfirmListEntryDto,
  RankingSettingsDto,
  ReturnSnapshotDto,
} from './dto/rankings.dto.js';
import { ListsService } from './lists.service.js';
import { Clock } from '../common/clock.js';
import { currentPeriod, parsePeriod, periodChoices, type Period } from '../common/periods.js';
import {
  notSubmittableYet,
  periodOrRefuse,
  type Ranking,
  RankingsService,
  snapshotView,
} from './rankings.service.js';
import { changeLabel, rankLabel, unrankedNote } from './rankings.presenter.js';
import type { SnapshotStatus } from './ranking-snapshot.entity.js';
import { RankingSettingsService } from './ranking-settings.service.js';
import { StarsService } from './stars.service.js';

const STATUS_LABELS: Record<SnapshotStatus, string> = {
  SUBMITTED: '待乡镇审核',
  APPROVED: '已通过',
  RETURNED: '已退回',
};
const LIST_STATUS: Record<string, string> = {
  CONFIRMED: '待发布',
  PUBLISHED: '已发布',
  LIFTED: '已整改销号',
  WITHDRAWN: '乡镇已撤销',
};

/**
 * The table rows of a ranking (views/partials/ranking-rows.hbs), rendered once for each kept ranking: a village's 500
 * rows were most of the ranking page's work.
 */
const rankingRows = partialRenderer('ranking-rows');
const rowsHtml = derivedOnce((ranking: Ranking): string =>
  rankingRows({
    rows: ranking.rows.map((r) => ({ ...r, rankLabel: rankLabel(r.rank), changeLabel: changeLabel(r) })),
  }),
);

/** The id of a candidate's reason field on the lists page (one form per candidate). */
const reasonField = (list: unknown, householdId: unknown) => `reason-${String(list)}-${String(householdId)}`;
/** The id of an entry's note field: 整改说明 (lift) or 撤销理由 (withdraw). */
const noteField = (action: 'lift' | 'withdraw', id: number) => `${action}-note-${id}`;

/** 排名 pages: the live ranking with its snapshots, the township's review, red and black lists, and their settings. */
@ApiExcludeController()
@Controller()
export class RankingsController {
  constructor(
    private readonly rankings: RankingsService,
    private readonly lists: ListsService,
    private readonly stars: StarsService,
    private readonly rankingSettings: RankingSettingsService,
    private readonly households: HouseholdsService,
    private readonly villages: VillagesService,
    private readonly clock: Clock,
  ) {}

  @Get('rankings')
  @Allow(Permission.Ranking.Read)
  async ranking(@CurrentActor() actor: Actor, @Res() res: Response, @Query() query: Record<string, string>) {
    const village = await this.villageFor(actor, query.villageId);
    let period: Period;
    try {
      period = periodOrRefuse(query.period, 'period', this.clock.today());
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return res.status(400).render('rankings/ranking', {
        ...(await this.rankingContext(actor, village, this.thisMonth(), undefined)),
        values: query,
        errors: error.details,
        formError: error.message,
      });
    }
    const groupId = /^\d{1,9}$/.test(query.groupId ?? '') ? Number(query.groupId) : undefined;
    res.render('rankings/ranking', {
      ...(await this.rankingContext(actor, village, period, groupId)),
      values: query,
    });
  }

  @Post('rankings/snapshots')
  @Allow(Permission.Ranking.Submit)
  async submit(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    const village = await this.villageFor(actor, undefined);
    // A refusal (a period not over yet, one already submitted) shows the page of the period that was asked for.
    const asked = typeof body.period === 'string' ? parsePeriod(body.period.trim()) : null;
    await submitForm(
      res,
      {
        view: 'rankings/ranking',
        context: () => this.rankingContext(actor, village, asked ?? this.thisMonth(), undefined),
        values: body,
      },
      async () => {
        const period = periodOrRefuse(body.period, 'period', this.clock.today());
        await this.rankings.submit(actor, village.id, period);
        return {
          redirect: `/rankings?period=${period.key}`,
          message: `已将${period.label}的排名提交乡镇审核`,
        };
      },
    );
  }

  @Get(['rankings/export.csv', 'rankings/export.xlsx'])
  @Allow(Permission.Ranking.Read)
  async exportRanking(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Query() query: Record<string, string>,
  ) {
    const village = await this.villageFor(actor, query.villageId);
    const period = periodOrRefuse(query.period, 'period', this.clock.today());
    const groupId = /^\d{1,9}$/.test(query.groupId ?? '') ? Number(query.groupId) : undefined;
    const ranking = await this.rankings.ranking(village.id, period, groupId);
    const rows: (string | number)[][] = [
      ['名次', '户号', '户主', '村民小组', '积分', '较上期'],
      ...ranking.rows.map((r) => [
        r.rank ?? '不排名',
        r.code,
        r.headName,
        r.groupName ?? '',
        r.points,
        changeLabel(r),
      ]),
    ];
    await sendSheet(req, res, `ranking-${village.code}-${period.key}`, `${period.label}排名`, rows);
  }

  @Get('rankings/snapshots/:id')
  @Allow(Permission.Ranking.ReadSnapshots)
  @InScope('snapshot', 'params.id')
  async snapshot(@CurrentActor() actor: Actor, @Res() res: Response, @Param('id', ParseIntPipe) id: number) {
    res.render('rankings/snapshot', await this.snapshotContext(actor, id));
  }

  @Post(['rankings/snapshots/:id/approve', 'rankings/snapshots/:id/return'])
  @Allow(Permission.Ranking.Review)
  @InScope('snapshot', 'params.id')
  async review(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const approve = req.path.endsWith('/approve');
    await submitForm(
      res,
      { view: 'rankings/snapshot', context: () => this.snapshotContext(actor, id), values: body },
      async () => {
        const comment = approve
          ? undefined
          : (await parseForm(ReturnSnapshotDto, { comment: body.comment })).comment;
        const snapshot = await this.rankings.review(actor, id, approve ? 'APPROVED' : 'RETURNED', comment);
        return {
          redirect: '/township/reviews',
          message: approve
            ? `已通过 ${snapshot.period} 的排名，将在公示栏展示`
            : `已退回 ${snapshot.period} 的排名：${comment}`,
        };
      },
    );
  }

  @Get('township/reviews')
  @Allow(Permission.Ranking.Review)
  async reviews(@CurrentActor() actor: Actor, @Res() res: Response) {
    const queue = await this.rankings.reviewQueue(actor.townshipId as number);
    res.render('rankings/reviews', {
      title: '排名审核',
      queue: queue.map((s) => ({
        id: s.id,
        villageName: s.villageName,
        period: s.period,
        submittedAt: s.submittedAt,
      })),
    });
  }

  @Get('lists')
  @Allow(Permission.List.Read)
  async listsPage(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Query() query: Record<string, string>,
  ) {
    const village = await this.villageFor(actor, query.villageId);
    let period: Period;
    try {
      period = periodOrRefuse(query.period, 'period', this.clock.today());
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return res.status(400).render('rankings/lists', {
        ...(await this.listsContext(actor, village, this.thisMonth())),
        errors: error.details,
        formError: error.message,
      });
    }
    res.render('rankings/lists', await this.listsContext(actor, village, period));
  }

  @Post('lists/entries')
  @Allow(Permission.List.Confirm)
  async confirm(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    const village = await this.villageFor(actor, undefined);
    const period = periodOrRefuse(body.period, 'period', this.clock.today());
    await submitForm(
      res,
      {
        view: 'rankings/lists',
        context: () => this.listsContext(actor, village, period, body),
        values: body,
        fieldNames: { reason: reasonField(body.list, body.householdId) },
      },
      async () => {
        const dto = await parseForm(ConfirmListEntryDto, body);
        await this.lists.confirm(actor, village.id, { ...dto, period });
        return { redirect: `/lists?period=${period.key}`, message: '已确认上榜，发布后在公示栏展示' };
      },
    );
  }

  @Post('lists/publish')
  @Allow(Permission.List.Confirm)
  async publish(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    const village = await this.villageFor(actor, undefined);
    const period = periodOrRefuse(body.period, 'period', this.clock.today());
    await submitForm(
      res,
      { view: 'rankings/lists', context: () => this.listsContext(actor, village, period), values: body },
      async () => {
        const n = await this.lists.publish(actor, village.id, period);
        return { redirect: `/lists?period=${period.key}`, message: `已发布 ${n} 条红黑榜` };
      },
    );
  }

  @Post('lists/:id/lift')
  @Allow(Permission.List.Lift)
  @InScope('listEntry', 'params.id')
  async lift(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    await this.close(actor, res, id, body, 'lift');
  }

  @Post('lists/:id/withdraw')
  @Allow(Permission.List.Withdraw)
  @InScope('listEntry', 'params.id')
  async withdraw(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    await this.close(actor, res, id, body, 'withdraw');
  }

  /** 整改销号 (the committee) or 撤销 (the township): a note is required either way. */
  private async close(
    actor: Actor,
    res: Response,
    id: number,
    body: Record<string, string>,
    action: 'lift' | 'withdraw',
  ) {
    const lift = action === 'lift';
    const entry = await this.lists.entry(id);
    const village = await this.villageFor(actor, String(entry.villageId));
    const period = periodOrRefuse(entry.period);
    await submitForm(
      res,
      {
        view: 'rankings/lists',
        context: () => this.listsContext(actor, village, period, { ...body, action, entryId: String(id) }),
        values: body,
        fieldNames: { note: noteField(action, id) },
      },
      async () => {
        const dto = await parseForm(CloseListEntryDto, { note: body.note });
        if (lift) await this.lists.lift(actor, id, dto.note);
        else await this.lists.withdraw(actor, id, dto.note);
        const back = scopeLevel(actor) === 'township' ? `&villageId=${village.id}` : '';
        return {
          redirect: `/lists?period=${period.key}${back}`,
          message: lift ? '已整改销号' : '已撤销该条目',
        };
      },
    );
  }

  @Get(['lists/export.csv', 'lists/export.xlsx'])
  @Allow(Permission.List.Read)
  async exportLists(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Query() query: Record<string, string>,
  ) {
    const village = await this.villageFor(actor, query.villageId);
    const period = periodOrRefuse(query.period, 'period', this.clock.today());
    const entries = await this.lists.entries(village.id, period.key);
    const names = await this.households.labels(entries.map((e) => e.householdId));
    const rows: (string | number)[][] = [
      ['榜单', '农户', '理由', '状态', '说明'],
      ...entries.map((e) => [
        e.list === 'RED' ? '红榜' : '黑榜',
        names.get(e.householdId) ?? '',
        e.reason,
        LIST_STATUS[e.status],
        e.closingNote ?? '',
      ]),
    ];
    await sendSheet(req, res, `lists-${village.code}-${period.key}`, `${period.label}红黑榜`, rows);
  }

  @Get('rankings/settings')
  @Allow(Permission.Ranking.Configure)
  async settings(@CurrentActor() actor: Actor, @Res() res: Response) {
    const village = await this.villageFor(actor, undefined);
    const values = await this.rankingSettings.get(village.id, { fresh: true });
    res.render('rankings/settings', { title: '排名与星级设置', values });
  }

  @Post('rankings/settings')
  @Allow(Permission.Ranking.Configure)
  async saveSettings(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    const village = await this.villageFor(actor, undefined);
    await submitForm(
      res,
      { view: 'rankings/settings', context: () => ({ title: '排名与星级设置' }), values: body },
      async () => {
        const dto = await parseForm(RankingSettingsDto, body);
        await this.stars.updateSettings(actor, village.id, dto);
        return { redirect: '/rankings/settings', message: '已保存排名与星级设置' };
      },
    );
  }

  /** The running month by the app's clock: what a ranking page shows when no period is asked for. */
  private thisMonth(): Period {
    return currentPeriod('month', this.clock.today());
  }

  /** The village a page is about: the actor's own, or (township, admin) the one asked for and in scope. */
  private async villageFor(actor: Actor, villageParam: string | undefined): Promise<Village> {
    const id = actor.villageId ?? (/^\d{1,9}$/.test(villageParam ?? '') ? Number(villageParam) : null);
    if (!id) throw DomainError.validation({ villageId: '请先选择村' }, '请从乡镇总览选择一个村');
    const village = await this.villages.kept(id);
    if (!village) throw DomainError.notFound('村');
    assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
    return village;
  }

  private async rankingContext(actor: Actor, village: Village, period: Period, groupId: number | undefined) {
    const [ranking, snapshots, groups] = await Promise.all([
      this.rankings.ranking(village.id, period, groupId),
      this.rankings.snapshotHeads(village),
      this.villages.groupNames(village.id),
    ]);
    const query = `villageId=${village.id}&period=${period.key}${groupId ? `&groupId=${groupId}` : ''}`;
    const today = this.clock.today();
    const notYet = notSubmittableYet(period, today);
    const canSubmit = can(actor, Permission.Ranking.Submit);
    return {
      title: `${village.name} · ${period.label}排名`,
      village,
      period,
      periodChoices: periodChoices(period, today),
      unrankedNote: unrankedNote(ranking.rows, period.label),
      groupId,
      groups: groups.map((g) => ({
        ...g,
        selected: Number(g.id) === groupId,
      })),
      rowsHtml: rowsHtml(ranking),
      snapshots: snapshots.map((s) => ({ ...s, statusLabel: STATUS_LABELS[s.status] })),
      canSubmit: canSubmit && !notYet,
      submitLater: canSubmit && notYet ? notYet.from : null,
      exportQuery: query,
    };
  }

  private async snapshotContext(actor: Actor, id: number) {
    const snapshot = await this.rankings.snapshot(actor, id);
    const village = await this.villages.kept(snapshot.villageId, { fresh: true });
    if (!village) throw DomainError.notFound('村');
    const view = snapshotView(snapshot);
    return {
      title: `${village.name} · ${snapshot.period} 排名快照`,
      village,
      s: { ...view, statusLabel: STATUS_LABELS[view.status] },
      canReview: can(actor, Permission.Ranking.Review) && view.status === 'SUBMITTED',
    };
  }

  /**
   * `typed`: the form that came back refused (its list and household, or its entry and action), so that what was
   * typed shows again in that form only.
   */
  private async listsContext(
    actor: Actor,
    village: Village,
    period: Period,
    typed: Record<string, string> = {},
  ) {
    const [candidates, entries] = await Promise.all([
      this.lists.candidates(village.id, period),
      this.lists.entries(village.id, period.key),
    ]);
    const names = await this.households.labels(entries.map((e) => e.householdId));
    const candidate = (list: 'RED' | 'BLACK') => (c: (typeof candidates.red)[number]) => {
      const field = reasonField(list, String(c.householdId));
      const mine = typed.list === list && typed.householdId === String(c.householdId);
      return { ...c, field, typedReason: mine ? typed.reason : '' };
    };
    const note = (action: 'lift' | 'withdraw', id: number) => ({
      field: noteField(action, id),
      typed: typed.action === action && typed.entryId === String(id) ? typed.note : '',
    });
    return {
      title: `${village.name} · ${period.label}红黑榜`,
      village,
      period,
      periodChoices: periodChoices(period, this.clock.today()),
      red: candidates.red.map(candidate('RED')),
      black: candidates.black.map(candidate('BLACK')),
      entries: entries.map((e) => ({
        ...e,
        listLabel: e.list === 'RED' ? '红榜' : '黑榜',
        statusLabel: LIST_STATUS[e.status],
        household: names.get(e.householdId),
        canLift: can(actor, Permission.List.Lift) && e.list === 'BLACK' && e.status === 'PUBLISHED',
        canWithdraw: can(actor, Permission.List.Withdraw) && e.status !== 'WITHDRAWN',
        lift: note('lift', e.id),
        withdraw: note('withdraw', e.id),
      })),
      canConfirm: can(actor, Permission.List.Confirm),
      hasDrafts: entries.some((e) => e.status === 'CONFIRMED'),
      exportQuery: `villageId=${village.id}&period=${period.key}`,
    };
  }
}

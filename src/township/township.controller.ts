import { Controller, Get, Param, ParseIntPipe, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { scopeLevel, type Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { can, Permission } from '../access/permissions.js';
import { outcomeTable } from '../bank/bank.presenter.js';
import { CurrentActor } from '../auth/decorators.js';
import { chinaTime } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { sendSheet } from '../households/spreadsheet.js';
import { Clock } from '../common/clock.js';
import { currentPeriod, parsePeriod, periodChoices, type Period } from '../common/periods.js';
import { periodOrRefuse } from '../rankings/rankings.service.js';
import { barChart } from './charts.js';
import { derivedOnce } from '../database/read-cache.js';
import { TownshipService } from './township.service.js';

const SNAPSHOT_LABELS: Record<string, string> = {
  SUBMITTED: '待审核',
  APPROVED: '已通过',
  RETURNED: '已退回',
};

/** The twelve months ending with the period's last month. */
function lastTwelveMonths(period: Period): string[] {
  const end = new Date(`${period.next}T00:00:00Z`);
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 12 + i, 1));
    return d.toISOString().slice(0, 7);
  });
}

/**
 * The dashboard's table rows and its four SVG charts, drawn once for each kept dashboard: drawing the charts was most
 * of the page's work.
 */
const dashboardView = derivedOnce(
  ({ period, rows, categories, trend, distribution }: Awaited<ReturnType<TownshipService['dashboard']>>) => ({
    rows: rows.map((r) => ({
      ...r,
      snapshotLabel: r.snapshotStatus ? SNAPSHOT_LABELS[r.snapshotStatus] : '未提交',
    })),
    // Each chart with its title shown above it; the trend as bars too, one month a row, legible on a phone.
    charts: [
      [`${period.label}各村积分`, rows.map((r) => ({ label: r.name, value: r.earned }))] as const,
      ['近 12 个月全乡镇积分', trend] as const,
      [`${period.label}各类积分`, categories] as const,
      [`${period.label}农户积分分布（户数）`, distribution] as const,
    ].map(([title, points]) => ({ title, svg: barChart(title, points) })),
  }),
);

/** 乡镇总览: the dashboard page, its export, and the overview and fairness API. */
@ApiTags('township 乡镇总览')
@ApiBearerAuth()
@Controller()
export class TownshipController {
  constructor(
    private readonly townships: TownshipService,
    private readonly clock: Clock,
  ) {}

  /** The month before this one: the last whose numbers are complete, what the township looks at first. */
  private lastEndedMonth(): Period {
    return parsePeriod(currentPeriod('month', this.clock.today()).previous) as Period;
  }

  @Get('api/v1/townships/:id/overview')
  @Allow(Permission.Township.Overview)
  @InScope('township', 'params.id')
  async overview(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Query('period') period?: string,
  ) {
    const p = periodOrRefuse(period);
    const { villages } = await this.townships.township(actor, id);
    return { period: p.key, villages: await this.townships.overview(villages, p) };
  }

  @Get('api/v1/townships/:id/fairness')
  @Allow(Permission.Township.Overview)
  @InScope('township', 'params.id')
  async fairness(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Query('period') period?: string,
  ) {
    const p = periodOrRefuse(period);
    const { villages } = await this.townships.township(actor, id);
    return { period: p.key, items: await this.townships.fairness(villages, p) };
  }

  @Get('api/v1/townships/:id/participation')
  @ApiOperation({
    summary: '群众参与：各村本期网格事务上报、有效、按期办结，志愿服务时长，有积分入账的户数占比',
  })
  @Allow(Permission.Township.Overview)
  @InScope('township', 'params.id')
  async participation(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Query('period') period?: string,
  ) {
    const p = periodOrRefuse(period);
    const { villages } = await this.townships.township(actor, id);
    return { period: p.key, villages: await this.townships.participation(villages, p) };
  }

  @Get('township')
  @ApiExcludeEndpoint()
  @Allow(Permission.Township.Overview)
  async dashboard(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Query() query: Record<string, string>,
  ) {
    const townshipId = this.townshipOf(actor, query.townshipId);
    const parsed = query.period ? parsePeriod(query.period.trim()) : this.lastEndedMonth();
    const period = parsed ?? this.lastEndedMonth();
    const { township, villages } = await this.townships.township(actor, townshipId);
    const dashboard = await this.townships.dashboard(township.id, villages, period, lastTwelveMonths(period));
    res.status(parsed ? 200 : 400).render('township/dashboard', {
      title: `${township.name} · ${period.label}总览`,
      township,
      // The admin names the township in the address; the form keeps it.
      namesTownship: scopeLevel(actor) === 'county',
      period,
      periodChoices: periodChoices(period, this.clock.today()),
      values: { period: query.period ?? period.key },
      errors: parsed ? {} : { period: '期间应为 2026-11（月）、2026-Q4（季度）或 2026（年）' },
      formError: parsed ? undefined : '期间写得不对，下面显示的是上个月',
      ...dashboardView(dashboard),
      signals: dashboard.signals,
      participation: dashboard.participation,
      credit: dashboard.credit,
      loanOutcomes: can(actor, Permission.Bank.ReadOutcomes) ? outcomeTable(dashboard.loans) : null,
      exportQuery: `townshipId=${townshipId}&period=${period.key}`,
    });
  }

  @Get(['township/export.csv', 'township/export.xlsx'])
  @ApiExcludeEndpoint()
  @Allow(Permission.Township.Overview)
  async export(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Query() query: Record<string, string>,
  ) {
    const townshipId = this.townshipOf(actor, query.townshipId);
    const period = periodOrRefuse(query.period);
    const { township, villages } = await this.townships.township(actor, townshipId);
    const rows = await this.townships.overview(villages, period);
    await sendSheet(req, res, `township-${township.code}-${period.key}`, `${period.label}总览`, [
      ['村', '户数', '本期积分', '本期兑换积分', '待审核记录', '未处理异议', '排名上报', '最近操作'],
      ...rows.map((r) => [
        r.name,
        r.households,
        r.earned,
        r.redeemed,
        r.pendingRecords,
        r.openObjections,
        r.snapshotStatus ? SNAPSHOT_LABELS[r.snapshotStatus] : '未提交',
        chinaTime(r.lastActivity),
      ]),
    ]);
  }

  private townshipOf(actor: Actor, param?: string): number {
    const id =
      scopeLevel(actor) === 'county'
        ? /^\d{1,9}$/.test(param ?? '')
          ? Number(param)
          : null
        : actor.townshipId;
    if (!id)
      throw DomainError.validation({ townshipId: '请选择乡镇' }, '请在网址中加上 ?townshipId=乡镇编号');
    return id;
  }
}

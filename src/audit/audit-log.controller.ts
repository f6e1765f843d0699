import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { scopeLevel, type Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { isRealDate } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { pager } from '../common/pagination.js';
import { VillagesService } from '../villages/villages.service.js';
import { ACTION_LABELS } from './action-labels.js';
import { AuditLogService } from './audit-log.service.js';
import { presentAuditEntry } from './audit-log.presenter.js';
import { AuditService } from './audit.service.js';

interface AuditQuery {
  villageId?: number;
  person?: string;
  action?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

/** 操作日志 for the township, the admin and a village's supervision committee (its village only): who did what, when, filtered by village, person, action and date. */
@ApiTags('audit 操作日志')
@ApiBearerAuth()
@Controller()
export class AuditLogController {
  constructor(
    private readonly audit: AuditService,
    private readonly villages: VillagesService,
    private readonly auditLog: AuditLogService,
  ) {}

  @Get('api/v1/audit-logs')
  @Allow(Permission.AuditLog.Read)
  async api(@CurrentActor() actor: Actor, @Query() query: Record<string, string>) {
    return this.audit.list({ ...(await this.scope(actor)), ...this.parse(query) });
  }

  @Get('audit')
  @ApiExcludeEndpoint()
  @Allow(Permission.AuditLog.Read)
  async page(@CurrentActor() actor: Actor, @Res() res: Response, @Query() query: Record<string, string>) {
    const scope = await this.scope(actor);
    const within = scope.within;
    const villages = (
      await this.villages.names(
        within && 'townshipId' in within ? within.townshipId : (actor.townshipId ?? undefined),
      )
    ).filter((v) => !within || !('villageId' in within) || v.id === within.villageId);
    const context = {
      title: '操作日志',
      values: query,
      villageOptions: villages.map((v) => ({ value: v.id, label: v.name })),
      actionOptions: (await this.audit.actions()).map((a) => ({
        value: a,
        label: ACTION_LABELS[a] ?? `其他操作（${a}）`,
      })),
    };
    let filter: AuditQuery;
    try {
      filter = this.parse(query);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return res
        .status(400)
        .render('audit/list', { ...context, entries: [], errors: error.details, formError: error.message });
    }
    const { items, total } = await this.audit.list({ ...scope, ...filter });
    const names = await this.auditLog.names(items, new Map(villages.map((v) => [v.id, v.name])));
    res.render('audit/list', {
      ...context,
      entries: items.map((a) => presentAuditEntry(a, names)),
      pager: pager(
        filter.page,
        filter.pageSize,
        total,
        Object.fromEntries(Object.entries(query).filter(([k, v]) => k !== 'page' && v)),
      ),
    });
  }

  private async scope(actor: Actor): Promise<{
    within?: { townshipId: number; villageIds: number[] } | { villageId: number };
  }> {
    if (scopeLevel(actor) === 'county') return {};
    // A village role (the supervision committee) reads its own village's rows only.
    if (scopeLevel(actor) === 'village') return { within: { villageId: actor.villageId ?? -1 } };
    const villages = await this.villages.names(actor.townshipId ?? -1);
    return { within: { townshipId: actor.townshipId ?? -1, villageIds: villages.map((v) => v.id) } };
  }

  private parse(query: Record<string, string>): AuditQuery {
    const errors: Record<string, string> = {};
    for (const key of ['from', 'to'] as const)
      if (query[key] && !isRealDate(query[key])) errors[key] = '日期应为 YYYY-MM-DD，例如 2026-11-01';
    if (query.villageId && !/^\d{1,9}$/.test(query.villageId)) errors.villageId = '请选择村';
    const page = /^\d{1,6}$/.test(query.page ?? '') ? Math.max(1, Number(query.page)) : 1;
    if (Object.keys(errors).length > 0) throw DomainError.validation(errors);
    return {
      villageId: query.villageId ? Number(query.villageId) : undefined,
      person: query.person?.trim().slice(0, 40) || undefined,
      action: query.action?.trim().slice(0, 40) || undefined,
      from: query.from || undefined,
      to: query.to || undefined,
      page,
      pageSize: 50,
    };
  }
}

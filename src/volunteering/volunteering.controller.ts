import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { can, Permission } from '../access/permissions.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor } from '../auth/decorators.js';
import { todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { submitForm } from '../common/forms.js';
import { parseForm } from '../common/validation.js';
import { RulesService } from '../rules/rules.service.js';
import { AttendanceDto, CreateActivityDto } from './dto/activity.dto.js';
import { VolunteeringService } from './volunteering.service.js';

/**
 * 志愿服务活动 pages: the committee puts an activity up and closes it; on the day the organiser (committee or 网格员)
 * ticks who came, with hours; a household signs itself up on its own page.
 */
@ApiExcludeController()
@Controller()
export class VolunteeringController {
  constructor(
    private readonly volunteering: VolunteeringService,
    private readonly rules: RulesService,
  ) {}

  @Get('activities')
  @Allow(Permission.Activity.Read)
  async list(@CurrentActor() actor: Actor, @Res() res: Response, @Query('villageId') villageId?: string) {
    // The township and the county choose one of their villages; a village's staff see their own.
    if (!actor.villageId) {
      const id = Number(villageId);
      if (!Number.isSafeInteger(id) || id < 1)
        return res.render('volunteering/list', {
          title: '志愿服务活动',
          villages: await this.volunteering.villagesOf(actor),
        });
      return res.render('volunteering/list', await this.listContext(actor, id));
    }
    res.render('volunteering/list', await this.listContext(actor));
  }

  @Post('activities')
  @Allow(Permission.Activity.Manage)
  async create(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string> = {},
  ) {
    await submitForm(
      res,
      { view: 'volunteering/list', context: () => this.listContext(actor), values: body },
      async () => {
        const dto = await parseForm(CreateActivityDto, {
          villageId: this.villageOf(actor),
          title: body.title,
          on: body.on,
          place: body.place,
          places: body.places,
          ruleId: body.ruleId,
          pointsPerHour: body.pointsPerHour || undefined,
        });
        const activity = await this.volunteering.create(actor, dto);
        return { redirect: `/activities/${activity.id}`, message: `已发布志愿服务活动“${activity.title}”` };
      },
    );
  }

  @Get('activities/:id')
  @Allow(Permission.Activity.Read)
  @InScope('activity', 'params.id')
  async show(@CurrentActor() actor: Actor, @Res() res: Response, @Param('id', ParseIntPipe) id: number) {
    res.render('volunteering/show', await this.showContext(actor, id));
  }

  /** 代报名: the committee signs a household up by its code. */
  @Post('activities/:id/signups')
  @Allow(Permission.Activity.Manage)
  @InScope('activity', 'params.id')
  async signUp(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    await submitForm(
      res,
      {
        view: 'volunteering/show',
        context: () => this.showContext(actor, id),
        values: body,
        fieldNames: { householdId: 'code' },
      },
      async () => {
        const householdId = await this.volunteering.householdByCode(this.villageOf(actor), body.code, 'code');
        await this.volunteering.signUp(actor, id, householdId);
        return { redirect: `/activities/${id}`, message: `已为 ${body.code.trim().toUpperCase()} 报名` };
      },
    );
  }

  /** 签到: one household came (ticked on the list, or typed by its code), with its hours when counted. */
  @Post('activities/:id/attendance')
  @Allow(Permission.Activity.CheckAttendance)
  @InScope('activity', 'params.id')
  async attend(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string> = {},
  ) {
    const row = body.householdId ? `hours${body.householdId}` : 'hours';
    await submitForm(
      res,
      {
        view: 'volunteering/show',
        context: () => this.showContext(actor, id),
        values: body,
        fieldNames: { hours: row, householdId: body.householdId ? row : 'attendCode' },
      },
      async () => {
        const householdId = body.householdId
          ? body.householdId
          : await this.volunteering.householdByCode(this.villageOf(actor), body.attendCode, 'attendCode');
        const dto = await parseForm(AttendanceDto, { householdId, hours: body[row] || undefined });
        const attendance = await this.volunteering.attend(actor, id, dto);
        return {
          redirect: `/activities/${id}`,
          message: `已签到：${attendance.household ?? ''}${attendance.hours === null ? '' : `，${attendance.hours} 小时`}`,
        };
      },
    );
  }

  @Post('activities/:id/close')
  @Allow(Permission.Activity.Manage)
  @InScope('activity', 'params.id')
  async close(@CurrentActor() actor: Actor, @Res() res: Response, @Param('id', ParseIntPipe) id: number) {
    await submitForm(
      res,
      { view: 'volunteering/show', context: () => this.showContext(actor, id), values: {} },
      async () => {
        const closed = await this.volunteering.close(actor, id);
        return {
          redirect: `/activities/${id}`,
          message: `活动已结束：登记积分 ${closed.recordIds.length} 户${closed.skipped.length ? `；${closed.skipped.map((s) => `${s.code}：${s.reason}`).join('；')}` : ''}，审核、公示后入账`,
        };
      },
    );
  }

  @Get('villager/activities')
  @Allow(Permission.Activity.SignUp)
  async villagerList(@CurrentActor() actor: Actor, @Res() res: Response) {
    res.render('volunteering/villager', await this.villagerContext(actor));
  }

  @Post('villager/activities/:id/signup')
  @Allow(Permission.Activity.SignUp)
  @InScope('activity', 'params.id')
  async villagerSignUp(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
  ) {
    await submitForm(
      res,
      { view: 'volunteering/villager', context: () => this.villagerContext(actor), values: {} },
      async () => {
        await this.volunteering.signUp(actor, id, actor.id);
        return { redirect: '/villager/activities', message: '报名成功，请按时参加' };
      },
    );
  }

  private villageOf(actor: Actor): number {
    if (!actor.villageId) throw DomainError.forbidden('志愿服务活动按村组织：请用本村的账号');
    return actor.villageId;
  }

  private async listContext(actor: Actor, chosen?: number) {
    if (chosen) await this.volunteering.villageInScope(actor, chosen);
    const villageId = chosen ?? this.villageOf(actor);
    const [activities, rules] = await Promise.all([
      this.volunteering.ofVillage(villageId),
      this.rules.list({ villageId }),
    ]);
    return {
      title: '志愿服务活动',
      activities: activities.map((a) => ({ ...a, closed: a.status === 'CLOSED' })),
      canManage: can(actor, Permission.Activity.Manage),
      ruleOptions: rules
        .filter((r) => r.active && r.maxPoints > 0)
        .map((r) => ({ value: String(r.id), label: `${r.code} ${r.title}` })),
      today: todayInChina(),
    };
  }

  private async showContext(actor: Actor, id: number) {
    const activity = await this.volunteering.get(actor, id);
    const came = new Map(activity.attendance.map((a) => [a.householdId, a]));
    const rows = [
      ...activity.signups.map((s) => ({ householdId: s.householdId, household: s.household })),
      ...activity.attendance
        .filter((a) => !activity.signups.some((s) => s.householdId === a.householdId))
        .map((a) => ({ householdId: a.householdId, household: a.household })),
    ].map((r) => ({ ...r, came: came.has(r.householdId), hours: came.get(r.householdId)?.hours ?? null }));
    const open = activity.status === 'OPEN';
    return {
      title: activity.title,
      // 扫门牌签到: door plates read by the camera (zxing, served by the app).
      pageScripts: open ? ['/assets/vendor/zxing-browser.js', '/assets/door-plate-scan.js'] : [],
      activity,
      rows,
      open,
      canManage: open && can(actor, Permission.Activity.Manage),
      canAttend: open && can(actor, Permission.Activity.CheckAttendance),
      byHour: activity.pointsPerHour !== null,
    };
  }

  private async villagerContext(actor: Actor) {
    const activities = await this.volunteering.ofVillage(actor.villageId as number);
    const mine = await this.volunteering.signedUpBy(actor.id);
    return {
      title: '志愿服务活动',
      activities: activities
        .filter((a) => a.status === 'OPEN')
        .map((a) => ({ ...a, mine: mine.has(a.id), full: a.signedUp >= a.places })),
    };
  }
}

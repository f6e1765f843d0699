import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor } from '../auth/decorators.js';
import { AttendanceDto, CreateActivityDto, SignUpDto } from './dto/activity.dto.js';
import { VolunteeringService } from './volunteering.service.js';

/** 志愿服务活动: put up (places), sign-ups, attendance with hours, closed into one PENDING record per attendee. */
@ApiTags('volunteering 志愿服务活动')
@ApiBearerAuth()
@Controller('api/v1')
export class VolunteeringApiController {
  constructor(private readonly volunteering: VolunteeringService) {}

  @Post('activities')
  @Allow(Permission.Activity.Manage)
  @InScope('village', 'body.villageId')
  @ApiOperation({
    summary: '村两委发布一次志愿服务活动：日期、地点、名额和登记积分的细则',
    description:
      'pointsPerHour 填了按 每小时积分 × 时长 计分，不填按细则的分值每户一次；都限在细则的分值区间内。',
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateActivityDto) {
    return this.volunteering.create(actor, dto);
  }

  @Get('activities')
  @Allow(Permission.Activity.Read)
  @InScope('village', 'query.villageId')
  @ApiQuery({ name: 'villageId', required: true, type: Number })
  @ApiOperation({ summary: '本村的志愿服务活动，日期新的在前，附报名和签到户数' })
  async list(@Query('villageId', ParseIntPipe) villageId: number) {
    const items = await this.volunteering.ofVillage(villageId);
    return { items, total: items.length };
  }

  @Get('activities/:id')
  @Allow(Permission.Activity.Read)
  @InScope('activity', 'params.id')
  @ApiOperation({ summary: '一次志愿服务活动：报名的农户和签到（时长、登记的积分记录）' })
  get(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.volunteering.get(actor, id);
  }

  @Post('activities/:id/signups')
  @Allow(Permission.Activity.SignUp, Permission.Activity.Manage)
  @InScope('activity', 'params.id')
  @ApiOperation({
    summary: '报名：农户为本户报名，或村两委为本村一户报名',
    description: '名额满了 409 CAP_REACHED；同一户报第二次 409 DUPLICATE；活动已结束 409 INVALID_STATE。',
  })
  signUp(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: SignUpDto) {
    return this.volunteering.signUp(actor, id, dto.householdId);
  }

  @Post('activities/:id/attendance')
  @Allow(Permission.Activity.CheckAttendance)
  @InScope('activity', 'params.id')
  @ApiOperation({
    summary: '签到：本村一户来参加了，可填服务时长（0 < 时长 ≤ 24 小时）',
    description: '同一户再签到一次改为新的时长；没报名的本村农户也可以签到。',
  })
  attend(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number, @Body() dto: AttendanceDto) {
    return this.volunteering.attend(actor, id, dto);
  }

  @Post('activities/:id/close')
  @HttpCode(200)
  @Allow(Permission.Activity.Manage)
  @InScope('activity', 'params.id')
  @ApiOperation({
    summary: '结束活动：为每户签到的农户按细则登记一条待审核的积分记录',
    description:
      '答复 recordIds 与 skipped（细则的次数上限已满、已迁出等不能登记的农户及原因）。再结束一次 409 INVALID_STATE，不再登记。',
  })
  close(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.volunteering.close(actor, id);
  }
}

import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Put,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { InScope } from '../access/scope.guard.js';
import { CurrentActor } from '../auth/decorators.js';
import { answerCreated, markRepeated } from '../common/idempotency.js';
import { EvidenceStore } from '../scoring/evidence.store.js';
import { PhotoUploadInterceptor } from '../scoring/photo-upload.interceptor.js';
import {
  AffairListQuery,
  CloseAffairDto,
  CreateGridDto,
  DispatchAffairDto,
  GridSettingsDto,
  ReportAffairDto,
  ScreenAffairDto,
} from './dto/grids.dto.js';
import { affairView } from './grid-affairs.presenter.js';
import { GridAffairsService } from './grid-affairs.service.js';
import { GridsService } from './grids.service.js';

@ApiTags('grids 网格与网格事务')
@ApiBearerAuth()
@Controller('api/v1')
export class GridsApiController {
  constructor(
    private readonly grids: GridsService,
    private readonly affairs: GridAffairsService,
    private readonly evidence: EvidenceStore,
  ) {}

  @Post('grids')
  @ApiOperation({ summary: '划分网格：网格名称、网格员和网格内的农户（一户只在一个网格）' })
  @Allow(Permission.Grid.Manage)
  @InScope('village', 'body.villageId')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateGridDto) {
    return this.grids.create(actor, dto);
  }

  @Get('villages/:id/grids')
  @ApiOperation({ summary: '本村的网格' })
  @Allow(Permission.Grid.Read)
  @InScope('village', 'params.id')
  async list(@Param('id', ParseIntPipe) id: number) {
    return { items: await this.grids.ofVillage(id) };
  }

  @Get('villages/:id/grid-settings')
  @ApiOperation({ summary: '网格事务的哪一步按哪条细则记分' })
  @Allow(Permission.Grid.Read)
  @InScope('village', 'params.id')
  settings(@Param('id', ParseIntPipe) id: number) {
    return this.grids.settings(id);
  }

  @Put('villages/:id/grid-settings')
  @ApiOperation({ summary: '设定有效上报、办结各按哪条细则记分（不填则不记分）' })
  @Allow(Permission.Grid.Manage)
  @InScope('village', 'params.id')
  setSettings(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: GridSettingsDto,
  ) {
    return this.grids.setSettings(actor, id, dto);
  }

  /** 201 with a new matter; 200 with the same one when the idempotency key was used before. A photo by multipart. */
  @Post('grid-affairs')
  @ApiOperation({ summary: '上报网格事务（可附照片 photo）' })
  @ApiConsumes('application/json', 'multipart/form-data')
  @Allow(Permission.GridAffair.Report)
  // No @InScope: a multipart body is read after the guards; the service checks the village's scope.
  @UseInterceptors(PhotoUploadInterceptor)
  async report(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Body() dto: ReportAffairDto,
    @Res({ passthrough: true }) res: Response,
    @UploadedFile() photo?: { buffer: Buffer; size: number },
  ) {
    const { affair, created } = await this.evidence.keepWith(
      req,
      photo,
      (photoPath) => this.affairs.report(actor, dto, photoPath),
      (r) => r.created,
    );
    answerCreated(res, created);
    return affairView(affair);
  }

  @Get('grid-affairs')
  @ApiOperation({ summary: '网格事务：工作人员看本村的，村民看自家上报或承办的' })
  @Allow(Permission.GridAffair.Read, Permission.GridAffair.ReadOwn)
  async affairList(@CurrentActor() actor: Actor, @Query() query: AffairListQuery) {
    return { items: (await this.affairs.list(actor, query)).map(affairView) };
  }

  @Get('grid-affairs/:id')
  @Allow(Permission.GridAffair.Read, Permission.GridAffair.ReadOwn)
  @InScope('gridAffair', 'params.id')
  async affair(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return affairView(await this.affairs.get(actor, id));
  }

  @Post('grid-affairs/:id/screen')
  @HttpCode(200)
  @ApiOperation({ summary: '筛选：有效（按本村设定给上报户记分一次）或无效（写明理由）' })
  @Allow(Permission.GridAffair.Screen)
  @InScope('gridAffair', 'params.id')
  async screen(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: ScreenAffairDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { affair, repeated } = await this.affairs.screen(actor, id, dto);
    markRepeated(res, repeated);
    return affairView(affair);
  }

  @Post('grid-affairs/:id/dispatch')
  @HttpCode(200)
  @ApiOperation({ summary: '派单给网格员或自愿承办的农户，写明期限' })
  @Allow(Permission.GridAffair.Screen)
  @InScope('gridAffair', 'params.id')
  async dispatch(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: DispatchAffairDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { affair, repeated } = await this.affairs.dispatch(actor, id, dto);
    markRepeated(res, repeated);
    return affairView(affair);
  }

  @Post('grid-affairs/:id/close')
  @HttpCode(200)
  @ApiOperation({ summary: '办结：承办人或村两委写明办理情况（可附照片 photo）' })
  @ApiConsumes('application/json', 'multipart/form-data')
  @Allow(Permission.GridAffair.Handle)
  @InScope('gridAffair', 'params.id')
  @UseInterceptors(PhotoUploadInterceptor)
  async close(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: CloseAffairDto,
    @Res({ passthrough: true }) res: Response,
    @UploadedFile() photo?: { buffer: Buffer; size: number },
  ) {
    const { affair, repeated } = await this.evidence.keepWith(
      req,
      photo,
      (photoPath) => this.affairs.close(actor, id, dto, photoPath),
      (r) => !r.repeated,
    );
    markRepeated(res, repeated);
    return affairView(affair);
  }
}

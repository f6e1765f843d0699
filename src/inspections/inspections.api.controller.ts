import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
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
import { CreateEntryDto, CreateRoundDto } from './dto/inspections.dto.js';
import { entryView, roundView } from './inspections.presenter.js';
import { InspectionsService } from './inspections.service.js';

@ApiTags('inspections 入户检查')
@ApiBearerAuth()
@Controller('api/v1/inspection-rounds')
export class InspectionsApiController {
  constructor(
    private readonly inspections: InspectionsService,
    private readonly evidence: EvidenceStore,
  ) {}

  @Post()
  @ApiOperation({ summary: '开始一次入户检查：网格（不填则全村）和细则类别；回答检查清单和要走访的农户' })
  @Allow(Permission.Inspection.Run)
  @InScope('village', 'body.villageId')
  async open(@CurrentActor() actor: Actor, @Body() dto: CreateRoundDto) {
    return roundView(await this.inspections.open(actor, dto));
  }

  @Get(':id')
  @ApiOperation({ summary: '一次入户检查：检查清单、农户和已记下的情况' })
  @Allow(Permission.Inspection.Read)
  @InScope('inspectionRound', 'params.id')
  async get(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return roundView(await this.inspections.get(actor, id));
  }

  /** 201 with a new entry; 200 with the same one when its idempotency key came before. A photo by multipart. */
  @Post(':id/entries')
  @ApiOperation({ summary: '记下一户的检查情况（可附照片 photo）；同一个幂等键重复发送只记一次' })
  @ApiConsumes('application/json', 'multipart/form-data')
  @Allow(Permission.Inspection.Run)
  @InScope('inspectionRound', 'params.id')
  @UseInterceptors(PhotoUploadInterceptor)
  async addEntry(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: CreateEntryDto,
    @Res({ passthrough: true }) res: Response,
    @UploadedFile() photo?: { buffer: Buffer; size: number },
  ) {
    const { entry, created } = await this.evidence.keepWith(
      req,
      photo,
      (photoPath) => this.inspections.addEntry(actor, id, dto, photoPath),
      (r) => r.created,
    );
    answerCreated(res, created);
    return entryView(entry);
  }

  /** 200 with the records made; a second submit answers the same records with the replay header. */
  @Post(':id/submit')
  @HttpCode(200)
  @ApiOperation({ summary: '提交入户检查：每条检查情况登记一条待审核的积分记录（全部成功或全部不登记）' })
  @Allow(Permission.Inspection.Run)
  @InScope('inspectionRound', 'params.id')
  async submit(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIntPipe) id: number,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { round, recordIds, repeated } = await this.inspections.submit(actor, id);
    markRepeated(res, repeated);
    return { id: round.id, status: round.status, submittedAt: round.submittedAt, recordIds };
  }
}

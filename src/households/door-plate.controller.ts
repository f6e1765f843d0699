import { Controller, Get, Param, ParseIntPipe, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import QRCode from 'qrcode';
import type { Actor } from '../access/actor.js';
import { InScope } from '../access/scope.guard.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor } from '../auth/decorators.js';
import { DomainError } from '../common/domain-error.js';
import { VillagesService } from '../villages/villages.service.js';
import { DoorPlateBadges } from './door-plate-badges.js';
import { HouseholdsService, type PublicHousehold } from './households.service.js';

/** The address a door plate's QR code opens: the villager login with the household code filled in. */
export function doorPlateUrl(origin: string, code: string): string {
  return `${origin}/villager?code=${encodeURIComponent(code)}`;
}

/** The QR code as inline SVG (drawn on the server: no script, no image request). */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** 门牌: one A4 plate per household (or all of a village or group), with its code in large type and a QR code. */
@ApiExcludeController()
@Controller('households')
export class DoorPlateController {
  constructor(
    private readonly households: HouseholdsService,
    private readonly villages: VillagesService,
    private readonly badges: DoorPlateBadges,
  ) {}

  @Get('door-plates')
  @Allow(Permission.Household.PrintDoorPlates)
  async all(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Query('groupId') groupId?: string,
  ) {
    if (!actor.villageId) throw DomainError.forbidden();
    const village = await this.villages.get(actor, actor.villageId);
    const { items } = await this.households.list({
      villageId: village.id,
      groupId: /^\d{1,9}$/.test(groupId ?? '') ? Number(groupId) : undefined,
      page: 1,
      pageSize: 1000,
    });
    const active = items.filter((h) => h.status === 'ACTIVE');
    res.render('households/door-plates', {
      title: `${village.name}门牌`,
      plates: await this.plates(req, village.name, active),
    });
  }

  @Get(':id/door-plate')
  @Allow(Permission.Household.Read)
  @InScope('household', 'params.id')
  async one(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
  ) {
    const household = await this.households.get(actor, id);
    const village = await this.villages.get(actor, household.villageId);
    res.render('households/door-plates', {
      title: `${household.code} 门牌`,
      plates: await this.plates(req, village.name, [household]),
    });
  }

  private async plates(req: Request, villageName: string, households: PublicHousehold[]) {
    const origin = `${req.protocol}://${req.get('host')}`;
    const badges = await this.badges.of(households.map((h) => h.id));
    return Promise.all(
      households.map(async (h) => {
        const url = doorPlateUrl(origin, h.code);
        return {
          villageName,
          code: h.code,
          headName: h.headName,
          badges: badges.get(h.id) ?? [],
          url,
          qr: await qrSvg(url),
        };
      }),
    );
  }
}

import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { safeNext } from '../auth/auth.controller.js';
import { AuthService } from '../auth/auth.service.js';
import { Public } from '../auth/decorators.js';
import { VillagerLoginDto } from '../auth/dto/login.dto.js';
import { SessionsService } from '../auth/sessions.service.js';
import { submitForm } from '../common/forms.js';
import { parseForm } from '../common/validation.js';
import { Household } from '../households/household.entity.js';
import { Village } from '../villages/village.entity.js';

/** `/villager`: the household's own page, made for an elderly person on a phone. */
@ApiExcludeController()
@Controller('villager')
export class VillagerController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Public()
  @Get()
  async home(@Req() req: Request, @Res() res: Response, @Query('code') code?: string) {
    if (req.actor?.kind !== 'household') {
      return res.render('villager/login', { title: '村民登录', values: { householdCode: code ?? '' } });
    }
    const household = await this.dataSource.getRepository(Household).findOneByOrFail({ id: req.actor.id });
    const village = await this.dataSource.getRepository(Village).findOneByOrFail({ id: household.villageId });
    res.render('villager/home', { title: '我的积分', household, village });
  }

  @Public()
  @Post('login')
  async login(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, string>) {
    await submitForm(
      res,
      { view: 'villager/login', context: () => ({ title: '村民登录' }), values: body },
      async () => {
        const dto = await parseForm(VillagerLoginDto, body);
        const { household } = await this.auth.loginHousehold(dto.householdCode, dto.pin, req.ip ?? null);
        await this.sessions.startIn(req, res, { householdId: household.id });
        return { redirect: safeNext(body.next, '/villager'), message: `${household.headName}家，您好` };
      },
    );
  }
}

import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { AuthService } from './auth.service.js';
import { loginClient } from './cookies.js';
import { CurrentActor, Public } from './decorators.js';
import { ChangePasswordDto, LoginDto, VillagerLoginDto } from './dto/login.dto.js';

@ApiTags('auth 登录')
@Controller('api/v1/auth')
export class AuthApiController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: '工作人员登录，得到 bearer token（连续失败 5 次后 429）' })
  async login(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const user = await this.auth.loginStaff(dto.username, dto.password, loginClient(req, res));
    return {
      token: this.auth.tokenFor(user),
      user: {
        id: user.id,
        username: user.username,
        role: user.role,
        townshipId: user.townshipId,
        villageId: user.villageId,
      },
    };
  }

  @Public()
  @Post('villager-login')
  @HttpCode(200)
  @ApiOperation({ summary: '村民以户号和密码(PIN)登录' })
  async villagerLogin(
    @Body() dto: VillagerLoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { household, proxyId } = await this.auth.loginHousehold(
      dto.householdCode,
      dto.pin,
      loginClient(req, res),
    );
    return {
      token: this.auth.tokenFor(household, proxyId),
      household: { id: household.id, code: household.code },
    };
  }

  @Get('me')
  @Allow(Permission.Account.ManageOwn)
  @ApiBearerAuth()
  @ApiOperation({ summary: '当前登录者' })
  me(@CurrentActor() actor: Actor) {
    const { ip: _ip, ...rest } = actor;
    return rest;
  }

  @Post('password')
  @Allow(Permission.Account.ManageOwn)
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: '修改自己的密码；旧的 token 和登录随即失效' })
  async changePassword(@CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto) {
    await this.auth.changePassword(actor, dto.currentPassword, dto.newPassword);
    return { ok: true };
  }
}

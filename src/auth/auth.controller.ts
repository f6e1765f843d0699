import { Body, Controller, Get, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../access/actor.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { redirectWithFlash, submitForm } from '../common/forms.js';
import { parseForm } from '../common/validation.js';
import { TEXT_SIZE_COOKIE } from '../common/view-locals.middleware.js';
import { AuthService } from './auth.service.js';
import { loginClient, setSessionCookie } from './cookies.js';
import { CurrentActor, Public } from './decorators.js';
import { ChangePasswordDto, LoginDto } from './dto/login.dto.js';
import { newSessionId, SessionsService } from './sessions.service.js';

/** Only a path on this site: never an open redirect to somewhere else. */
export function safeNext(next: unknown, fallback = '/'): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : fallback;
}

@ApiExcludeController()
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
  ) {}

  @Public()
  @Get('login')
  loginPage(@Req() req: Request, @Res() res: Response, @Query('next') next?: string) {
    if (req.actor) return res.redirect(303, req.actor.kind === 'household' ? '/villager' : safeNext(next));
    res.render('auth/login', { title: '登录', next: safeNext(next, '') });
  }

  @Public()
  @Post('login')
  async login(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, string>) {
    await submitForm(
      res,
      { view: 'auth/login', context: () => ({ title: '登录', next: safeNext(body.next, '') }), values: body },
      async () => {
        const dto = await parseForm(LoginDto, body);
        const user = await this.auth.loginStaff(dto.username, dto.password, loginClient(req, res));
        await this.sessions.startIn(req, res, { userId: user.id });
        return { redirect: safeNext(body.next), message: `欢迎，${user.displayName}` };
      },
    );
  }

  @Public()
  @Post('logout')
  async logout(@Req() req: Request, @Res() res: Response) {
    if (req.browserSessionId) await this.sessions.close(req.browserSessionId);
    setSessionCookie(req, res, newSessionId());
    redirectWithFlash(res, req.actor?.kind === 'household' ? '/villager' : '/login', '您已安全退出');
  }

  @Get('account/password')
  @Allow(Permission.Account.ManageOwn)
  @Render('auth/password')
  passwordPage() {
    return { title: '修改密码' };
  }

  @Post('account/password')
  @Allow(Permission.Account.ManageOwn)
  async changePassword(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Record<string, string>,
  ) {
    await submitForm(
      res,
      { view: 'auth/password', context: () => ({ title: '修改密码' }), values: body },
      async () => {
        const dto = await parseForm(ChangePasswordDto, body);
        await this.auth.changePassword(actor, dto.currentPassword, dto.newPassword);
        // Every old login has ended; this browser gets a new one so that the person stays logged in here.
        await this.sessions.startIn(req, res, { userId: actor.id });
        return { redirect: '/', message: '密码已修改，其他设备上的登录已失效' };
      },
    );
  }

  /** The 大字 switch: remembered for a year in a cookie, works without JavaScript. */
  @Public()
  @Post('prefs/text-size')
  toggleTextSize(@Req() req: Request, @Res() res: Response, @Body('back') back?: string) {
    const big = req.cookies?.[TEXT_SIZE_COOKIE] !== '1';
    res.cookie(TEXT_SIZE_COOKIE, big ? '1' : '0', {
      maxAge: 365 * 24 * 3600 * 1000,
      sameSite: 'lax',
      path: '/',
      httpOnly: true,
    });
    res.redirect(303, safeNext(back));
  }
}

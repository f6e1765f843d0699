import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ALLOW_KEY } from '../access/allow.js';
import { can, type Permission } from '../access/permissions.js';
import { DomainError } from '../common/domain-error.js';
import { isApiRequest } from '../common/requests.js';
import { Settings } from '../config/settings.js';
import { PUBLIC_KEY } from './decorators.js';
import { csrfTokenFor, sameText } from './token.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Login required unless @Public(); @Allow() names the permissions that let a person in (a route with neither lets
 * nobody in); page forms must carry the CSRF token of their session.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly settings: Settings,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (!isApiRequest(req) && !SAFE_METHODS.has(req.method)) this.checkCsrf(req);
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    if (!req.actor) throw new DomainError('UNAUTHENTICATED', '请先登录');
    const allowed = this.reflector.getAllAndOverride<Permission[] | undefined>(ALLOW_KEY, targets) ?? [];
    if (!allowed.some((permission) => can(req.actor, permission))) throw DomainError.forbidden();
    return true;
  }

  private checkCsrf(req: Request): void {
    // Multipart forms (file uploads) are parsed after the guards run: they alone carry the token in the query string
    // (a token in an address leaks through logs and Referer headers, so no other form may).
    const given =
      (req.body?._csrf as string | undefined) ??
      (req.headers['x-csrf-token'] as string | undefined) ??
      (req.is('multipart/form-data') ? (req.query?._csrf as string | undefined) : undefined) ??
      '';
    const expected = req.browserSessionId
      ? csrfTokenFor(this.settings.sessionSecret, req.browserSessionId)
      : null;
    if (!expected || typeof given !== 'string' || !sameText(given, expected)) {
      throw DomainError.forbidden('页面已过期或来源不明，请刷新页面后再提交');
    }
  }
}

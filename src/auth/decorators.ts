import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../access/actor.js';
import type { Role } from '../access/role.js';

export const PUBLIC_KEY = 'vp:public';
export const ROLES_KEY = 'vp:roles';

/** Open to visitors with no login. Everything else needs one. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the route (scope is checked separately). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest<Request>().actor as Actor;
});

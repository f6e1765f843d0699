import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '../access/actor.js';

export const PUBLIC_KEY = 'vp:public';

/** Open to visitors with no login. Everything else needs one. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest<Request>().actor as Actor;
});

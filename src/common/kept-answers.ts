import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { type Observable, tap } from 'rxjs';
import { type CacheScope, ReadCache } from '../database/read-cache.js';

/**
 * 留存的回答 (decision 006): the answer of a public JSON read that anyone may ask and only a write in its village
 * changes (the goods catalogue), kept as the text that was sent and sent again as it is, before the framework runs,
 * until a write in its scope. The first request of each address goes the whole way (guards, validation, the handler):
 * only an address that was answered 200 is ever kept, and the same address then gets the same answer.
 */
const KEEP_ANSWER = 'vp:keepAnswer';

/** What a kept answer's address depends on, from its query as it came (before validation). */
export type AnswerScope = (query: Record<string, unknown>) => CacheScope;

const answerKey = (url: string) => `answer:${url}`;

/**
 * Marks a public GET route whose JSON answer is the same for everyone and changes only with a write in `scope`: its
 * answers are kept and sent again by `keptAnswers` below.
 */
export const KeepAnswer = (scope: AnswerScope) =>
  applyDecorators(SetMetadata(KEEP_ANSWER, scope), UseInterceptors(KeptAnswerInterceptor));

/** Keeps the JSON text of a marked route's answer, stamped with where its scope's writes stood before it was read. */
@Injectable()
export class KeptAnswerInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly cache: ReadCache,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const scopeOf = this.reflector.get<AnswerScope | undefined>(KEEP_ANSWER, context.getHandler());
    const req = context.switchToHttp().getRequest<Request>();
    if (!scopeOf || req.method !== 'GET') return next.handle();
    const scope = scopeOf(req.query as Record<string, unknown>);
    const stamp = this.cache.stampOf(scope);
    // Express sends a value as JSON.stringify does (no replacer, no spaces are set): the kept text is that answer.
    return next
      .handle()
      .pipe(
        tap((value) => this.cache.keepAt(answerKey(req.originalUrl), scope, stamp, JSON.stringify(value))),
      );
  }
}

/**
 * Sends a kept answer before anything else runs, for a GET without credentials (the API reads only the bearer token,
 * and a marked route is public; a request that carries one goes the whole way, as before). Goes after the security
 * headers, so a kept answer carries the same headers as a fresh one.
 */
export function keptAnswers(cache: ReadCache) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' || req.headers.authorization !== undefined || !req.url.startsWith('/api/'))
      return next();
    const kept = cache.peek(answerKey(req.url));
    if (typeof kept !== 'string') return next();
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(kept));
    res.end(kept);
  };
}

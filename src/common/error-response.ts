import { HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { JSON_MAX_DEPTH } from './bounds.js';
import { DomainError, ErrorCode } from './domain-error.js';
import { isApiRequest } from './requests.js';

const logger = new Logger('Errors');

const NEST_STATUS_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: '提交的内容格式不正确',
  UNAUTHENTICATED: '请先登录',
  FORBIDDEN: '您没有权限进行此操作',
  NOT_FOUND: '您要找的页面或记录不存在',
  PAYLOAD_TOO_LARGE: '提交的内容太大',
  UNSUPPORTED_MEDIA_TYPE: '不支持这种提交格式',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  INTERNAL: '系统出了点问题，请稍后再试。如果一直这样，请联系管理员。',
};

/** Refusals of body-parser (and of the depth check in its verify hook, bounds.ts), by their type. */
const BODY_MESSAGES: Record<string, string> = {
  'entity.parse.failed': '提交的 JSON 格式不正确',
  'entity.too.deep': `提交的 JSON 嵌套太深（最多 ${JSON_MAX_DEPTH} 层）`,
};

/** Any thrown thing as a DomainError: known refusals keep their code; everything unexpected becomes INTERNAL. */
export function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof HttpException) {
    const code = NEST_STATUS_CODES[error.getStatus()];
    if (code) return new DomainError(code, MESSAGES[code] as string);
  }
  // body-parser and friends: broken JSON, a body too large, an unknown charset.
  const status =
    (error as { status?: number; statusCode?: number })?.status ??
    (error as { statusCode?: number })?.statusCode;
  const type = (error as { type?: string })?.type;
  if (status && status >= 400 && status < 500 && type) {
    const code = NEST_STATUS_CODES[status] ?? 'VALIDATION_FAILED';
    return new DomainError(code, BODY_MESSAGES[type] ?? (MESSAGES[code] as string));
  }
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return new DomainError('INTERNAL', MESSAGES.INTERNAL as string);
}

/** One error handler, two renderings: JSON in the API.md shape, or a page (a visitor asked to log in first). */
export function sendError(error: unknown, req: Request, res: Response): void {
  const e = toDomainError(error);
  if (res.headersSent) return;
  if (e.code === 'RATE_LIMITED' && typeof e.details.retryAfterSeconds === 'number') {
    res.setHeader('Retry-After', String(e.details.retryAfterSeconds));
  }
  if (isApiRequest(req)) {
    res.status(e.status).json({ error: { code: e.code, message: e.message, details: e.details } });
    return;
  }
  if (e.code === 'UNAUTHENTICATED' && req.method === 'GET') {
    const login = req.path.startsWith('/villager') ? '/villager' : '/login';
    res.redirect(303, `${login}?next=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  // A link typed or edited by hand (a wrong date or page in the address): say what is wrong, and offer the page
  // without it.
  const problems = Object.values(e.details).filter((v): v is string => typeof v === 'string');
  res.status(e.status).render('errors/error', {
    title: e.status === 404 ? '页面不存在' : '出错了',
    status: e.status,
    message: e.message,
    problems,
    retry: req.method === 'GET' && problems.length > 0 && req.path !== req.originalUrl ? req.path : null,
  });
}

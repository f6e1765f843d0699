import type { NextFunction, Request, Response } from 'express';
import { assertWithinBounds, NUL_MESSAGE } from './bounds.js';
import { DomainError } from './domain-error.js';
import { sendError } from './error-response.js';

/**
 * Every request's body, query and address, before any guard or handler reads them (the scope guard queries the
 * database with the ids it finds): NUL in text and numbers beyond an integer column get the same 400 on SQLite and
 * PostgreSQL.
 */
export function boundedInput(req: Request, res: Response, next: NextFunction): void {
  try {
    // `%00` in the path: a NUL in a path parameter.
    if (req.path.includes('%00')) throw DomainError.validation({ path: NUL_MESSAGE });
    assertWithinBounds(req.query);
    assertWithinBounds(req.body);
  } catch (error) {
    sendError(error, req, res);
    return;
  }
  next();
}

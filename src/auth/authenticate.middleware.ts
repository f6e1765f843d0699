import type { NextFunction, Request, Response } from 'express';
import { isApiRequest } from '../common/requests.js';
import { Settings } from '../config/settings.js';
import { AuthService } from './auth.service.js';
import { SESSION_COOKIE, setSessionCookie } from './cookies.js';
import { newSessionId } from './sessions.service.js';
import { csrfTokenFor } from './token.js';

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * Finds who is asking before any route runs (so that even the 404 page knows): the API by bearer token only,
 * pages by session cookie only. Every browser gets a session id, logged in or not, to bind CSRF tokens to.
 */
export function authenticate(auth: AuthService, settings: Settings) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const ip = req.ip ?? null;
      if (isApiRequest(req)) {
        const header = req.headers.authorization ?? '';
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        if (match) req.actor = (await auth.actorFromToken(match[1], ip)) ?? undefined;
        return next();
      }
      let sessionId = req.cookies?.[SESSION_COOKIE] as string | undefined;
      if (sessionId && SESSION_ID.test(sessionId)) {
        req.actor = (await auth.actorFromSession(sessionId, ip)) ?? undefined;
      } else {
        sessionId = newSessionId();
        setSessionCookie(req, res, sessionId);
      }
      req.browserSessionId = sessionId;
      res.locals.csrfToken = csrfTokenFor(settings.sessionSecret, sessionId);
      res.locals.actor = req.actor;
      next();
    } catch (error) {
      next(error);
    }
  };
}

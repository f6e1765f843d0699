import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'vp_sid';

/** HttpOnly, SameSite=Lax, and Secure whenever the request came over HTTPS (directly or through a local proxy). */
export function setSessionCookie(req: Request, res: Response, id: string, maxAgeMs?: number): void {
  res.cookie(SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/',
    maxAge: maxAgeMs,
  });
}

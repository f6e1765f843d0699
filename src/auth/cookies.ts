import type { Request, Response } from 'express';
import type { LoginClient } from './known-device.js';

export const SESSION_COOKIE = 'vp_sid';
/** Marks a browser that accounts logged in from before (known-device.ts): kept a year. */
export const DEVICE_COOKIE = 'vp_device';

/** HttpOnly, SameSite=Lax, and Secure whenever the request came over HTTPS (directly or through a trusted proxy). */
export function setSessionCookie(req: Request, res: Response, id: string, maxAgeMs?: number): void {
  res.cookie(SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/',
    maxAge: maxAgeMs,
  });
}

/** Where a login comes from: the address (X-Forwarded-For only under TRUST_PROXY) and the device cookie. */
export function loginClient(req: Request, res: Response): LoginClient {
  return {
    ip: req.ip ?? null,
    device: req.cookies?.[DEVICE_COOKIE],
    remember: (device) =>
      res.cookie(DEVICE_COOKIE, device, {
        httpOnly: true,
        sameSite: 'lax',
        secure: req.secure,
        path: '/',
        maxAge: 365 * 24 * 3600 * 1000,
      }),
  };
}

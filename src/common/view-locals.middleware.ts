import type { NextFunction, Request, Response } from 'express';
import { ROLE_LABELS } from '../access/role.js';
import { FLASH_COOKIE } from './forms.js';
import { groupedNavigation, navigationFor } from './navigation.js';
import { isApiRequest } from './requests.js';

/** The 大字 (large text) setting a browser keeps, switched on the login page. */
export const TEXT_SIZE_COOKIE = 'vp_big';

/** What every page's layout needs: navigation for the role, the 大字 setting, and a one-time message. */
export function viewLocals(req: Request, res: Response, next: NextFunction): void {
  if (isApiRequest(req)) return next();
  const nav = navigationFor(req.actor, req.path);
  res.locals.nav = nav;
  res.locals.navEntries = groupedNavigation(nav);
  res.locals.bigText = req.cookies?.[TEXT_SIZE_COOKIE] === '1';
  res.locals.currentPath = req.originalUrl;
  res.locals.actorRoleLabel = req.actor ? ROLE_LABELS[req.actor.role] : '';
  const flash = req.cookies?.[FLASH_COOKIE] as string | undefined;
  if (flash) {
    try {
      res.locals.flash = decodeURIComponent(flash).slice(0, 300);
    } catch {
      res.locals.flash = undefined;
    }
    res.clearCookie(FLASH_COOKIE, { path: '/' });
  }
  next();
}

import type { Actor } from '../access/actor.js';

declare global {
  namespace Express {
    interface Request {
      /** Set by the authentication middleware when a session cookie or bearer token is valid. */
      actor?: Actor;
      /** The browser's session id (cookie), logged in or not: CSRF tokens are bound to it. */
      browserSessionId?: string;
    }
  }
}

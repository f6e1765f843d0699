import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { DataSource, LessThan } from 'typeorm';
import { raw } from '../database/raw.js';
import { setSessionCookie } from './cookies.js';
import { Session } from './session.entity.js';

const STAFF_SESSION_MS = 12 * 3600 * 1000;
/** Elderly villagers should not have to type the PIN every day. */
const HOUSEHOLD_SESSION_MS = 30 * 24 * 3600 * 1000;

export const hashSessionId = (id: string) => createHash('sha256').update(id).digest('hex');
export const newSessionId = () => randomBytes(32).toString('base64url');

/** Who a session is: a staff account, or a household (through one of its proxies, 亲属代办, when `proxyId` is set). */
export type SessionSubject = { userId: number } | { householdId: number; proxyId?: number | null };

/** Page logins: a random id in the cookie, its hash in `login_session`. */
@Injectable()
export class SessionsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A fresh id on every login, so that an id planted before login is worth nothing after it. */
  async open(subject: SessionSubject): Promise<{ id: string; maxAgeMs: number }> {
    const id = newSessionId();
    const maxAgeMs = 'userId' in subject ? STAFF_SESSION_MS : HOUSEHOLD_SESSION_MS;
    await this.dataSource.getRepository(Session).insert({
      idHash: hashSessionId(id),
      userId: 'userId' in subject ? subject.userId : null,
      householdId: 'householdId' in subject ? subject.householdId : null,
      proxyId: 'householdId' in subject ? (subject.proxyId ?? null) : null,
      expiresAt: Date.now() + maxAgeMs,
    });
    return { id, maxAgeMs };
  }

  /** Logs this browser in: the session id it had before login is dropped and a new one set. */
  async startIn(req: Request, res: Response, subject: SessionSubject): Promise<void> {
    if (req.browserSessionId) await this.close(req.browserSessionId);
    const session = await this.open(subject);
    setSessionCookie(req, res, session.id, session.maxAgeMs);
  }

  /** Read on every page request: a plain query by the hash (the primary key). */
  async find(id: string): Promise<Pick<Session, 'userId' | 'householdId' | 'proxyId'> | null> {
    const [session] = await raw<{
      userId: number | null;
      householdId: number | null;
      proxyId: number | null;
      expiresAt: string | number;
    }>(
      this.dataSource,
      'SELECT "userId", "householdId", "proxyId", "expiresAt" FROM login_session WHERE "idHash" = $1',
      [hashSessionId(id)],
    );
    return session && Number(session.expiresAt) > Date.now() ? session : null;
  }

  async close(id: string): Promise<void> {
    await this.dataSource.getRepository(Session).delete({ idHash: hashSessionId(id) });
  }

  /** Logs a person out everywhere: after a password change, a PIN reset or a deactivation. */
  async closeAllFor(subject: { userId: number } | { householdId: number }): Promise<void> {
    await this.dataSource.getRepository(Session).delete(subject);
  }

  /** Logs out everywhere the household's proxy is logged in (the committee ended them). */
  async closeProxy(proxyId: number): Promise<void> {
    await this.dataSource.getRepository(Session).delete({ proxyId });
  }

  async purgeExpired(): Promise<void> {
    await this.dataSource.getRepository(Session).delete({ expiresAt: LessThan(Date.now()) });
  }
}

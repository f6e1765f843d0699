import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor, HouseholdActor, StaffActor } from '../access/actor.js';
import { HOUSEHOLD_ROLE } from '../access/role.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { Settings } from '../config/settings.js';
import type { Household } from '../households/household.entity.js';
import {
  actingProxiesWithPins,
  actingProxy,
  type ActingProxy,
  householdByCode,
  householdLogin,
} from '../households/household-logins.js';
import { ReadCache } from '../database/read-cache.js';
import { User } from '../users/user.entity.js';
import {
  activeStaff,
  setStaffPassword,
  type StaffFields,
  staffByUsername,
  staffWithSecret,
} from '../users/staff-logins.js';
import { keptVillage } from '../villages/kept-village.js';
import { type KnownDevice, type LoginClient, readDevice, rememberedDevice } from './known-device.js';
import {
  failureMessage,
  LOGIN_LIMITS,
  LoginThrottle,
  type ThrottleKey,
  throttleKey,
} from './login-throttle.js';
import { hashSecret, verifySecret } from './password.js';
import { SessionsService } from './sessions.service.js';
import { issueToken, readToken } from './token.js';

const STAFF_TOKEN_SECONDS = 12 * 3600;
const HOUSEHOLD_TOKEN_SECONDS = 7 * 24 * 3600;

export function staffActor(user: StaffFields, ip: string | null): StaffActor {
  return {
    kind: 'user',
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    townshipId: user.townshipId,
    villageId: user.villageId,
    householdId: user.householdId,
    ip,
  };
}

/** Logins (staff by password, households by code + PIN), bearer tokens and who a request comes from. */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: Settings,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly throttle: LoginThrottle,
    private readonly cache: ReadCache,
  ) {}

  async loginStaff(username: string, password: string, client: LoginClient): Promise<User> {
    const { ip } = client;
    const name = username.trim();
    const account = throttleKey('u', name.toLowerCase());
    const device = readDevice(this.settings.sessionSecret, client.device);
    // Counted before the password is checked: guesses sent all at once get no more checks than the limit.
    const tries = await this.throttle.reserve(throttleKeys(account, device, ip));
    const user = await staffByUsername(this.dataSource, name);
    const ok = await verifySecret(password, user?.passwordHash);
    if (!user || !ok) {
      await this.audit.record(
        { kind: 'anonymous', name: name.slice(0, 40) || '(空)', ip },
        {
          action: 'auth.login_failed',
          entityType: 'user',
          entityId: user?.id ?? null,
          villageId: user?.villageId,
        },
      );
      throw new DomainError('UNAUTHENTICATED', failureMessage('用户名或密码错误', tries));
    }
    // The right password of an account that may not log in is no guess: the try is given back.
    if (!user.active) await this.throttle.refund(tries);
    if (!user.active)
      throw new DomainError(
        'UNAUTHENTICATED',
        user.awaitingConfirmation ? '账号等待乡镇确认，确认后才能登录' : '该账号已停用，请联系管理员',
      );
    await this.throttle.succeeded(tries);
    client.remember(rememberedDevice(this.settings.sessionSecret, device, account));
    await this.audit.record(staffActor(user, ip), {
      action: 'auth.login',
      entityType: 'user',
      entityId: user.id,
      townshipId: user.townshipId,
      villageId: user.villageId,
    });
    return user;
  }

  async loginHousehold(
    code: string,
    pin: string,
    client: LoginClient,
  ): Promise<{ actor: HouseholdActor; household: Household; proxyId: number | null }> {
    const { ip } = client;
    const cleanCode = code.trim().toUpperCase();
    const account = throttleKey('h', cleanCode);
    const device = readDevice(this.settings.sessionSecret, client.device);
    const tries = await this.throttle.reserve(throttleKeys(account, device, ip));
    const household = await householdByCode(this.dataSource, cleanCode);
    const own = await verifySecret(pin, household?.pinHash);
    // Not the household's own PIN: perhaps the PIN of someone it named to act for it (亲属代办).
    const proxy = household && !own ? await this.proxyByPin(household.id, pin) : null;
    const login = household && (own || proxy) ? await this.householdWithVillage(household.id) : null;
    const actor = login ? householdActor(login, ip, proxy) : null;
    if (!actor) {
      await this.audit.record(
        { kind: 'anonymous', name: `户 ${cleanCode.slice(0, 30)}`, ip },
        {
          action: 'auth.villager_login_failed',
          entityType: 'household',
          entityId: household?.id ?? null,
          villageId: household?.villageId,
        },
      );
      throw new DomainError('UNAUTHENTICATED', failureMessage('户号或密码(PIN)错误', tries));
    }
    await this.throttle.succeeded(tries);
    client.remember(rememberedDevice(this.settings.sessionSecret, device, account));
    await this.audit.record(actor, {
      action: 'auth.villager_login',
      entityType: 'household',
      entityId: actor.id,
      townshipId: actor.townshipId,
      villageId: actor.villageId,
    });
    return { actor, household: household as Household, proxyId: proxy?.id ?? null };
  }

  /** The active proxy of the household whose PIN this is (a household names at most a few). */
  private async proxyByPin(householdId: number, pin: string): Promise<ActingProxy | null> {
    for (const p of await actingProxiesWithPins(this.dataSource, householdId))
      if (await verifySecret(pin, p.pinHash)) return { id: p.id, name: p.name };
    return null;
  }

  /** A proxy still acting for the household, or null once the committee ended it. */
  private activeProxy(householdId: number, proxyId: number): Promise<ActingProxy | null> {
    return actingProxy(this.dataSource, householdId, proxyId);
  }

  /** A bearer token; for a household's proxy the token names the proxy too, and stops when the proxy is ended. */
  tokenFor(subject: User | Household, proxyId: number | null = null): string {
    const now = Math.floor(Date.now() / 1000);
    return subject instanceof User
      ? issueToken(this.settings.sessionSecret, {
          sub: `u:${subject.id}`,
          ver: subject.tokenVersion,
          exp: now + STAFF_TOKEN_SECONDS,
        })
      : issueToken(this.settings.sessionSecret, {
          sub: proxyId ? `h:${subject.id}:${proxyId}` : `h:${subject.id}`,
          ver: subject.pinVersion,
          exp: now + HOUSEHOLD_TOKEN_SECONDS,
        });
  }

  /** The actor of a bearer token, or null when it is forged, expired, or revoked by a password change. */
  async actorFromToken(token: string, ip: string | null): Promise<Actor | null> {
    const claims = readToken(this.settings.sessionSecret, token);
    if (!claims) return null;
    const [kind, rawId, rawProxy] = claims.sub.split(':');
    const id = Number(rawId);
    if (kind === 'u') {
      const user = await this.activeUser(id);
      return user && Number(user.tokenVersion) === claims.ver ? staffActor(user, ip) : null;
    }
    const household = await this.householdWithVillage(id);
    if (!household || Number(household.pinVersion) !== claims.ver) return null;
    if (rawProxy === undefined) return householdActor(household, ip);
    const proxy = await this.activeProxy(household.id, Number(rawProxy));
    return proxy ? householdActor(household, ip, proxy) : null;
  }

  /** Read on every page request: one plain query for the session, one for the person (with the village). */
  async actorFromSession(sessionId: string, ip: string | null): Promise<Actor | null> {
    const session = await this.sessions.find(sessionId);
    if (!session) return null;
    if (session.userId !== null) {
      const user = await this.activeUser(session.userId);
      return user ? staffActor(user, ip) : null;
    }
    const household = await this.householdWithVillage(session.householdId ?? 0);
    if (!household) return null;
    if (session.proxyId === null || session.proxyId === undefined) return householdActor(household, ip);
    const proxy = await this.activeProxy(household.id, Number(session.proxyId));
    return proxy ? householdActor(household, ip, proxy) : null;
  }

  /** Changing one's password ends every other login: old tokens and sessions stop working. */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    if (actor.kind !== 'user') throw DomainError.forbidden('村民请联系村两委重置密码(PIN)');
    const user = await staffWithSecret(this.dataSource, actor.id);
    if (!(await verifySecret(currentPassword, user.passwordHash))) {
      throw DomainError.validation({ currentPassword: '当前密码不正确' }, '当前密码不正确');
    }
    await setStaffPassword(this.dataSource, user, await hashSecret(newPassword));
    await this.sessions.closeAllFor({ userId: user.id });
    await this.audit.record(actor, {
      action: 'user.password_change',
      entityType: 'user',
      entityId: user.id,
      townshipId: user.townshipId,
      villageId: user.villageId,
    });
  }

  private activeUser(id: number): Promise<(StaffFields & { tokenVersion: number }) | null> {
    return activeStaff(this.dataSource, id);
  }

  /**
   * A household with what its login needs of its village; none when the village is closed. The village comes from
   * the read cache (dropped by any write in the village, closing it included): one query per request, as before.
   */
  private async householdWithVillage(id: number): Promise<HouseholdLogin | null> {
    const row = await householdLogin(this.dataSource, id);
    const village = row ? await keptVillage(this.cache, this.dataSource, row.villageId) : null;
    return row && village?.active ? { ...row, townshipId: village.townshipId } : null;
  }
}

/**
 * What one login attempt counts against: the account, or instead the device when the account logged in from it
 * before (strangers' guesses then do not lock its owner out of it), and always the address.
 */
function throttleKeys(account: string, device: KnownDevice | null, ip: string | null): ThrottleKey[] {
  const person = device?.accounts.includes(account)
    ? { key: `d:${device.id}:${account}`, limit: LOGIN_LIMITS.device, personal: true }
    : { key: account, limit: LOGIN_LIMITS.account, personal: true };
  return [person, { key: throttleKey('ip', ip ?? 'unknown'), limit: LOGIN_LIMITS.address, personal: false }];
}

interface HouseholdLogin {
  id: number;
  code: string;
  headName: string;
  pinVersion: number;
  villageId: number;
  townshipId: number;
}

function householdActor(
  household: HouseholdLogin,
  ip: string | null,
  proxy: ActingProxy | null = null,
): HouseholdActor {
  return {
    kind: 'household',
    id: household.id,
    code: household.code,
    // The audit log names the actor by this: a proxy's actions stand under the proxy's own name.
    displayName: proxy ? `${proxy.name}（代${household.headName}家）` : household.headName,
    proxy,
    role: HOUSEHOLD_ROLE,
    townshipId: household.townshipId,
    villageId: household.villageId,
    householdId: household.id,
    ip,
  };
}

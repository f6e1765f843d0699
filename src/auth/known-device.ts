import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A browser or app that an account logged in from before: a random device id and the accounts (their throttle keys,
 * `u:<username>` or `h:<code>`) that logged in on it, signed so that nobody can add an account to it. Such a device
 * keeps its own small count of failures instead of the account's, so strangers guessing at an account do not lock
 * its owner out of the phone or office computer they always use.
 */
export interface KnownDevice {
  id: string;
  accounts: string[];
}

/** Where a login comes from, as the controllers see it; the service needs no request or response. */
export interface LoginClient {
  ip: string | null;
  /** The device cookie as sent, if any (checked here, never trusted as is). */
  device?: unknown;
  /** Keeps the device's new cookie after a successful login. */
  remember(device: string): void;
}

/** A shared computer in a village office sees a handful of accounts; the oldest drop out beyond this. */
const MAX_ACCOUNTS = 10;
const DEVICE_ID = /^[A-Za-z0-9_-]{22}$/;

function sign(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`device:${body}`).digest();
}

/** The device of a well-signed cookie; null for none, a forged one or anything malformed. */
export function readDevice(secret: string, value: unknown): KnownDevice | null {
  if (typeof value !== 'string' || value.length > 2000) return null;
  const [body, signature, extra] = value.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const given = Buffer.from(signature, 'base64url');
  const expected = sign(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const device = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as KnownDevice;
    if (typeof device.id !== 'string' || !DEVICE_ID.test(device.id) || !Array.isArray(device.accounts))
      return null;
    const accounts = device.accounts.filter((a): a is string => typeof a === 'string').slice(0, MAX_ACCOUNTS);
    return { id: device.id, accounts };
  } catch {
    return null;
  }
}

/** The cookie after `account` logged in on the device (a new device when there was none). */
export function rememberedDevice(secret: string, device: KnownDevice | null, account: string): string {
  const next: KnownDevice = {
    id: device?.id ?? randomBytes(16).toString('base64url'),
    accounts: [account, ...(device?.accounts ?? []).filter((a) => a !== account)].slice(0, MAX_ACCOUNTS),
  };
  const body = Buffer.from(JSON.stringify(next)).toString('base64url');
  return `${body}.${sign(secret, body).toString('base64url')}`;
}

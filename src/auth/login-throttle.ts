import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { isPostgres, raw } from '../database/raw.js';
import { Transactions } from '../database/transactions.js';

export interface ThrottleLimit {
  /** Failures allowed inside one window. */
  limit: number;
  windowMs: number;
}

const TEN_MINUTES = 10 * 60 * 1000;

export const LOGIN_LIMITS = {
  /** Guesses at one account (a username or a household code) from anywhere but the account's known devices. */
  account: { limit: 5, windowMs: TEN_MINUTES },
  /** A device the account logged in from before: its own small count, untouched by strangers' guesses. */
  device: { limit: 5, windowMs: TEN_MINUTES },
  /** One address: far above a village office's traffic (several staff and a queue of villagers behind one NAT). */
  address: { limit: 100, windowMs: TEN_MINUTES },
} satisfies Record<string, ThrottleLimit>;

export interface ThrottleKey {
  key: string;
  limit: ThrottleLimit;
  /** Cleared when the login succeeds (an account's or a device's count); an address's count only gets this try back. */
  personal: boolean;
}

interface Reserved extends ThrottleKey {
  failures: number;
  windowStart: number;
}

/** The tries one login attempt holds: counted as failures before the secret is checked. */
export interface Reservation {
  keys: Reserved[];
  at: number;
}

/**
 * A key for a value typed by anyone: readable when it is plain printable ASCII, otherwise its hash (a NUL byte or a
 * long oddity never reaches the database as text).
 */
export function throttleKey(kind: 'u' | 'h' | 'ip', value: string): string {
  return /^[\x21-\x7e]{1,80}$/.test(value)
    ? `${kind}:${value}`
    : `${kind}#${createHash('sha256').update(value).digest('hex').slice(0, 40)}`;
}

/** How many more failures the tightest of the attempt's keys allows. */
export function triesLeft(reservation: Reservation): number {
  return Math.max(0, Math.min(...reservation.keys.map((k) => k.limit.limit - k.failures)));
}

/** The answer to a wrong secret: how many tries remain, or how long to wait once none does. */
export function failureMessage(base: string, reservation: Reservation): string {
  const left = triesLeft(reservation);
  if (left > 0) return `${base}，还可以再试 ${left} 次`;
  const spent = reservation.keys.filter((k) => k.failures >= k.limit.limit);
  const waitMs = Math.max(...spent.map((k) => k.windowStart + k.limit.windowMs - reservation.at));
  return `${base}，错误次数过多，请 ${Math.max(1, Math.ceil(waitMs / 60_000))} 分钟后再试`;
}

/** Once a minute at most, each process drops the counts whose window has ended. */
const PRUNE_EVERY_MS = 60_000;

/**
 * Counts failed logins per key in the database (`login_attempt`), so that every server process sees one count and a
 * restart forgets nothing. A try is reserved BEFORE the secret is checked, all keys at once or none, by one guarded
 * upsert per key: a burst of guesses sent together gets no more checks than the limit, on SQLite and PostgreSQL alike.
 * A window starts at a key's first failure and lasts its windowMs; at the limit the key is refused until it ends.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger('LoginThrottle');
  private lastPrune = 0;
  now: () => number = Date.now;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
  ) {}

  /** Counts this try as a failure on every key, or refuses (RATE_LIMITED, nothing counted) when one is at its limit. */
  async reserve(keys: ThrottleKey[]): Promise<Reservation> {
    const at = this.now();
    await this.pruneWhenDue(at);
    // The same order everywhere, so that two attempts sharing keys never wait on each other's rows (PostgreSQL).
    const sorted = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const reserved = await this.transactions.run(async (manager) => {
      const taken: Reserved[] = [];
      for (const k of sorted) {
        const cutoff = at - k.limit.windowMs;
        // A new window when the old one has ended, one more failure while under the limit, no row at the limit.
        const [row] = await raw<{ failures: number | string; windowStart: number | string }>(
          manager,
          `INSERT INTO login_attempt ("key", failures, "windowStart") VALUES ($1, 1, $2)
            ON CONFLICT ("key") DO UPDATE SET
              failures = CASE WHEN login_attempt."windowStart" <= $3 THEN 1 ELSE login_attempt.failures + 1 END,
              "windowStart" = CASE WHEN login_attempt."windowStart" <= $4 THEN $5 ELSE login_attempt."windowStart" END
            WHERE login_attempt."windowStart" <= $6 OR login_attempt.failures < $7
            RETURNING failures, "windowStart"`,
          [k.key, at, cutoff, cutoff, at, cutoff, k.limit.limit],
        );
        if (!row) {
          const [held] = await raw<{ windowStart: number | string }>(
            manager,
            'SELECT "windowStart" FROM login_attempt WHERE "key" = $1',
            [k.key],
          );
          const wait = Math.max(
            1,
            Math.ceil((Number(held?.windowStart ?? at) + k.limit.windowMs - at) / 1000),
          );
          // Thrown inside the transaction: the keys already counted for this try are rolled back with it.
          throw new DomainError('RATE_LIMITED', `登录失败次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试`, {
            retryAfterSeconds: wait,
          });
        }
        taken.push({ ...k, failures: Number(row.failures), windowStart: Number(row.windowStart) });
      }
      return taken;
    });
    return { keys: reserved, at };
  }

  /** The secret was right: the account's and the device's counts start again, the address gets its try back. */
  async succeeded(reservation: Reservation): Promise<void> {
    await this.giveBack(reservation, (k) => k.personal);
  }

  /** The try was not a guess (the right password of a deactivated account): every key gets it back. */
  async refund(reservation: Reservation): Promise<void> {
    await this.giveBack(reservation, () => false);
  }

  private async giveBack(reservation: Reservation, clear: (k: Reserved) => boolean): Promise<void> {
    await this.transactions.run(async (manager) => {
      for (const k of reservation.keys) {
        if (clear(k)) await raw(manager, 'DELETE FROM login_attempt WHERE "key" = $1', [k.key]);
        else
          await raw(
            manager,
            `UPDATE login_attempt SET failures = failures - 1
              WHERE "key" = $1 AND "windowStart" = $2 AND failures > 0`,
            [k.key, k.windowStart],
          );
      }
    });
  }

  /** Housekeeping: never blocks a login, never waits on a row another login holds (SKIP LOCKED on PostgreSQL). */
  private async pruneWhenDue(now: number): Promise<void> {
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    const cutoff = now - Math.max(...Object.values(LOGIN_LIMITS).map((l) => l.windowMs));
    const sql = isPostgres(this.dataSource)
      ? `DELETE FROM login_attempt WHERE "key" IN
          (SELECT "key" FROM login_attempt WHERE "windowStart" <= $1 LIMIT 1000 FOR UPDATE SKIP LOCKED)`
      : 'DELETE FROM login_attempt WHERE "windowStart" <= $1';
    await this.transactions
      .run((manager) => raw(manager, sql, [cutoff]))
      .catch((error: unknown) => {
        this.logger.warn(`pruning login attempts failed: ${String(error)}`);
      });
  }
}

import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;

/**
 * N=2^15 takes about 50 ms here: slow for a guesser, unnoticeable at login. Stored as scrypt$N$r$p$salt$hash, so a
 * check reads the N a secret was hashed with. The test harness hashes with 2^10 (SECRET_HASH_COST, settings.ts):
 * at 2^15 hashing took four fifths of an end-to-end file's time (the rankings spec: 38 s, and 7 s at 2^10).
 */
export const SECRET_HASH_COST = 15;
const COST = { N: 2 ** SECRET_HASH_COST, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

/** Sets log2 of scrypt's N for secrets hashed from now on (the app does this once at start, from its settings). */
export function useSecretHashCost(log2N: number): void {
  COST.N = 2 ** log2N;
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret.normalize('NFC'), salt, KEY_LENGTH, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifySecret(secret: string, stored: string | null | undefined): Promise<boolean> {
  const parts = (stored ?? '').split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    // Spend the same time as a real check so that unknown accounts cannot be told apart by timing.
    await hashSecret(secret);
    return false;
  }
  const [, N, r, p, salt, hash] = parts;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(secret.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, {
    N: Number(N),
    r: Number(r),
    p: Number(p),
    maxmem: COST.maxmem,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

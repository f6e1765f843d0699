import { randomInt } from 'node:crypto';
import { hashSecret } from '../auth/password.js';

/** A villager's login PIN: what the committee reads out or copies from a spreadsheet. */
export const PIN_PATTERN = /^\d{4,8}$/;
export const PIN_RULE = '密码(PIN)应为 4–8 位数字';

/** A PIN the committee can read out: six digits. */
export const newPin = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/**
 * scrypt runs on libuv's thread pool (4 threads by default), which file reads and other requests' logins share:
 * two at a time keeps a bulk import from taking all of it.
 */
const HASH_POOL = 2;

/** Hashes many PINs, a few at a time; a null (no PIN) stays null. The order of the answer is the order given. */
export async function hashPins(pins: (string | null)[]): Promise<(string | null)[]> {
  const hashes: (string | null)[] = pins.map(() => null);
  let next = 0;
  const worker = async () => {
    while (next < pins.length) {
      const i = next++;
      const pin = pins[i];
      if (pin !== null) hashes[i] = await hashSecret(pin);
    }
  };
  await Promise.all(Array.from({ length: Math.min(HASH_POOL, pins.length) }, worker));
  return hashes;
}

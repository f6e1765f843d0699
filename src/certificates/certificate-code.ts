import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import QRCode from 'qrcode';

/** Letters and digits that cannot be mistaken for each other when read aloud or typed (no 0/O, 1/I/L). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** `ABCD-EFGH-JKMN`: 12 random characters, about 59 bits, grouped by four. */
export function newCertificateCode(): string {
  const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** What a person typed, as stored: upper case, dashes where they belong, other characters dropped. */
export function normaliseCode(typed: string): string | null {
  const plain = typed.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (plain.length !== 12 || [...plain].some((c) => !ALPHABET.includes(c))) return null;
  return [0, 4, 8].map((i) => plain.slice(i, i + 4)).join('-');
}

export function sign(key: string, payload: string): string {
  return createHmac('sha256', key).update(payload).digest('hex');
}

export function signatureMatches(key: string, payload: string, signature: string): boolean {
  const expected = Buffer.from(sign(key, payload), 'hex');
  const given = Buffer.from(signature, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The certificate's QR code: its `/verify/:code` address, so that a bank's phone opens the check at once. */
export function verifyQr(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
}

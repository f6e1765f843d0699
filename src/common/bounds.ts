import { DomainError } from './domain-error.js';

/** Ids and numbers are PostgreSQL `integer` columns: anything outside this range cannot name or fit a row. */
export const INT4_MIN = -(2 ** 31);
export const INT4_MAX = 2 ** 31 - 1;

/** JSON bodies: the largest form of the API (a batch of household ids) is a few kB. */
export const JSON_BODY_LIMIT = '100kb';
/** The API's deepest body (`{items: [{goodsId}]}`) has 3 levels; 20 leaves room and stops `[[[[…]]]]`. */
export const JSON_MAX_DEPTH = 20;

export const NUL_MESSAGE = '不能包含空字符（\\0）';
const RANGE_MESSAGE = `数字超出范围（${INT4_MIN}～${INT4_MAX}）`;
const OPEN = 0x5b; // [
const OPEN_OBJECT = 0x7b; // {
const CLOSE = 0x5d; // ]
const CLOSE_OBJECT = 0x7d; // }
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** How deep the brackets of a JSON text nest (outside strings), stopping as soon as it passes `max`. */
export function jsonDepthExceeds(text: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE || c === CLOSE_OBJECT) depth--;
  }
  return false;
}

/**
 * body-parser's `verify` hook: runs on the raw bytes before JSON.parse, so a deeply nested body costs one pass over
 * its bytes instead of seconds in the parser and the validators. The error is shown by sendError (type below).
 */
export function refuseDeepJson(_req: unknown, _res: unknown, buf: Buffer): void {
  if (jsonDepthExceeds(buf, JSON_MAX_DEPTH)) {
    throw Object.assign(new Error('JSON nested too deeply'), {
      status: 400,
      type: 'entity.too.deep',
    });
  }
}

/**
 * Strings with a NUL character (PostgreSQL refuses them in text) and numbers outside the integer range, anywhere
 * in a value: field path → message. Empty when the value is within bounds.
 */
export function outOfBounds(
  value: unknown,
  path = '',
  out: Record<string, string> = {},
): Record<string, string> {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out[path || 'body'] = NUL_MESSAGE;
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < INT4_MIN || value > INT4_MAX) out[path || 'body'] = RANGE_MESSAGE;
  } else if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const [key, child] of Object.entries(value)) outOfBounds(child, path ? `${path}.${key}` : key, out);
  }
  return out;
}

/** Throws VALIDATION_FAILED naming each field out of bounds. */
export function assertWithinBounds(value: unknown): void {
  const problems = outOfBounds(value);
  if (Object.keys(problems).length > 0) throw DomainError.validation(problems);
}

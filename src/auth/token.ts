import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  /** `u:<userId>` for staff, `h:<householdId>` for a household. */
  sub: string;
  /** The account's tokenVersion (or the household's pinVersion) when the token was issued. */
  ver: number;
  /** Expiry, epoch seconds. */
  exp: number;
}

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64url');

function sign(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`token:${body}`).digest();
}

/** A compact signed bearer token (HMAC-SHA256): `<claims>.<signature>`, both base64url. */
export function issueToken(secret: string, claims: TokenClaims): string {
  const body = b64(JSON.stringify(claims));
  return `${body}.${b64(sign(secret, body))}`;
}

/** The claims of a well-signed, unexpired token; null for anything else. */
export function readToken(
  secret: string,
  token: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): TokenClaims | null {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const expected = sign(secret, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
    if (typeof claims.sub !== 'string' || typeof claims.ver !== 'number' || typeof claims.exp !== 'number')
      return null;
    return claims.exp > nowSeconds ? claims : null;
  } catch {
    return null;
  }
}

/** A value bound to a browser session id: the CSRF token of its forms. */
export function csrfTokenFor(secret: string, sessionId: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionId}`).digest('base64url');
}

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

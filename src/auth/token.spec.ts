import { csrfTokenFor, issueToken, readToken } from './token.js';

describe('bearer tokens', () => {
  const secret = 's'.repeat(40);
  const now = 1_800_000_000;

  it('should give back the claims when the token is intact and unexpired', () => {
    const token = issueToken(secret, { sub: 'u:7', ver: 3, exp: now + 60 });
    expect(readToken(secret, token, now)).toEqual({ sub: 'u:7', ver: 3, exp: now + 60 });
  });

  it('should refuse an expired token', () => {
    const token = issueToken(secret, { sub: 'u:7', ver: 3, exp: now - 1 });
    expect(readToken(secret, token, now)).toBeNull();
  });

  it('should refuse a token whose claims were changed or that another secret signed', () => {
    const token = issueToken(secret, { sub: 'u:7', ver: 3, exp: now + 60 });
    const [, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'u:1', ver: 3, exp: now + 60 })).toString('base64url');
    expect(readToken(secret, `${forged}.${signature}`, now)).toBeNull();
    expect(readToken('t'.repeat(40), token, now)).toBeNull();
    expect(readToken(secret, 'garbage', now)).toBeNull();
  });

  it('should bind a CSRF token to one session id', () => {
    expect(csrfTokenFor(secret, 'a')).toBe(csrfTokenFor(secret, 'a'));
    expect(csrfTokenFor(secret, 'a')).not.toBe(csrfTokenFor(secret, 'b'));
  });
});

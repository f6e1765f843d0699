import {
  consentCodeHash,
  consentExpiresOn,
  consentState,
  newConsentCode,
  normaliseConsentCode,
} from './consent-code.js';

describe('consent codes', () => {
  it('should draw six digits, leading zeros kept, spread over the whole range', () => {
    const codes = Array.from({ length: 2000 }, newConsentCode);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(1990);
    expect(new Set(codes.map((c) => c[0])).size).toBe(10);
  });

  it('should read a typed code with spaces or dashes, and refuse anything else', () => {
    expect(normaliseConsentCode(' 012 345 ')).toBe('012345');
    expect(normaliseConsentCode('012-345')).toBe('012345');
    expect(normaliseConsentCode('12345')).toBeNull();
    expect(normaliseConsentCode('12345a')).toBeNull();
    expect(normaliseConsentCode(undefined)).toBeNull();
    expect(normaliseConsentCode(['123456'])).toBeNull();
  });

  it('should hash a code with the key, so that another key gives another hash', () => {
    expect(consentCodeHash('k', '123456')).toBe(consentCodeHash('k', '123456'));
    expect(consentCodeHash('k', '123456')).not.toBe(consentCodeHash('other', '123456'));
    expect(consentCodeHash('k', '123456')).not.toContain('123456');
  });

  it('should keep a code live for 30 days, the day it is made and its last day included', () => {
    expect(consentExpiresOn('2026-12-04')).toBe('2027-01-02');
    const c = { status: 'ACTIVE', expiresOn: '2027-01-02' };
    expect(consentState(c, '2027-01-02')).toBe('LIVE');
    expect(consentState(c, '2027-01-03')).toBe('EXPIRED');
    expect(consentState({ ...c, status: 'REVOKED' }, '2026-12-05')).toBe('REVOKED');
  });
});

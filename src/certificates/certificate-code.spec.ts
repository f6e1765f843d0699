import { newCertificateCode, normaliseCode, sign, signatureMatches } from './certificate-code.js';

describe('certificate codes and signatures', () => {
  it('should make codes of three groups of four unambiguous characters, different each time', () => {
    const codes = new Set(Array.from({ length: 200 }, newCertificateCode));
    expect(codes.size).toBe(200);
    for (const code of codes)
      expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
  });

  it('should read a typed code in lower case, with spaces or without dashes, and refuse impossible ones', () => {
    expect(normaliseCode('abcd efgh jkmn')).toBe('ABCD-EFGH-JKMN');
    expect(normaliseCode('ABCDEFGHJKMN')).toBe('ABCD-EFGH-JKMN');
    expect(normaliseCode('ABCD-EFGH-JKM0')).toBeNull();
    expect(normaliseCode('ABCD')).toBeNull();
  });

  it('should find a changed payload by its signature', () => {
    const signature = sign('key', '{"earned":120}');
    expect(signatureMatches('key', '{"earned":120}', signature)).toBe(true);
    expect(signatureMatches('key', '{"earned":1200}', signature)).toBe(false);
    expect(signatureMatches('other key', '{"earned":120}', signature)).toBe(false);
    expect(signatureMatches('key', '{"earned":120}', 'abc')).toBe(false);
  });
});

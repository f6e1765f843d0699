import { hashSecret, SECRET_HASH_COST, useSecretHashCost, verifySecret } from './password.js';

describe('password hashing', () => {
  it('should accept the right password and refuse a wrong one when checking a stored hash', async () => {
    const stored = await hashSecret('村委会2026!');
    expect(await verifySecret('村委会2026!', stored)).toBe(true);
    expect(await verifySecret('村委会2026', stored)).toBe(false);
  });

  it('should salt each hash so that the same password never gives the same stored text', async () => {
    const a = await hashSecret('123456');
    const b = await hashSecret('123456');
    expect(a).not.toBe(b);
    expect(a).not.toContain('123456');
    expect(a.startsWith('scrypt$')).toBe(true);
  });

  it('should hash at N=2^15 by default, and check a secret hashed at another cost by the N stored with it', async () => {
    const strong = await hashSecret('村委会2026!');
    expect(strong.split('$')[1]).toBe(String(2 ** 15));
    expect(SECRET_HASH_COST).toBe(15);
    useSecretHashCost(10);
    try {
      const cheap = await hashSecret('村委会2026!');
      expect(cheap.split('$')[1]).toBe('1024');
      expect(await verifySecret('村委会2026!', strong)).toBe(true);
      expect(await verifySecret('村委会2026!', cheap)).toBe(true);
      expect(await verifySecret('村委会', cheap)).toBe(false);
    } finally {
      useSecretHashCost(SECRET_HASH_COST);
    }
  });

  it('should refuse when nothing or garbage is stored', async () => {
    expect(await verifySecret('x', null)).toBe(false);
    expect(await verifySecret('x', 'plain-text')).toBe(false);
  });
});

import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  let now = 0;
  const throttle = () => new LoginThrottle(5, 600_000, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('should block a username after five failures within ten minutes', () => {
    const t = throttle();
    for (let i = 0; i < 4; i++) t.fail(['u:zhang', 'ip:1']);
    expect(t.retryAfter(['u:zhang'])).toBe(0);
    t.fail(['u:zhang', 'ip:1']);
    expect(t.retryAfter(['u:zhang'])).toBe(600);
    expect(t.retryAfter(['u:li', 'ip:1'])).toBe(600);
    expect(t.retryAfter(['u:li', 'ip:2'])).toBe(0);
  });

  it('should free the key when the failures are older than the window', () => {
    const t = throttle();
    for (let i = 0; i < 5; i++) {
      t.fail(['u:zhang']);
      now += 60_000;
    }
    expect(t.retryAfter(['u:zhang'])).toBe(300);
    now += 300_000;
    expect(t.retryAfter(['u:zhang'])).toBe(0);
  });

  it('should forget a username after a successful login', () => {
    const t = throttle();
    for (let i = 0; i < 4; i++) t.fail(['u:zhang']);
    t.succeed('u:zhang');
    t.fail(['u:zhang']);
    expect(t.retryAfter(['u:zhang'])).toBe(0);
  });
});

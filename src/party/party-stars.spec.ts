import { starsFor, thresholdsOf } from './party-stars.js';

describe('五星党员 thresholds', () => {
  const thresholds = thresholdsOf('20,40,60,80,100');

  it('should give one star per threshold reached, five at the top', () => {
    expect(starsFor(0, thresholds)).toBe(0);
    expect(starsFor(19, thresholds)).toBe(0);
    expect(starsFor(20, thresholds)).toBe(1);
    expect(starsFor(79, thresholds)).toBe(3);
    expect(starsFor(100, thresholds)).toBe(5);
    expect(starsFor(250, thresholds)).toBe(5);
  });
});

import { defaultPoints, outsideRange, pointsRange, withinRange } from './rule-points.js';

describe('rule points', () => {
  it('should accept a fixed reward or deduction and refuse zero', () => {
    expect(pointsRange({ points: 15 })).toEqual({ min: 15, max: 15 });
    expect(pointsRange({ points: -20 })).toEqual({ min: -20, max: -20 });
    expect(pointsRange({ points: 0 })).toHaveProperty('error.points');
  });

  it('should accept a range on one side of zero only', () => {
    expect(pointsRange({ minPoints: 5, maxPoints: 20 })).toEqual({ min: 5, max: 20 });
    expect(pointsRange({ minPoints: -30, maxPoints: -10 })).toEqual({ min: -30, max: -10 });
    expect(pointsRange({ minPoints: -5, maxPoints: 5 })).toHaveProperty('error.minPoints');
    expect(pointsRange({ minPoints: 20, maxPoints: 5 })).toHaveProperty('error.maxPoints');
    expect(pointsRange({ minPoints: 5 })).toHaveProperty('error.points');
    expect(pointsRange({ points: 5, minPoints: 1, maxPoints: 9 })).toHaveProperty('error.points');
  });

  it('should default to the end nearest zero, so that nobody gets more or loses more than the least without a choice', () => {
    expect(defaultPoints(5, 20)).toBe(5);
    expect(defaultPoints(-30, -10)).toBe(-10);
    expect(defaultPoints(15, 15)).toBe(15);
  });

  it('should tell whether points fall inside a range', () => {
    expect(withinRange(10, 5, 20)).toBe(true);
    expect(withinRange(21, 5, 20)).toBe(false);
    expect(withinRange(-35, -30, -10)).toBe(false);
    expect(withinRange(7.5, 5, 20)).toBe(false);
  });

  it('should accept both ends of a range when the points equal them', () => {
    expect(withinRange(5, 5, 20)).toBe(true);
    expect(withinRange(20, 5, 20)).toBe(true);
    expect(withinRange(-30, -30, -10)).toBe(true);
    expect(withinRange(-10, -30, -10)).toBe(true);
  });

  it('should refuse points just outside a range when they pass either end', () => {
    expect(withinRange(4, 5, 20)).toBe(false);
    expect(withinRange(-9, -30, -10)).toBe(false);
    expect(withinRange(16, 15, 15)).toBe(false);
  });

  it('should name the range when points fall outside it', () => {
    expect(outsideRange(5, 20)).toBe('分值应在 5 到 20 之间');
  });
});

import { attendeePoints } from './activity-points.js';

describe('an attendee’s points', () => {
  const rule = { minPoints: 2, maxPoints: 10 };

  it('should be points per hour × hours when both are given', () => {
    expect(attendeePoints(rule, 3, 2)).toBe(6);
    expect(attendeePoints(rule, 3, 2.5)).toBe(8);
  });

  it('should be clamped into the rule’s range when the hours give too many or too few', () => {
    expect(attendeePoints(rule, 3, 5)).toBe(10);
    expect(attendeePoints(rule, 1, 0.5)).toBe(2);
  });

  it('should be the rule’s default points when there are no hours or no points per hour', () => {
    expect(attendeePoints(rule, 3, null)).toBe(2);
    expect(attendeePoints(rule, null, 4)).toBe(2);
    expect(attendeePoints({ minPoints: 15, maxPoints: 15 }, null, null)).toBe(15);
  });
});

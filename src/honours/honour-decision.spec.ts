import { criteriaLabel, honourOutcome } from './honour-decision.js';

const star = { name: '孝敬和睦', category: '德治', minPoints: 20, needsCouncil: true };
const facts = { points: 25, councilResult: 'APPROVED' as const, blackListed: false, year: 2026 };

describe('an honour is awarded only when every criterion of its star holds', () => {
  it('should award a household with enough points in the category and the council approving', () => {
    expect(honourOutcome(star, facts)).toEqual({ status: 'AWARDED', note: null });
  });

  it('should not award with too few points in the category, and say how many it had', () => {
    expect(honourOutcome(star, { ...facts, points: 19 })).toEqual({
      status: 'NOT_AWARDED',
      note: '2026年德治类积分 19 分，不足 20 分',
    });
  });

  it('should not award when the council voted it down or has not decided', () => {
    expect(honourOutcome(star, { ...facts, councilResult: 'REJECTED' }).status).toBe('NOT_AWARDED');
    expect(honourOutcome(star, { ...facts, councilResult: null }).note).toBe('评议会未通过');
  });

  it('should not award a household on the year’s black list, whatever its points and votes', () => {
    expect(honourOutcome(star, { ...facts, blackListed: true }).note).toBe('列入2026年黑榜，不能评选');
  });

  it('should judge a star by points alone when it needs no council, and by the council alone when it names no category', () => {
    const byPoints = { ...star, needsCouncil: false };
    expect(honourOutcome(byPoints, { ...facts, councilResult: null }).status).toBe('AWARDED');
    const byCouncil = { ...star, category: null, minPoints: null };
    expect(honourOutcome(byCouncil, { ...facts, points: null }).status).toBe('AWARDED');
    expect(criteriaLabel(star)).toBe('本年德治类积分满 20 分，评议会表决通过');
    expect(criteriaLabel(byCouncil)).toBe('评议会表决通过');
  });
});

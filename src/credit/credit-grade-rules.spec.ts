import { DomainError } from '../common/domain-error.js';
import {
  assertRunMove,
  gradeFor,
  levelsError,
  villageGradeOf,
  type GradeLevel,
} from './credit-grade-rules.js';

const LEVELS: GradeLevel[] = [
  { name: 'AAA', minPoints: 300, minStars: 4 },
  { name: 'AA', minPoints: 200, minStars: 3 },
  { name: 'A', minPoints: 100, minStars: 0 },
  { name: 'B', minPoints: 0, minStars: 0 },
];

describe('credit grade rules', () => {
  it('should give the highest grade whose points and stars are both reached', () => {
    expect(gradeFor(LEVELS, 'B', { earned: 350, stars: 4, blackListed: false })).toBe('AAA');
    expect(gradeFor(LEVELS, 'B', { earned: 350, stars: 3, blackListed: false })).toBe('AA');
    expect(gradeFor(LEVELS, 'B', { earned: 150, stars: 5, blackListed: false })).toBe('A');
    expect(gradeFor(LEVELS, 'B', { earned: -20, stars: 0, blackListed: false })).toBe('B');
  });

  it('should cap a black-listed household at the configured grade, never raising one below it', () => {
    expect(gradeFor(LEVELS, 'A', { earned: 350, stars: 4, blackListed: true })).toBe('A');
    expect(gradeFor(LEVELS, 'B', { earned: 350, stars: 4, blackListed: true })).toBe('B');
    expect(gradeFor(LEVELS, 'AA', { earned: 10, stars: 0, blackListed: true })).toBe('B');
  });

  it('should refuse thresholds that rise downwards, a lowest grade with a threshold, a repeated name, an unknown cap', () => {
    expect(levelsError(LEVELS, 'B')).toBeNull();
    expect(
      levelsError(
        [
          { name: 'A', minPoints: 100, minStars: 0 },
          { name: 'A', minPoints: 200, minStars: 0 },
          { name: 'B', minPoints: 5, minStars: 0 },
        ],
        'C',
      ),
    ).toEqual({
      'levels.0.minPoints': expect.stringContaining('不能低于'),
      'levels.1.name': expect.stringContaining('重复'),
      'levels.2.minPoints': expect.stringContaining('门槛都应为 0'),
      blackListGrade: expect.any(String),
    });
  });

  it('should make a credit village of 80% above the lowest grade and at most two black-listed households', () => {
    expect(villageGradeOf('B', ['AAA', 'AA', 'A', 'A', 'B'], 2).grade).toBe('信用村');
    expect(villageGradeOf('B', ['AAA', 'AA', 'A', 'A', 'B'], 3).grade).toBe('未达标');
    expect(villageGradeOf('B', ['AAA', 'A', 'B', 'B'], 0)).toMatchObject({ grade: '未达标', share: 50 });
    expect(villageGradeOf('B', [], 0).grade).toBe('未达标');
  });

  it('should refuse a recompute once filed, and allow one after the township returned the grades', () => {
    expect(() => assertRunMove('FILED', 'compute')).toThrow(DomainError);
    expect(() => assertRunMove('PUBLICIZING', 'compute')).toThrow('正在公示');
    expect(() => assertRunMove('RETURNED', 'compute')).not.toThrow();
    expect(() => assertRunMove('COMPUTED', 'file')).toThrow('还没有报来');
  });
});

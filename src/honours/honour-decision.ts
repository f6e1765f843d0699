import type { NominationStatus } from './honour-nomination.entity.js';

/** A star's criteria (HonourStar): the year's points in a category, and/or the council's vote. */
export interface StarCriteria {
  name: string;
  category: string | null;
  minPoints: number | null;
  needsCouncil: boolean;
}

export interface NomineeFacts {
  /** The year's posted points under rules of the star's category (null when the star asks for none). */
  points: number | null;
  councilResult: 'APPROVED' | 'REJECTED' | null;
  /** On a black list published in the campaign's year. */
  blackListed: boolean;
  year: number;
}

/**
 * Whether a nomination is awarded when the result is published, and if not, why (in the words the board and the
 * household read). Every criterion the star names must hold; a household on that year's black list gets no honour.
 */
export function honourOutcome(
  star: StarCriteria,
  facts: NomineeFacts,
): { status: Extract<NominationStatus, 'AWARDED' | 'NOT_AWARDED'>; note: string | null } {
  if (facts.blackListed) return { status: 'NOT_AWARDED', note: `列入${facts.year}年黑榜，不能评选` };
  if (star.category && star.minPoints !== null && (facts.points ?? 0) < star.minPoints)
    return {
      status: 'NOT_AWARDED',
      note: `${facts.year}年${star.category}类积分 ${facts.points ?? 0} 分，不足 ${star.minPoints} 分`,
    };
  if (star.needsCouncil && facts.councilResult !== 'APPROVED')
    return { status: 'NOT_AWARDED', note: '评议会未通过' };
  return { status: 'AWARDED', note: null };
}

/** What a star asks, in words: "德治类积分满 20 分，评议会表决通过". */
export function criteriaLabel(star: StarCriteria): string {
  const parts = [
    ...(star.category && star.minPoints !== null
      ? [`本年${star.category}类积分满 ${star.minPoints} 分`]
      : []),
    ...(star.needsCouncil ? ['评议会表决通过'] : []),
  ];
  return parts.join('，');
}

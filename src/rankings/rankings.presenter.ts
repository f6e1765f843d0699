import type { RankingRow } from './rankings.service.js';

/** A place in words: `第 2 名`, or, with no points in the period, `不排名`. */
export function rankLabel(rank: number | null): string {
  return rank === null ? '不排名' : `第 ${rank} 名`;
}

/**
 * Words for a change of rank, so that it is never told by colour or an arrow alone; a household without points in
 * the period has no rank and so no change.
 */
export function changeLabel(row: Pick<RankingRow, 'rank' | 'change'>): string {
  if (row.rank === null) return '本期无积分，不排名';
  if (row.change === null) return '新上榜';
  if (row.change > 0) return `上升 ${row.change} 名`;
  if (row.change < 0) return `下降 ${-row.change} 名`;
  return '不变';
}

/** What the page says above a ranking with households that have no points in the period. */
export function unrankedNote(rows: readonly Pick<RankingRow, 'rank'>[], periodLabel: string): string | null {
  const unranked = rows.filter((r) => r.rank === null).length;
  if (unranked === 0) return null;
  if (unranked === rows.length) return `${periodLabel}各户都还没有积分：本期无积分，不排名。`;
  return `${unranked} 户${periodLabel}没有积分，不排名，列在最后。`;
}

/**
 * Competition ranks (1, 2, 2, 4): equal points share a rank, and the next rank skips as many as shared. A household
 * with no points in the period (0) has no rank (null): it is listed after the ranked ones, in the order given, so that
 * an empty month never makes everyone 第 1 名.
 */
export function competitionRanks<T extends { points: number }>(
  rowsByPointsDesc: readonly T[],
): (T & { rank: number | null })[] {
  const scored = rowsByPointsDesc.filter((r) => r.points !== 0);
  let rank = 0;
  const ranked = scored.map((row, i) => {
    if (i === 0 || row.points !== scored[i - 1].points) rank = i + 1;
    return { ...row, rank: rank as number | null };
  });
  return [
    ...ranked,
    ...rowsByPointsDesc.filter((r) => r.points === 0).map((row) => ({ ...row, rank: null })),
  ];
}

/** Stars for a year's points against ascending thresholds (1★ at the first, 5★ at the fifth). */
export function starsFor(points: number, thresholds: readonly number[]): number {
  return thresholds.filter((t) => points >= t).length;
}

/** `50,100,200,300,500` → [50, 100, 200, 300, 500]; null unless five strictly rising positive integers. */
export function parseThresholds(text: string): number[] | null {
  const parts = text.split(/[,，\s]+/).filter(Boolean);
  if (parts.length !== 5 || !parts.every((p) => /^\d{1,6}$/.test(p))) return null;
  const numbers = parts.map(Number);
  return numbers.every((n, i) => n > 0 && (i === 0 || n > numbers[i - 1])) ? numbers : null;
}

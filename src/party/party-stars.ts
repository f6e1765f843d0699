/** The five yearly thresholds of a branch (`20,40,60,80,100`), as numbers. */
export function thresholdsOf(text: string): number[] {
  return text.split(',').map((t) => Number(t.trim()));
}

/** 星级: how many of the ascending thresholds the year's points reach (five is 五星党员). */
export function starsFor(points: number, thresholds: number[]): number {
  return thresholds.filter((t) => points >= t).length;
}

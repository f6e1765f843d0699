/**
 * The 公示 window (DOMAIN.md "A score's life"): how many days a publication stays on the board. The lowest minimum a
 * county allows is the PUBLICATION_MIN_DAYS setting; config/settings.ts bounds that setting by the same maximum
 * (config may not import a feature: publication-window.spec.ts checks that the two agree).
 */
export const PUBLICATION_DEFAULT_DAYS = 7;
export const PUBLICATION_MAX_DAYS = 15;

/** What is wrong with a requested number of days, or null when the window may be opened for that long. */
export function windowDaysError(days: number, minDays: number): string | null {
  if (!Number.isInteger(days)) return '公示天数应为整数';
  if (days > PUBLICATION_MAX_DAYS) return `公示天数最多 ${PUBLICATION_MAX_DAYS} 天`;
  if (days < minDays) return `公示天数应为 ${minDays}–${PUBLICATION_MAX_DAYS} 天`;
  return null;
}

/** The hint beside the days field: "1–15 天，通常 7 天". */
export function windowDaysHint(minDays: number): string {
  return `${minDays}–${PUBLICATION_MAX_DAYS} 天，通常 ${PUBLICATION_DEFAULT_DAYS} 天`;
}

import type { CertificatePayload } from './credit-certificate.entity.js';

/**
 * The year's points and place as a certificate states them: `35 分，全村 13 户中第 2 名`, or, with no points that
 * year, `0 分，本年无积分，不排名` (certificates issued before that rule stored rank 1 for 0 points: read the points).
 */
export function yearStanding(c: Pick<CertificatePayload, 'yearPoints' | 'rank' | 'households'>): string {
  if (c.yearPoints === 0 || c.rank === null) return `${c.yearPoints} 分，本年无积分，不排名`;
  return `${c.yearPoints} 分，全村 ${c.households} 户中第 ${c.rank} 名`;
}

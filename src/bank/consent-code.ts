import { createHmac, randomInt } from 'node:crypto';
import { addDays } from '../common/dates.js';

/** How long a consent code lets a bank look: 30 days, the last one included. */
export const CONSENT_DAYS = 30;

/** Live (unexpired, unrevoked) codes a household may hold at once: one per bank it is talking to, and a few spare. */
export const MAX_LIVE_CONSENTS = 5;

/** What a bank says came of the application. */
export const LOAN_OUTCOMES = ['GRANTED', 'DECLINED'] as const;
export type LoanOutcome = (typeof LOAN_OUTCOMES)[number];
export const OUTCOME_LABELS: Record<LoanOutcome, string> = { GRANTED: '已放贷', DECLINED: '未放贷' };

/**
 * The amount asked or lent, in bands only: the township compares villages, it never needs a household's sum, and a
 * band keeps a small village's single loan from being read off the table. 积分贷 in the region runs 3万–30万.
 */
export const LOAN_BANDS = ['<5万', '5-10万', '10-30万', '>30万'] as const;
export type LoanBand = (typeof LOAN_BANDS)[number];

/** Six digits from the system's random source (a phone's number pad, read out to the loan officer). */
export function newConsentCode(): string {
  return String(randomInt(1_000_000)).padStart(6, '0');
}

/** What a person typed, as a code: six digits, spaces and dashes dropped; null when it cannot be one. */
export function normaliseConsentCode(typed: unknown): string | null {
  if (typeof typed !== 'string' && typeof typed !== 'number') return null;
  const plain = String(typed).replace(/[\s-]/g, '');
  return /^\d{6}$/.test(plain) ? plain : null;
}

/**
 * What is stored of a code: a keyed hash. Six digits hash in a blink, so a plain hash would not hide them from whoever
 * reads a backup; keyed with the server's secret, the rows alone give nothing away. The household sees the code once,
 * when it is made, and then its last two digits.
 */
export function consentCodeHash(key: string, code: string): string {
  return createHmac('sha256', key).update(`consent:${code}`).digest('hex');
}

/** The last day a code made today still works. */
export function consentExpiresOn(today: string): string {
  return addDays(today, CONSENT_DAYS - 1);
}

export type ConsentState = 'LIVE' | 'EXPIRED' | 'REVOKED';

export function consentState(c: { status: string; expiresOn: string }, today: string): ConsentState {
  if (c.status === 'REVOKED') return 'REVOKED';
  return c.expiresOn < today ? 'EXPIRED' : 'LIVE';
}

export const CONSENT_STATE_LABELS: Record<ConsentState, string> = {
  LIVE: '有效',
  EXPIRED: '已过期',
  REVOKED: '已撤销',
};

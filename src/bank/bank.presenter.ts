import { chinaTime } from '../common/dates.js';
import type { BankView, OutcomeSummary } from './bank-lookups.service.js';
import { CONSENT_STATE_LABELS, LOAN_BANDS, LOAN_OUTCOMES, OUTCOME_LABELS } from './consent-code.js';
import type { ConsentLine } from './consent-codes.service.js';

export const OUTCOME_OPTIONS = LOAN_OUTCOMES.map((value) => ({ value, label: OUTCOME_LABELS[value] }));
export const BAND_OPTIONS = LOAN_BANDS.map((value) => ({ value, label: value }));

const USE_LABELS = { LOOKUP: '查看了本户的信用等级和积分', OUTCOME: '记录了贷款结果' } as const;

/** The household's codes as its page and the committee's page list them. */
export function consentLines(lines: ConsentLine[]) {
  return lines.map((c) => ({
    id: c.id,
    lastDigits: c.lastDigits,
    made: chinaTime(c.createdAt),
    expiresOn: c.expiresOn,
    stateLabel: CONSENT_STATE_LABELS[c.state],
    live: c.state === 'LIVE',
    state: c.state,
    madeByCommittee: c.madeByCommittee,
    uses: c.uses.map((u) => ({ time: chinaTime(u.at), by: u.by, what: USE_LABELS[u.kind] })),
    outcomeLabel: c.outcome ? `${OUTCOME_LABELS[c.outcome.outcome]}（${c.outcome.band}）` : '',
  }));
}

/** What the officer's page shows of a household. */
export function bankHousehold(view: BankView) {
  return {
    ...view,
    gradeLabel: view.grade ? `${view.grade.grade}（${view.grade.year} 年评定）` : '还没有评定',
    starText: '★'.repeat(view.stars.stars),
  };
}

/** The township's table: one row per village, a cell per band with both outcomes' counts. */
export function outcomeTable(summary: OutcomeSummary) {
  const cells = (counts: OutcomeSummary['totals']) =>
    summary.bands.map((band) => ({ band, granted: counts.GRANTED[band], declined: counts.DECLINED[band] }));
  const sum = (counts: OutcomeSummary['totals'], o: keyof OutcomeSummary['totals']) =>
    summary.bands.reduce((n, b) => n + counts[o][b], 0);
  return {
    bands: summary.bands,
    rows: summary.villages.map((v) => ({
      name: v.name,
      granted: sum(v.counts, 'GRANTED'),
      declined: sum(v.counts, 'DECLINED'),
      cells: cells(v.counts),
    })),
    total: {
      granted: sum(summary.totals, 'GRANTED'),
      declined: sum(summary.totals, 'DECLINED'),
      cells: cells(summary.totals),
    },
  };
}

import type { SupervisionOpinion } from './supervision-opinion.entity.js';

/** An opinion as a page shows it: its words, whether it still waits, and the committee's answer. */
export function opinionRow(o: SupervisionOpinion) {
  return {
    id: o.id,
    targetId: o.targetId,
    text: o.text,
    answer: o.answer,
    open: o.status === 'OPEN',
    statusLabel: o.status === 'OPEN' ? '待答复' : '已答复',
  };
}

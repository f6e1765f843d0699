import { signedPoints } from '../rules/rule-points.js';
import type { Ballot } from './council.service.js';

/** A record waiting for a council member's vote, as the ballot card shows it. */
export function ballotView(b: Ballot) {
  return {
    id: b.recordId,
    household: `${b.householdCode} ${b.headName}家`,
    rule: `${b.ruleCode} ${b.ruleTitle}`,
    points: signedPoints(b.points),
    occurredOn: b.occurredOn,
    note: b.note,
    hasEvidence: b.hasEvidence,
    progress: `已投 ${b.yes + b.no + b.abstain} 票，满 ${b.quorum} 票按多数决定`,
    namesShown: b.namesShown,
  };
}
export type BallotView = ReturnType<typeof ballotView>;

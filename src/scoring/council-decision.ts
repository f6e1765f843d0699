import type { CouncilVoteChoice } from './council-vote.entity.js';

export interface CouncilTally {
  yes: number;
  no: number;
  abstain: number;
}

/** What the council has decided so far: nothing yet, or APPROVED / REJECTED. */
export type CouncilDecision = 'PENDING' | 'APPROVED' | 'REJECTED';

/** Why a record the council voted down was rejected (its reject reason, as the committee's would be). */
export const COUNCIL_REJECT_REASON = '评议会未通过';

export function tally(votes: readonly { vote: CouncilVoteChoice }[]): CouncilTally {
  return {
    yes: votes.filter((v) => v.vote === 'YES').length,
    no: votes.filter((v) => v.vote === 'NO').length,
    abstain: votes.filter((v) => v.vote === 'ABSTAIN').length,
  };
}

/**
 * The council's rule: nothing is decided until `quorum` members have voted (abstentions count towards the quorum);
 * then the record is APPROVED when the yes votes are more than half of all votes cast, REJECTED when the no votes are,
 * and otherwise (a tie, or abstentions holding the balance) it waits for more votes.
 */
export function councilDecision(t: CouncilTally, quorum: number): CouncilDecision {
  const cast = t.yes + t.no + t.abstain;
  if (cast < quorum) return 'PENDING';
  if (t.yes * 2 > cast) return 'APPROVED';
  if (t.no * 2 > cast) return 'REJECTED';
  return 'PENDING';
}

/** How the votes read in 公示 and on the review page: "评议会 5 票：赞成 4，反对 0，弃权 1". */
export function tallyLabel(t: CouncilTally): string {
  return `评议会 ${t.yes + t.no + t.abstain} 票：赞成 ${t.yes}，反对 ${t.no}，弃权 ${t.abstain}`;
}

/**
 * The voters by their vote, for a village that shows them in 公示: "赞成：张三、李四；反对：王五". A vote nobody cast is
 * left out; the order is the order of voting.
 */
export function votersLine(votes: readonly { vote: CouncilVoteChoice; name: string }[]): string {
  const words = { YES: '赞成', NO: '反对', ABSTAIN: '弃权' } as const;
  return (['YES', 'NO', 'ABSTAIN'] as const)
    .map((choice) => [choice, votes.filter((v) => v.vote === choice).map((v) => v.name)] as const)
    .filter(([, names]) => names.length > 0)
    .map(([choice, names]) => `${words[choice]}：${names.join('、')}`)
    .join('；');
}

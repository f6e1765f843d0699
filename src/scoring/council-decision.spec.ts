import { councilDecision, tally, tallyLabel, votersLine } from './council-decision.js';

const votes = (yes: number, no: number, abstain: number) => ({ yes, no, abstain });

describe('the council decision', () => {
  it('should decide nothing when fewer members than the quorum have voted', () => {
    expect(councilDecision(votes(4, 0, 0), 5)).toBe('PENDING');
    expect(councilDecision(votes(0, 4, 0), 5)).toBe('PENDING');
  });

  it('should approve when the quorum has voted and the yes votes are a majority of the votes cast', () => {
    expect(councilDecision(votes(3, 2, 0), 5)).toBe('APPROVED');
    expect(councilDecision(votes(4, 0, 1), 5)).toBe('APPROVED');
  });

  it('should reject when the quorum has voted and the no votes are a majority', () => {
    expect(councilDecision(votes(1, 4, 0), 5)).toBe('REJECTED');
    expect(councilDecision(votes(2, 3, 0), 5)).toBe('REJECTED');
  });

  it('should keep waiting when the votes tie or abstentions leave no majority', () => {
    expect(councilDecision(votes(2, 2, 0), 4)).toBe('PENDING');
    expect(councilDecision(votes(2, 1, 2), 5)).toBe('PENDING');
    expect(councilDecision(votes(3, 3, 0), 5)).toBe('PENDING');
  });

  it('should decide once a later vote breaks the tie', () => {
    expect(councilDecision(votes(3, 2, 1), 5)).toBe('PENDING');
    expect(councilDecision(votes(4, 2, 1), 5)).toBe('APPROVED');
  });

  it('should count the votes and say them as 公示 shows them', () => {
    const t = tally([{ vote: 'YES' }, { vote: 'YES' }, { vote: 'ABSTAIN' }, { vote: 'NO' }, { vote: 'YES' }]);
    expect(t).toEqual({ yes: 3, no: 1, abstain: 1 });
    expect(tallyLabel(votes(4, 0, 1))).toBe('评议会 5 票：赞成 4，反对 0，弃权 1');
  });

  it('should name the voters by their vote, in the order they voted, leaving out a vote nobody cast', () => {
    expect(
      votersLine([
        { vote: 'YES', name: '张三' },
        { vote: 'NO', name: '王五' },
        { vote: 'YES', name: '李四' },
      ]),
    ).toBe('赞成：张三、李四；反对：王五');
    expect(votersLine([{ vote: 'ABSTAIN', name: '赵六' }])).toBe('弃权：赵六');
    expect(votersLine([])).toBe('');
  });
});

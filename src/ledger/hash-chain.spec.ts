import { ChainedFields, checkChain, entryHash, GENESIS } from './hash-chain.js';

function chain(n: number) {
  const entries: (ChainedFields & { id: number; prevHash: string; hash: string })[] = [];
  let prev = GENESIS;
  let available = 0;
  for (let i = 1; i <= n; i++) {
    available += 10;
    const fields: ChainedFields = {
      villageId: 1,
      seq: i,
      householdId: 7,
      amount: 10,
      kind: 'SCORE',
      refType: 'score_record',
      refId: i,
      correctsEntryId: null,
      availableAfter: available,
      earnedAfter: available,
      description: '志愿服务',
      occurredOn: '2026-11-01',
      createdBy: 3,
      createdAt: `2026-11-0${i}T08:00:00.000Z`,
    };
    const hash = entryHash(prev, fields);
    entries.push({ ...fields, id: 100 + i, prevHash: prev, hash });
    prev = hash;
  }
  return entries;
}

describe('the hash chain of a village book', () => {
  it('should find nothing wrong in an intact chain', () => {
    expect(checkChain(chain(5))).toEqual([]);
  });

  it('should name the entry whose amount was changed', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2], amount: 1000 };
    expect(checkChain(entries)).toEqual([
      { entryId: 103, seq: 3, problem: expect.stringContaining('被改动') },
    ]);
  });

  it('should notice a deleted entry', () => {
    const entries = chain(5);
    entries.splice(1, 1);
    const problems = checkChain(entries);
    expect(problems.map((p) => p.entryId)).toEqual([103, 103]);
  });

  it('should notice a rewritten entry even when its hash was recomputed', () => {
    const entries = chain(4);
    const forged = { ...entries[1], amount: 50 };
    entries[1] = { ...forged, hash: entryHash(forged.prevHash, forged) };
    expect(checkChain(entries).map((p) => p.entryId)).toEqual([103]);
  });
});

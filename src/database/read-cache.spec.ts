import { derivedOnce, ReadCache } from './read-cache.js';

/** A load that counts how often the database was read, and answers what the database holds now. */
function source(initial: string) {
  const db = { value: initial, reads: 0 };
  return { db, load: async () => (db.reads++, db.value) };
}

describe('the read cache', () => {
  const village1 = { villageIds: [1], townshipIds: [10] };

  it('should read the database once for many readers, and again after a write in the village', async () => {
    const cache = new ReadCache();
    const { db, load } = source('10 points');
    expect(await cache.get('ranking:1', village1, load)).toBe('10 points');
    expect(await cache.get('ranking:1', village1, load)).toBe('10 points');
    expect(db.reads).toBe(1);
    db.value = '20 points';
    cache.written({ villageIds: [1], townshipIds: [10] });
    expect(await cache.get('ranking:1', village1, load)).toBe('20 points');
    expect(db.reads).toBe(2);
  });

  it('should keep a village read through writes in other villages, but not through its township’s', async () => {
    const cache = new ReadCache();
    const { db, load } = source('a');
    await cache.get('board:1', village1, load);
    cache.written({ villageIds: [2], townshipIds: [10] });
    cache.written({ villageIds: [3], townshipIds: [20] });
    await cache.get('board:1', village1, load);
    expect(db.reads).toBe(1);
    cache.written({ townshipIds: [10] });
    await cache.get('board:1', village1, load);
    expect(db.reads).toBe(2);
    cache.written({}); // a write that names no village or township may touch anything
    await cache.get('board:1', village1, load);
    expect(db.reads).toBe(3);
  });

  it('should keep nothing while told not to, when another process’s writes could go unheard', async () => {
    const cache = new ReadCache();
    const { db, load } = source('x');
    await cache.get('k', village1, load);
    cache.keep(false);
    await cache.get('k', village1, load);
    await cache.get('k', village1, load);
    expect(db.reads).toBe(3);
    cache.keep(true);
    await cache.get('k', village1, load);
    await cache.get('k', village1, load);
    expect(db.reads).toBe(4);
  });

  it('should answer but not keep a read during which its village was written', async () => {
    const cache = new ReadCache();
    const { db } = source('old');
    const slow = async () => {
      db.reads++;
      const seen = db.value;
      cache.written(village1); // a write commits while the read is on its way
      db.value = 'new';
      return seen;
    };
    expect(await cache.get('ranking:1', village1, slow)).toBe('old');
    expect(await cache.get('ranking:1', village1, async () => (db.reads++, db.value))).toBe('new');
    expect(db.reads).toBe(2);
  });

  it('should share one load among readers arriving together', async () => {
    const cache = new ReadCache();
    const { db, load } = source('x');
    const all = await Promise.all(Array.from({ length: 20 }, () => cache.get('township:10', village1, load)));
    expect(new Set(all)).toEqual(new Set(['x']));
    expect(db.reads).toBe(1);
  });

  it('should forget everything when cleared', async () => {
    const cache = new ReadCache();
    const { db, load } = source('x');
    await cache.get('k', village1, load);
    cache.clear();
    await cache.get('k', village1, load);
    expect(db.reads).toBe(2);
  });

  it('should draw what a page derives from a kept read once, and again for the read that replaces it', async () => {
    const cache = new ReadCache();
    const { db, load } = source('30 points');
    let drawn = 0;
    const page = derivedOnce((value: { points: string }) => (drawn++, `<td>${value.points}</td>`));
    const read = () => cache.get('ranking:1', village1, async () => ({ points: await load() }));
    expect(page(await read())).toBe('<td>30 points</td>');
    expect(page(await read())).toBe('<td>30 points</td>');
    expect(drawn).toBe(1);
    db.value = '45 points';
    cache.written({ villageIds: [1] });
    expect(page(await read())).toBe('<td>45 points</td>');
    expect(drawn).toBe(2);
  });

  it('should keep a value read under a stamp only if no write came since, and hand it out until the next write', () => {
    const cache = new ReadCache();
    const before = cache.stampOf(village1);
    cache.written(village1); // committed while the answer was on its way
    cache.keepAt('answer:/goods?villageId=1', village1, before, '{"stock":20}');
    expect(cache.peek('answer:/goods?villageId=1')).toBeUndefined();

    const now = cache.stampOf(village1);
    cache.keepAt('answer:/goods?villageId=1', village1, now, '{"stock":18}');
    expect(cache.peek('answer:/goods?villageId=1')).toBe('{"stock":18}');
    cache.written({ villageIds: [2] });
    expect(cache.peek('answer:/goods?villageId=1')).toBe('{"stock":18}');
    cache.written(village1);
    expect(cache.peek('answer:/goods?villageId=1')).toBeUndefined();

    cache.keep(false); // another process's writes could go unheard: nothing is kept
    cache.keepAt('k', village1, cache.stampOf(village1), 'x');
    expect(cache.peek('k')).toBeUndefined();
  });
});

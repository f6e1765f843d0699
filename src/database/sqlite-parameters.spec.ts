import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { bindWholeNumbers } from './sqlite-parameters.js';

/**
 * docs/decisions/002: the patch relies on a private method of TypeORM's better-sqlite3 driver and on TypeORM still
 * writing whole numbers into the SQL text. These fail when either changes.
 */
describe('whole numbers bound as INTEGER on SQLite', () => {
  let dataSource: DataSource;
  type Escape = (sql: string, parameters: Record<string, unknown>, native: object) => [string, unknown[]];
  const escape = (ds: DataSource): Escape => {
    const driver = ds.driver as unknown as { escapeQueryWithParameters: Escape };
    return driver.escapeQueryWithParameters.bind(driver);
  };

  beforeEach(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
    await dataSource.query('CREATE TABLE note (id INTEGER PRIMARY KEY, label TEXT NOT NULL)');
  });
  afterEach(() => dataSource.destroy());

  it('should find the private driver method it replaces', () => {
    expect(typeof (dataSource.driver as unknown as Record<string, unknown>).escapeQueryWithParameters).toBe(
      'function',
    );
  });

  it('should see TypeORM write a whole number into the SQL text when not patched (else the patch can go)', () => {
    const [sql, values] = escape(dataSource)('SELECT :n AS n', { n: 211936 }, {});
    expect(sql).toBe('SELECT 211936 AS n');
    expect(values).toEqual([]);
  });

  it('should bind a whole number as INTEGER, keeping the SQL text the same for every value', async () => {
    bindWholeNumbers(dataSource);
    const [sql, values] = escape(dataSource)('SELECT :n AS n', { n: 211936 }, {});
    expect(sql).toBe('SELECT ? AS n');
    expect(values).toEqual([211936n]);
    await dataSource.query(`INSERT INTO note (id, label) VALUES (1, 'x')`);
    const [row] = await dataSource
      .createQueryBuilder()
      .select('typeof(:n)', 'kind')
      .addSelect(':n', 'n')
      .from('note', 'note')
      .where('note.id = :id', { id: 1 })
      .setParameter('n', 7)
      .getRawMany();
    expect(row).toMatchObject({ kind: 'integer', n: 7 });
  });

  it('should store a whole number written to a text column as "7", not "7.0"', async () => {
    bindWholeNumbers(dataSource);
    await dataSource
      .createQueryBuilder()
      .insert()
      .into('note')
      .values({ id: 1, label: 7 as unknown as string })
      .execute();
    expect(await dataSource.query('SELECT label, typeof(id) AS kind FROM note')).toEqual([
      { label: '7', kind: 'integer' },
    ]);
  });

  it('should leave fractions as TypeORM writes them', () => {
    bindWholeNumbers(dataSource);
    expect(escape(dataSource)('SELECT :n AS n', { n: 2.5 }, {})[0]).toBe('SELECT 2.5 AS n');
  });
});

import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

/**
 * Issue 4: per-period totals of earned points (month, quarter, year by deed date), filled from the ledger entries
 * already written, then kept up to date by every append.
 */
export class PeriodTotals1764200000000 implements MigrationInterface {
  name = 'PeriodTotals1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'period_total',
        columns: [
          c.id(),
          c.int('villageId'),
          c.int('householdId'),
          c.text('period', 7),
          c.int('points', { default: 0 }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['villageId'],
            referencedTableName: 'village',
            referencedColumnNames: ['id'],
          }),
          new TableForeignKey({
            columnNames: ['householdId'],
            referencedTableName: 'household',
            referencedColumnNames: ['id'],
          }),
        ],
        indices: [
          new TableIndex({ columnNames: ['householdId', 'period'], isUnique: true }),
          new TableIndex({ columnNames: ['villageId', 'period'] }),
        ],
      }),
    );
    const quarter = `substr("occurredOn", 1, 4) || '-Q' || CAST((CAST(substr("occurredOn", 6, 2) AS INTEGER) + 2) / 3 AS VARCHAR(1))`;
    for (const period of [`substr("occurredOn", 1, 7)`, quarter, `substr("occurredOn", 1, 4)`]) {
      await queryRunner.query(
        `INSERT INTO period_total ("villageId", "householdId", period, points)
         SELECT "villageId", "householdId", ${period}, SUM(amount) FROM ledger_entry
         WHERE kind IN ('SCORE', 'SCORE_CORRECTION') GROUP BY "villageId", "householdId", ${period}`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('period_total');
  }
}

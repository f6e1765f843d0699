import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

/**
 * Issue 20 item 4: 超市月度账目公开, one statement per village and ended month, signed off by the supervision
 * committee. A new table; no row changes.
 */
export class MonthlyStatements1765800000000 implements MigrationInterface {
  name = 'MonthlyStatements1765800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'monthly_statement',
        columns: [
          c.id(),
          c.int('villageId'),
          c.text('month', 7),
          c.text('status', 10, { default: "'PREPARED'" }),
          c.longText('figures', { isNullable: true }),
          c.int('signedBy', { isNullable: true }),
          c.timestamp('signedAt', { isNullable: true }),
          c.createdAt(),
        ],
        indices: [new TableIndex({ columnNames: ['villageId', 'month'], isUnique: true })],
        foreignKeys: [
          { columnNames: ['villageId'], referencedTableName: 'village', referencedColumnNames: ['id'] },
          { columnNames: ['signedBy'], referencedTableName: 'app_user', referencedColumnNames: ['id'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('monthly_statement');
  }
}

import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

/** Issue 4: ranking snapshots for the township's review, red and black lists, and the village's star and list settings. */
export class Rankings1764300000000 implements MigrationInterface {
  name = 'Rankings1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    const fk = (column: string, table: string) =>
      new TableForeignKey({
        columnNames: [column],
        referencedTableName: table,
        referencedColumnNames: ['id'],
      });

    await queryRunner.addColumns('village', [
      new TableColumn(c.text('starThresholds', 40, { default: "'50,100,200,300,500'" })),
      new TableColumn(c.text('blackListMode', 5, { default: "'NAMED'" })),
      new TableColumn(c.int('redListSize', { default: 10 })),
    ]);

    await queryRunner.createTable(
      new Table({
        name: 'ranking_snapshot',
        columns: [
          c.id(),
          c.int('villageId'),
          c.text('period', 7),
          c.text('status', 10, { default: "'SUBMITTED'" }),
          c.longText('rowsJson'),
          c.int('submittedBy'),
          c.createdAt('submittedAt'),
          c.int('reviewedBy', { isNullable: true }),
          c.timestamp('reviewedAt', { isNullable: true }),
          c.text('comment', 500, { isNullable: true }),
        ],
        foreignKeys: [
          fk('villageId', 'village'),
          fk('submittedBy', 'app_user'),
          fk('reviewedBy', 'app_user'),
        ],
        indices: [
          new TableIndex({ columnNames: ['villageId', 'period'] }),
          new TableIndex({ columnNames: ['status'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'list_entry',
        columns: [
          c.id(),
          c.int('villageId'),
          c.text('period', 7),
          c.text('list', 5),
          c.int('householdId'),
          c.text('reason', 200),
          c.text('status', 10, { default: "'CONFIRMED'" }),
          c.int('confirmedBy'),
          c.createdAt('confirmedAt'),
          c.timestamp('publishedAt', { isNullable: true }),
          c.text('closingNote', 200, { isNullable: true }),
          c.int('closedBy', { isNullable: true }),
          c.timestamp('closedAt', { isNullable: true }),
        ],
        foreignKeys: [
          fk('villageId', 'village'),
          fk('householdId', 'household'),
          fk('confirmedBy', 'app_user'),
          fk('closedBy', 'app_user'),
        ],
        indices: [
          new TableIndex({ columnNames: ['villageId', 'period'] }),
          new TableIndex({ columnNames: ['householdId'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('list_entry');
    await queryRunner.dropTable('ranking_snapshot');
    for (const column of ['redListSize', 'blackListMode', 'starThresholds'])
      await queryRunner.dropColumn('village', column);
  }
}

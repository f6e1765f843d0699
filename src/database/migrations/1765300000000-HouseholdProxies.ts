import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

/** Issue 10: 亲属代办, a person acting for a household, and which of them a login session belongs to. No row changes. */
export class HouseholdProxies1765300000000 implements MigrationInterface {
  name = 'HouseholdProxies1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'household_proxy',
        columns: [
          c.id(),
          c.int('householdId'),
          c.int('villageId'),
          c.text('name', 40),
          c.text('relation', 20),
          c.text('pinHash', 200),
          c.timestamp('createdAt'),
          c.int('createdBy'),
          c.timestamp('endedAt', { isNullable: true }),
          c.int('endedBy', { isNullable: true }),
        ],
        indices: [new TableIndex({ columnNames: ['householdId'] })],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['householdId'],
            referencedTableName: 'household',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );
    // ALTER TABLE … ADD COLUMN, not addColumn: on SQLite that would rebuild the session table.
    await queryRunner.query(`ALTER TABLE login_session ADD COLUMN "proxyId" integer`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('login_session', new TableColumn({ name: 'proxyId', type: 'integer' }));
    await queryRunner.dropTable('household_proxy');
  }
}

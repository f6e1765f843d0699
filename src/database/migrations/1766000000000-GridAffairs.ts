import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

const fk = (column: string, table: string) =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'] });

/**
 * Issue 21 (13): grids (网格), which household is in which, what a village's grid affairs earn, and the affairs
 * themselves (上报 → 筛选 → 派单 → 办结). New tables only: no existing row changes.
 */
export class GridAffairs1766000000000 implements MigrationInterface {
  name = 'GridAffairs1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'grid',
        columns: [
          c.id(),
          c.int('villageId'),
          c.text('name', 30),
          c.int('scorerUserId', { isNullable: true }),
          c.createdAt(),
        ],
        indices: [new TableIndex({ columnNames: ['villageId', 'name'], isUnique: true })],
        foreignKeys: [fk('villageId', 'village'), fk('scorerUserId', 'app_user')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'grid_household',
        columns: [{ ...c.int('householdId'), isPrimary: true }, c.int('gridId'), c.int('villageId')],
        indices: [new TableIndex({ columnNames: ['gridId'] })],
        foreignKeys: [fk('householdId', 'household'), fk('gridId', 'grid')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'grid_settings',
        columns: [
          { ...c.int('villageId'), isPrimary: true },
          c.int('validReportRuleId', { isNullable: true }),
          c.int('handledRuleId', { isNullable: true }),
        ],
        foreignKeys: [fk('villageId', 'village')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'grid_affair',
        columns: [
          c.id(),
          c.int('villageId'),
          c.text('kind', 12),
          c.text('text', 500),
          c.int('householdId', { isNullable: true }),
          c.text('place', 100, { isNullable: true }),
          c.text('photoPath', 200, { isNullable: true }),
          c.int('reportedByHouseholdId', { isNullable: true }),
          c.int('reportedByUserId', { isNullable: true }),
          c.text('reportKey', 90, { isNullable: true }),
          c.text('status', 12, { default: "'REPORTED'" }),
          c.text('screenReason', 200, { isNullable: true }),
          c.int('screenedBy', { isNullable: true }),
          c.timestamp('screenedAt', { isNullable: true }),
          c.int('assigneeUserId', { isNullable: true }),
          c.int('assigneeHouseholdId', { isNullable: true }),
          c.text('dueOn', 10, { isNullable: true }),
          c.timestamp('dispatchedAt', { isNullable: true }),
          c.text('handledNote', 500, { isNullable: true }),
          c.text('handledPhotoPath', 200, { isNullable: true }),
          c.timestamp('handledAt', { isNullable: true }),
          c.int('reportRecordId', { isNullable: true }),
          c.int('handledRecordId', { isNullable: true }),
          c.createdAt(),
        ],
        indices: [
          new TableIndex({ columnNames: ['villageId', 'status'] }),
          new TableIndex({ columnNames: ['reportedByHouseholdId', 'id'] }),
          // The reporter and its key (`h12:…`, `u5:…`) name one report: a doubled or retried report finds the first.
          new TableIndex({ columnNames: ['reportKey'], isUnique: true }),
        ],
        foreignKeys: [fk('villageId', 'village'), fk('householdId', 'household')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['grid_affair', 'grid_settings', 'grid_household', 'grid'])
      await queryRunner.dropTable(table);
  }
}

import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

/** Issue 10: notices to households, and the outbox that delivers them per channel. New tables; no row changes. */
export class Notices1765200000000 implements MigrationInterface {
  name = 'Notices1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'notice',
        columns: [
          c.id(),
          c.int('villageId'),
          c.int('householdId'),
          c.text('kind', 24),
          c.text('text', 300),
          c.text('eventKey', 80),
          c.timestamp('createdAt'),
          c.timestamp('readAt', { isNullable: true }),
        ],
        indices: [
          new TableIndex({ columnNames: ['eventKey'], isUnique: true }),
          new TableIndex({ columnNames: ['householdId', 'id'] }),
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
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notice_delivery',
        columns: [
          c.id(),
          c.int('noticeId'),
          c.text('channel', 10),
          c.text('status', 10),
          c.int('attempts', { default: 0 }),
          c.timestamp('nextTryAt', { isNullable: true }),
          c.text('lastError', 200, { isNullable: true }),
          c.timestamp('sentAt', { isNullable: true }),
        ],
        indices: [
          new TableIndex({ columnNames: ['noticeId', 'channel'], isUnique: true }),
          new TableIndex({ columnNames: ['status', 'nextTryAt'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['noticeId'],
            referencedTableName: 'notice',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notice_delivery');
    await queryRunner.dropTable('notice');
  }
}

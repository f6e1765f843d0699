import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

/** Issue 4: 积分证明 (credit certificates for 积分贷) with their verification codes. */
export class CreditCertificates1764400000000 implements MigrationInterface {
  name = 'CreditCertificates1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    const fk = (column: string, table: string) =>
      new TableForeignKey({
        columnNames: [column],
        referencedTableName: table,
        referencedColumnNames: ['id'],
      });
    await queryRunner.createTable(
      new Table({
        name: 'credit_certificate',
        columns: [
          c.id(),
          c.int('villageId'),
          c.int('householdId'),
          c.text('code', 20),
          c.longText('payloadJson'),
          c.text('signature', 64),
          c.text('status', 10, { default: "'ISSUED'" }),
          c.int('issuedBy'),
          c.createdAt('issuedAt'),
          c.int('revokedBy', { isNullable: true }),
          c.timestamp('revokedAt', { isNullable: true }),
          c.text('revokeReason', 200, { isNullable: true }),
        ],
        foreignKeys: [
          fk('villageId', 'village'),
          fk('householdId', 'household'),
          fk('issuedBy', 'app_user'),
          fk('revokedBy', 'app_user'),
        ],
        indices: [
          new TableIndex({ columnNames: ['code'], isUnique: true }),
          new TableIndex({ columnNames: ['householdId'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('credit_certificate');
  }
}

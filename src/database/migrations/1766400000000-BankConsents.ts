import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

const fk = (column: string, table: string) =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'] });

/**
 * Issue 22 (3): a household's consent codes for a bank (授权码, only a keyed hash of the digits), each use of one by a
 * loan officer, and the loan outcomes the officers record. New tables only: no existing row changes.
 */
export class BankConsents1766400000000 implements MigrationInterface {
  name = 'BankConsents1766400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'consent_code',
        columns: [
          c.id(),
          c.int('householdId'),
          c.int('villageId'),
          c.text('codeHash', 64),
          c.text('lastDigits', 2),
          c.text('expiresOn', 10),
          c.text('status', 10, { default: "'ACTIVE'" }),
          c.int('madeByUserId', { isNullable: true }),
          c.createdAt(),
          c.timestamp('revokedAt', { isNullable: true }),
        ],
        indices: [
          new TableIndex({ columnNames: ['codeHash', 'status'] }),
          new TableIndex({ columnNames: ['householdId', 'id'] }),
        ],
        foreignKeys: [fk('householdId', 'household'), fk('villageId', 'village')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'consent_use',
        columns: [
          c.id(),
          c.int('consentId'),
          c.int('householdId'),
          c.int('bankUserId'),
          c.text('bankUserName', 60),
          c.text('kind', 10),
          c.createdAt(),
        ],
        indices: [new TableIndex({ columnNames: ['householdId', 'id'] })],
        foreignKeys: [
          fk('consentId', 'consent_code'),
          fk('householdId', 'household'),
          fk('bankUserId', 'app_user'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'loan_outcome',
        columns: [
          c.id(),
          c.int('consentId'),
          c.int('householdId'),
          c.int('villageId'),
          c.text('outcome', 10),
          c.text('band', 10),
          c.int('bankUserId'),
          c.text('recordedOn', 10),
          c.createdAt(),
        ],
        indices: [
          // One outcome per code: a double submit finds the first instead of making a second.
          new TableIndex({ columnNames: ['consentId'], isUnique: true }),
          new TableIndex({ columnNames: ['villageId', 'recordedOn'] }),
        ],
        foreignKeys: [
          fk('consentId', 'consent_code'),
          fk('householdId', 'household'),
          fk('villageId', 'village'),
          fk('bankUserId', 'app_user'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['loan_outcome', 'consent_use', 'consent_code']) await queryRunner.dropTable(table);
  }
}

import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

const fk = (column: string, table: string) =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'] });

/**
 * Issue 22.1: a second kind of account on the one ledger (a party member's book, `ledger_account`), and the party
 * branch's tables. Every existing entry stays as it is: `ledger_entry` gains `accountId` (null on all of them) and its
 * household becomes optional (an account's entry has none; on SQLite the table is rebuilt and its rows copied, with
 * foreign keys off as TypeORM runs migrations). A household book's numbers stay unique per village; an account's are
 * unique per account.
 */
export class PartyBooks1766500000000 implements MigrationInterface {
  name = 'PartyBooks1766500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'ledger_account',
        columns: [
          c.id(),
          c.text('kind', 20),
          c.int('villageId'),
          c.int('seq', { default: 0 }),
          c.text('head', 64, { default: "''" }),
          c.int('available', { default: 0 }),
          c.int('earned', { default: 0 }),
          c.createdAt(),
        ],
        indices: [new TableIndex({ columnNames: ['villageId', 'kind'] })],
        foreignKeys: [fk('villageId', 'village')],
      }),
    );
    const entries = await queryRunner.getTable('ledger_entry');
    const unique = entries?.indices.find((i) => i.isUnique && i.columnNames.join(',') === 'villageId,seq');
    if (unique) await queryRunner.dropIndex('ledger_entry', unique);
    await queryRunner.changeColumn(
      'ledger_entry',
      'householdId',
      new TableColumn({ name: 'householdId', type: 'integer', isNullable: true }),
    );
    await queryRunner.addColumn(
      'ledger_entry',
      new TableColumn({ name: 'accountId', type: 'integer', isNullable: true }),
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_ledger_entry_village_seq" ON ledger_entry ("villageId", seq) WHERE "accountId" IS NULL',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_ledger_entry_account_seq" ON ledger_entry ("accountId", seq) WHERE "accountId" IS NOT NULL',
    );

    await queryRunner.createTable(
      new Table({
        name: 'party_member',
        columns: [
          c.id(),
          c.int('villageId'),
          c.int('householdId'),
          c.int('memberId', { isUnique: true }),
          c.text('name', 40),
          c.int('accountId'),
          c.int('userId'),
          c.text('username', 40),
          c.int('createdBy', { isNullable: true }),
          c.createdAt(),
        ],
        indices: [new TableIndex({ columnNames: ['villageId'] })],
        foreignKeys: [
          fk('villageId', 'village'),
          fk('householdId', 'household'),
          fk('memberId', 'household_member'),
          fk('accountId', 'ledger_account'),
          fk('userId', 'app_user'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'party_rule',
        columns: [
          c.id(),
          c.int('villageId'),
          c.text('category', 20),
          c.text('title', 60),
          c.int('points'),
          c.int('minPoints'),
          c.int('maxPoints'),
          c.bool('active', true),
          c.createdAt(),
        ],
        indices: [new TableIndex({ columnNames: ['villageId'] })],
        foreignKeys: [fk('villageId', 'village')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'party_settings',
        columns: [
          c.int('villageId', { isPrimary: true }),
          c.int('monthlyBase', { isNullable: true }),
          c.text('starThresholds', 60, { default: "'20,40,60,80,100'" }),
        ],
        foreignKeys: [fk('villageId', 'village')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'party_publication',
        columns: [
          c.id(),
          c.int('villageId'),
          c.text('startsOn', 10),
          c.text('endsOn', 10),
          c.text('status', 10, { default: "'OPEN'" }),
          c.int('openedBy', { isNullable: true }),
          c.int('closedBy', { isNullable: true }),
          c.createdAt(),
        ],
        indices: [new TableIndex({ columnNames: ['villageId'] })],
        foreignKeys: [fk('villageId', 'village')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'party_record',
        columns: [
          c.id(),
          c.int('villageId'),
          c.int('partyMemberId'),
          c.int('ruleId'),
          c.int('points'),
          c.text('occurredOn', 10),
          c.text('note', 200, { isNullable: true }),
          c.text('status', 12, { default: "'PENDING'" }),
          c.int('recordedBy'),
          c.int('reviewedBy', { isNullable: true }),
          c.text('rejectReason', 200, { isNullable: true }),
          c.int('publicationId', { isNullable: true }),
          c.int('entryId', { isNullable: true }),
          c.createdAt(),
        ],
        indices: [
          new TableIndex({ columnNames: ['villageId', 'status'] }),
          new TableIndex({ columnNames: ['partyMemberId'] }),
        ],
        foreignKeys: [
          fk('villageId', 'village'),
          fk('partyMemberId', 'party_member'),
          fk('ruleId', 'party_rule'),
          fk('publicationId', 'party_publication'),
          fk('entryId', 'ledger_entry'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'party_objection',
        columns: [
          c.id(),
          c.int('villageId'),
          c.int('recordId'),
          c.int('raisedBy'),
          c.text('reason', 200),
          c.text('status', 10, { default: "'OPEN'" }),
          c.text('answer', 200, { isNullable: true }),
          c.int('answeredBy', { isNullable: true }),
          c.createdAt(),
        ],
        indices: [new TableIndex({ columnNames: ['recordId'] })],
        foreignKeys: [fk('villageId', 'village'), fk('recordId', 'party_record')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'party_commitment',
        columns: [
          c.id(),
          c.int('villageId'),
          c.int('partyMemberId'),
          c.int('year'),
          c.text('promise', 200),
          c.text('fulfilment', 200, { isNullable: true }),
          c.int('fulfilledBy', { isNullable: true }),
          c.int('createdBy', { isNullable: true }),
          c.createdAt(),
        ],
        indices: [new TableIndex({ columnNames: ['partyMemberId', 'year'] })],
        foreignKeys: [fk('villageId', 'village'), fk('partyMemberId', 'party_member')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'party_link',
        columns: [
          c.id(),
          c.int('villageId'),
          c.int('partyMemberId'),
          c.int('householdId'),
          c.int('createdBy', { isNullable: true }),
          c.createdAt(),
        ],
        indices: [new TableIndex({ columnNames: ['partyMemberId', 'householdId'], isUnique: true })],
        foreignKeys: [
          fk('villageId', 'village'),
          fk('partyMemberId', 'party_member'),
          fk('householdId', 'household'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'party_link',
      'party_commitment',
      'party_objection',
      'party_record',
      'party_publication',
      'party_settings',
      'party_rule',
      'party_member',
    ])
      await queryRunner.dropTable(table);
    await queryRunner.query('DELETE FROM ledger_entry WHERE "accountId" IS NOT NULL');
    await queryRunner.query('DROP INDEX "IDX_ledger_entry_account_seq"');
    await queryRunner.query('DROP INDEX "IDX_ledger_entry_village_seq"');
    await queryRunner.dropColumn('ledger_entry', 'accountId');
    await queryRunner.changeColumn(
      'ledger_entry',
      'householdId',
      new TableColumn({ name: 'householdId', type: 'integer', isNullable: false }),
    );
    await queryRunner.createIndex(
      'ledger_entry',
      new TableIndex({ columnNames: ['villageId', 'seq'], isUnique: true }),
    );
    await queryRunner.dropTable('ledger_account');
  }
}

import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

/**
 * Issue 2: members, rule lists with versions, score records, publications (公示), objections, and the passbook
 * ledger with its per-village hash chain.
 */
export class ScoringAndLedger1764000000000 implements MigrationInterface {
  name = 'ScoringAndLedger1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    const fk = (column: string, table: string) =>
      new TableForeignKey({
        columnNames: [column],
        referencedTableName: table,
        referencedColumnNames: ['id'],
      });

    await queryRunner.addColumns('village', [
      new TableColumn(c.bool('declarationsEnabled', true)),
      new TableColumn(c.int('ledgerSeq', { default: 0 })),
      new TableColumn(c.text('ledgerHead', 64, { default: "''" })),
    ]);

    await queryRunner.createTable(
      new Table({
        name: 'household_member',
        columns: [
          c.id(),
          c.int('householdId'),
          c.text('name', 40),
          c.text('relation', 20),
          c.bool('partyMember', false),
          c.createdAt(),
        ],
        foreignKeys: [fk('householdId', 'household')],
        indices: [new TableIndex({ columnNames: ['householdId'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'scoring_rule',
        columns: [
          c.id(),
          c.int('villageId', { isNullable: true }),
          c.int('townshipId', { isNullable: true }),
          c.text('code', 20),
          c.text('category', 10),
          c.text('title', 100),
          c.int('minPoints'),
          c.int('maxPoints'),
          c.int('version', { default: 1 }),
          c.int('capCount', { isNullable: true }),
          c.text('capPeriod', 5, { isNullable: true }),
          c.bool('evidenceRequired', false),
          c.bool('blackList', false),
          c.bool('active', true),
          c.createdAt(),
        ],
        foreignKeys: [fk('villageId', 'village'), fk('townshipId', 'township')],
        indices: [
          new TableIndex({ columnNames: ['villageId', 'code'], isUnique: true }),
          new TableIndex({ columnNames: ['townshipId', 'code'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'scoring_rule_version',
        columns: [
          c.id(),
          c.int('ruleId'),
          c.int('version'),
          c.text('title', 100),
          c.int('minPoints'),
          c.int('maxPoints'),
          c.int('createdBy', { isNullable: true }),
          c.createdAt(),
        ],
        foreignKeys: [fk('ruleId', 'scoring_rule')],
        indices: [new TableIndex({ columnNames: ['ruleId', 'version'], isUnique: true })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'publication',
        columns: [
          c.id(),
          c.int('villageId'),
          c.text('startsOn', 10),
          c.text('endsOn', 10),
          c.int('days'),
          c.text('status', 10, { default: "'OPEN'" }),
          c.int('openedBy', { isNullable: true }),
          c.int('closedBy', { isNullable: true }),
          c.timestamp('closedAt', { isNullable: true }),
          c.createdAt(),
        ],
        foreignKeys: [fk('villageId', 'village')],
        indices: [
          new TableIndex({ columnNames: ['villageId', 'status'] }),
          new TableIndex({ columnNames: ['status', 'endsOn'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'score_record',
        columns: [
          c.id(),
          c.int('villageId'),
          c.int('householdId'),
          c.int('ruleId'),
          c.int('ruleVersionId'),
          c.int('points'),
          c.text('occurredOn', 10),
          c.text('note', 500, { isNullable: true }),
          c.text('evidencePath', 200, { isNullable: true }),
          c.text('status', 12),
          c.int('recordedBy', { isNullable: true }),
          c.int('declaredBy', { isNullable: true }),
          c.int('reviewedBy', { isNullable: true }),
          c.timestamp('reviewedAt', { isNullable: true }),
          c.text('rejectReason', 200, { isNullable: true }),
          c.int('publicationId', { isNullable: true }),
          c.text('batchKey', 40, { isNullable: true }),
          c.text('idempotencyKey', 80, { isNullable: true }),
          c.timestamp('postedAt', { isNullable: true }),
          c.createdAt(),
        ],
        foreignKeys: [
          fk('villageId', 'village'),
          fk('householdId', 'household'),
          fk('ruleId', 'scoring_rule'),
          fk('ruleVersionId', 'scoring_rule_version'),
          fk('recordedBy', 'app_user'),
          fk('declaredBy', 'household'),
          fk('reviewedBy', 'app_user'),
          fk('publicationId', 'publication'),
        ],
        indices: [
          new TableIndex({ columnNames: ['villageId', 'status'] }),
          new TableIndex({ columnNames: ['householdId', 'ruleId', 'occurredOn'] }),
          new TableIndex({ columnNames: ['publicationId'] }),
          new TableIndex({ columnNames: ['recordedBy', 'idempotencyKey'], isUnique: true }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'objection',
        columns: [
          c.id(),
          c.int('recordId'),
          c.int('villageId'),
          c.int('byUserId', { isNullable: true }),
          c.int('byHouseholdId', { isNullable: true }),
          c.text('reason', 500),
          c.text('status', 10, { default: "'OPEN'" }),
          c.int('correctedPoints', { isNullable: true }),
          c.int('resolvedBy', { isNullable: true }),
          c.timestamp('resolvedAt', { isNullable: true }),
          c.createdAt(),
        ],
        foreignKeys: [
          fk('recordId', 'score_record'),
          fk('villageId', 'village'),
          fk('byUserId', 'app_user'),
          fk('byHouseholdId', 'household'),
        ],
        indices: [
          new TableIndex({ columnNames: ['recordId'] }),
          new TableIndex({ columnNames: ['villageId', 'status'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'ledger_entry',
        columns: [
          c.id(),
          c.int('villageId'),
          c.int('seq'),
          c.int('householdId'),
          c.int('amount'),
          c.text('kind', 20),
          c.text('refType', 20, { isNullable: true }),
          c.int('refId', { isNullable: true }),
          c.int('correctsEntryId', { isNullable: true }),
          c.int('availableAfter'),
          c.int('earnedAfter'),
          c.text('description', 200),
          c.text('occurredOn', 10),
          c.int('createdBy', { isNullable: true }),
          c.text('createdAt', 30),
          c.text('prevHash', 64),
          c.text('hash', 64),
        ],
        foreignKeys: [
          fk('villageId', 'village'),
          fk('householdId', 'household'),
          fk('correctsEntryId', 'ledger_entry'),
        ],
        indices: [
          new TableIndex({ columnNames: ['villageId', 'seq'], isUnique: true }),
          new TableIndex({ columnNames: ['householdId', 'id'] }),
          new TableIndex({ columnNames: ['refType', 'refId'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'ledger_entry',
      'objection',
      'score_record',
      'publication',
      'scoring_rule_version',
      'scoring_rule',
      'household_member',
    ]) {
      await queryRunner.dropTable(table);
    }
    for (const column of ['ledgerHead', 'ledgerSeq', 'declarationsEnabled'])
      await queryRunner.dropColumn('village', column);
  }
}

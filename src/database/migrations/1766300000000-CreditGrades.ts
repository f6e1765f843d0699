import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

const fk = (column: string, table: string) =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'] });

/**
 * Issue 22 (2): 信用户评定. A village's grade rules, a year's grades of its households (a run), and objections to them
 * during 公示. New tables only: no existing row changes.
 */
export class CreditGrades1766300000000 implements MigrationInterface {
  name = 'CreditGrades1766300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'credit_grade_rules',
        columns: [
          { ...c.int('villageId'), isPrimary: true },
          c.longText('levels'),
          c.text('blackListGrade', 8),
          c.int('setBy', { isNullable: true }),
          c.timestamp('setAt'),
        ],
        foreignKeys: [fk('villageId', 'village'), fk('setBy', 'app_user')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'credit_grade_run',
        columns: [
          c.id(),
          c.int('villageId'),
          c.int('year'),
          c.text('status', 12, { default: "'COMPUTED'" }),
          c.longText('levels'),
          c.text('blackListGrade', 8),
          c.text('windowEndsOn', 10, { isNullable: true }),
          c.timestamp('computedAt'),
          c.int('computedBy', { isNullable: true }),
          c.timestamp('publicizedAt', { isNullable: true }),
          c.timestamp('submittedAt', { isNullable: true }),
          c.timestamp('filedAt', { isNullable: true }),
          c.int('filedBy', { isNullable: true }),
          c.text('townshipComment', 200, { isNullable: true }),
        ],
        indices: [new TableIndex({ columnNames: ['villageId', 'year'], isUnique: true })],
        foreignKeys: [fk('villageId', 'village')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'credit_grade',
        columns: [
          c.id(),
          c.int('runId'),
          c.int('villageId'),
          c.int('year'),
          c.int('householdId'),
          c.int('earned'),
          c.int('stars'),
          c.bool('blackListed', false),
          c.text('computedGrade', 8),
          c.text('grade', 8),
          c.text('note', 200, { isNullable: true }),
        ],
        indices: [
          new TableIndex({ columnNames: ['runId', 'householdId'], isUnique: true }),
          new TableIndex({ columnNames: ['householdId', 'year'] }),
        ],
        foreignKeys: [fk('runId', 'credit_grade_run'), fk('householdId', 'household')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'credit_grade_objection',
        columns: [
          c.id(),
          c.int('runId'),
          c.int('villageId'),
          c.int('householdId'),
          c.int('byUserId', { isNullable: true }),
          c.int('byHouseholdId', { isNullable: true }),
          c.text('reason', 500),
          c.text('status', 10, { default: "'OPEN'" }),
          c.text('answer', 200, { isNullable: true }),
          c.text('gradeBefore', 8, { isNullable: true }),
          c.text('gradeAfter', 8, { isNullable: true }),
          c.int('resolvedBy', { isNullable: true }),
          c.timestamp('resolvedAt', { isNullable: true }),
          c.createdAt(),
        ],
        indices: [new TableIndex({ columnNames: ['runId', 'status'] })],
        foreignKeys: [fk('runId', 'credit_grade_run'), fk('householdId', 'household')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['credit_grade_objection', 'credit_grade', 'credit_grade_run', 'credit_grade_rules'])
      await queryRunner.dropTable(table);
  }
}

import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

/**
 * Issue 20.1: 细则修订, changes to a village's rule list adopted by the 村民代表会议 and filed with the township.
 * Existing lists count as filed on their creation date: one FILED revision (no changes, no meeting recorded) per
 * village that has rules, dated at its earliest rule.
 */
export class RuleRevisions1765500000000 implements MigrationInterface {
  name = 'RuleRevisions1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'rule_revision',
        columns: [
          c.id(),
          c.int('villageId'),
          c.text('status', 10, { default: "'DRAFT'" }),
          c.longText('changes'),
          c.text('meetingOn', 10, { isNullable: true }),
          c.int('present', { isNullable: true }),
          c.int('votesFor', { isNullable: true }),
          c.int('votesAgainst', { isNullable: true }),
          c.int('votesAbstain', { isNullable: true }),
          c.longText('minutes', { isNullable: true }),
          c.timestamp('submittedAt', { isNullable: true }),
          c.timestamp('decidedAt', { isNullable: true }),
          c.int('decidedBy', { isNullable: true }),
          c.text('comment', 200, { isNullable: true }),
          c.int('createdBy', { isNullable: true }),
          c.createdAt(),
        ],
        indices: [new TableIndex({ columnNames: ['villageId', 'status'] })],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['villageId'],
            referencedTableName: 'village',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );
    await queryRunner.query(
      `INSERT INTO rule_revision ("villageId", status, changes, "submittedAt", "decidedAt", "createdAt")
       SELECT "villageId", 'FILED', '[]', MIN("createdAt"), MIN("createdAt"), MIN("createdAt")
       FROM scoring_rule WHERE "villageId" IS NOT NULL GROUP BY "villageId"`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('rule_revision');
  }
}

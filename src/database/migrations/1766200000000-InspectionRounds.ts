import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

const fk = (column: string, table: string) =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'] });

/**
 * Issue 21 (4): 入户检查, inspection rounds and what was found at each household. New tables only: no existing row
 * changes.
 */
export class InspectionRounds1766200000000 implements MigrationInterface {
  name = 'InspectionRounds1766200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'inspection_round',
        columns: [
          c.id(),
          c.int('villageId'),
          c.int('gridId', { isNullable: true }),
          c.text('title', 40),
          c.text('category', 10),
          c.text('status', 12, { default: "'OPEN'" }),
          c.int('createdBy'),
          c.createdAt(),
          c.timestamp('submittedAt', { isNullable: true }),
        ],
        indices: [new TableIndex({ columnNames: ['villageId', 'id'] })],
        foreignKeys: [fk('villageId', 'village'), fk('gridId', 'grid'), fk('createdBy', 'app_user')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'inspection_entry',
        columns: [
          c.id(),
          c.int('roundId'),
          c.int('householdId'),
          c.int('ruleId'),
          c.int('points', { isNullable: true }),
          c.text('note', 200, { isNullable: true }),
          c.text('photoPath', 200, { isNullable: true }),
          c.text('idempotencyKey', 80),
          c.int('createdBy'),
          c.int('recordId', { isNullable: true }),
          c.createdAt(),
        ],
        indices: [
          // A phone that was offline may send an entry twice: its key names it within the round.
          new TableIndex({ columnNames: ['roundId', 'idempotencyKey'], isUnique: true }),
        ],
        foreignKeys: [
          fk('roundId', 'inspection_round'),
          fk('householdId', 'household'),
          fk('ruleId', 'scoring_rule'),
          fk('recordId', 'score_record'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('inspection_entry');
    await queryRunner.dropTable('inspection_round');
  }
}

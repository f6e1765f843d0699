import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

/**
 * Issue 20.3: the 道德评议会. A rule may need the council's vote (`needsCouncil`, false for every existing rule), a
 * village sets how many members must vote (`councilQuorum`, 5), and each member's vote on a record is a row of
 * `council_vote`, one per member and record.
 */
export class CouncilVotes1765700000000 implements MigrationInterface {
  name = 'CouncilVotes1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    const no = queryRunner.connection.options.type === 'postgres' ? 'false' : '0';
    // ALTER TABLE … ADD COLUMN, not addColumn: on SQLite that would rebuild the tables.
    await queryRunner.query(
      `ALTER TABLE scoring_rule ADD COLUMN "needsCouncil" boolean NOT NULL DEFAULT ${no}`,
    );
    await queryRunner.query(
      `ALTER TABLE scoring_settings ADD COLUMN "councilQuorum" integer NOT NULL DEFAULT 5`,
    );
    await queryRunner.createTable(
      new Table({
        name: 'council_vote',
        columns: [
          c.id(),
          c.int('recordId'),
          c.int('villageId'),
          c.int('userId'),
          c.text('vote', 8),
          c.text('comment', 200, { isNullable: true }),
          c.createdAt(),
        ],
        indices: [new TableIndex({ columnNames: ['recordId', 'userId'], isUnique: true })],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['recordId'],
            referencedTableName: 'score_record',
            referencedColumnNames: ['id'],
          }),
          new TableForeignKey({
            columnNames: ['userId'],
            referencedTableName: 'app_user',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('council_vote');
    await queryRunner.dropColumn(
      'scoring_settings',
      new TableColumn({ name: 'councilQuorum', type: 'integer' }),
    );
    await queryRunner.dropColumn('scoring_rule', new TableColumn({ name: 'needsCouncil', type: 'boolean' }));
  }
}

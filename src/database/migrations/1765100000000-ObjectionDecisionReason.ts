import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Issue 10: a dismissed objection says why (API.md: DISMISS needs a reason the objector sees). Existing objections keep
 * their rows, with no reason recorded.
 */
export class ObjectionDecisionReason1765100000000 implements MigrationInterface {
  name = 'ObjectionDecisionReason1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'objection',
      new TableColumn({ name: 'decisionReason', type: 'varchar', length: '200', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('objection', 'decisionReason');
  }
}

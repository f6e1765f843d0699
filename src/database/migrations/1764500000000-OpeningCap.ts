import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Issue 8: opening balances (期初积分) go through the record path within a cap the township sets. Existing townships
 * get a cap of 0 (no opening balances until the township sets one); every existing row is kept.
 */
export class OpeningCap1764500000000 implements MigrationInterface {
  name = 'OpeningCap1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'township',
      new TableColumn({ name: 'openingCap', type: 'integer', default: 0, isNullable: false }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('township', 'openingCap');
  }
}

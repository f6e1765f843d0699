import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Issue 20.3: "the votes (not the voters' names, unless the village chooses to show them) appear in 公示". A village
 * setting, off for every village that has a row today (and the default for those that have none).
 */
export class CouncilShowNames1765850000000 implements MigrationInterface {
  name = 'CouncilShowNames1765850000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const no = queryRunner.connection.options.type === 'postgres' ? 'false' : '0';
    // ALTER TABLE … ADD COLUMN, not addColumn: on SQLite that would rebuild the table.
    await queryRunner.query(
      `ALTER TABLE scoring_settings ADD COLUMN "councilShowNames" boolean NOT NULL DEFAULT ${no}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn(
      'scoring_settings',
      new TableColumn({ name: 'councilShowNames', type: 'boolean' }),
    );
  }
}

import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columns } from '../migration-columns.js';

/**
 * Issue 16.4: an account a village creates waits for its township's confirmation; a village staff account states its
 * household or that it has none in the village; who created an account. Existing rows are kept as they are: they are
 * confirmed (they were already in use) and their household is "not yet stated" (a to-do on the account list).
 */
export class StaffAccountChecks1764900000000 implements MigrationInterface {
  name = 'StaffAccountChecks1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.addColumns('app_user', [
      new TableColumn(c.bool('noHouseholdInVillage', false)),
      new TableColumn(c.bool('awaitingConfirmation', false)),
      new TableColumn(c.int('createdBy', { isNullable: true })),
      new TableColumn(c.int('confirmedBy', { isNullable: true })),
      new TableColumn(c.timestamp('confirmedAt', { isNullable: true })),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of [
      'confirmedAt',
      'confirmedBy',
      'createdBy',
      'awaitingConfirmation',
      'noHouseholdInVillage',
    ])
      await queryRunner.dropColumn('app_user', column);
  }
}

import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Issue 2: household codes are numbered per village from a counter that only grows, so a code is never reused. */
export class HouseholdCodes1763900000000 implements MigrationInterface {
  name = 'HouseholdCodes1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'village',
      new TableColumn({ name: 'householdSeq', type: 'integer', default: 0 }),
    );
    await queryRunner.addColumn(
      'household',
      new TableColumn({ name: 'movedOutOn', type: 'varchar', length: '10', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('household', 'movedOutOn');
    await queryRunner.dropColumn('village', 'householdSeq');
  }
}

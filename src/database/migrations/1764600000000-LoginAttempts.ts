import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

/** Issue 16: the login throttle's counts in the database, shared by every server process and kept over a restart. */
export class LoginAttempts1764600000000 implements MigrationInterface {
  name = 'LoginAttempts1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'login_attempt',
        columns: [
          c.text('key', 120, { isPrimary: true }),
          c.int('failures', { default: 0 }),
          c.bigint('windowStart'),
        ],
        indices: [new TableIndex({ columnNames: ['windowStart'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('login_attempt');
  }
}

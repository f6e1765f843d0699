import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

const fk = (column: string, table: string) =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'] });

/**
 * Issue 21.3: volunteer activities (志愿服务活动), the households signed up for them and their attendance. New tables
 * only: no existing row changes. The activity's day is the column "heldOn" (ON is a reserved word in SQL).
 */
export class VolunteerActivities1766100000000 implements MigrationInterface {
  name = 'VolunteerActivities1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'activity',
        columns: [
          c.id(),
          c.int('villageId'),
          c.text('title', 40),
          c.text('heldOn', 10),
          c.text('place', 60),
          c.int('places'),
          c.int('ruleId'),
          c.int('pointsPerHour', { isNullable: true }),
          c.text('status', 10, { default: "'OPEN'" }),
          c.int('createdBy', { isNullable: true }),
          c.createdAt(),
          c.timestamp('closedAt', { isNullable: true }),
        ],
        indices: [new TableIndex({ columnNames: ['villageId', 'heldOn'] })],
        foreignKeys: [fk('villageId', 'village'), fk('ruleId', 'scoring_rule')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'activity_signup',
        columns: [
          c.id(),
          c.int('activityId'),
          c.int('householdId'),
          c.int('byUserId', { isNullable: true }),
          c.createdAt(),
        ],
        indices: [new TableIndex({ columnNames: ['activityId', 'householdId'], isUnique: true })],
        foreignKeys: [fk('activityId', 'activity'), fk('householdId', 'household')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'activity_attendance',
        columns: [
          c.id(),
          c.int('activityId'),
          c.int('householdId'),
          { name: 'hours', type: 'real', isNullable: true },
          c.int('recordId', { isNullable: true }),
          c.int('byUserId', { isNullable: true }),
          c.createdAt(),
        ],
        indices: [new TableIndex({ columnNames: ['activityId', 'householdId'], isUnique: true })],
        foreignKeys: [fk('activityId', 'activity'), fk('householdId', 'household')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['activity_attendance', 'activity_signup', 'activity'])
      await queryRunner.dropTable(table);
  }
}

import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

/** Issue 1: organisation, staff accounts, households (for the villager login), login sessions, audit log. */
export class Foundation1763800000000 implements MigrationInterface {
  name = 'Foundation1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    const fk = (column: string, table: string) =>
      new TableForeignKey({
        columnNames: [column],
        referencedTableName: table,
        referencedColumnNames: ['id'],
      });

    await queryRunner.createTable(
      new Table({
        name: 'township',
        columns: [
          c.id(),
          c.text('name', 60),
          c.text('code', 20, { isUnique: true }),
          c.bool('active', true),
          c.createdAt(),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'village',
        columns: [
          c.id(),
          c.int('townshipId'),
          c.text('name', 60),
          c.text('code', 20, { isUnique: true }),
          c.bool('active', true),
          c.createdAt(),
        ],
        foreignKeys: [fk('townshipId', 'township')],
        indices: [new TableIndex({ columnNames: ['townshipId'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'village_group',
        columns: [
          c.id(),
          c.int('villageId'),
          c.text('name', 40),
          c.int('sortOrder', { default: 0 }),
          c.bool('active', true),
        ],
        foreignKeys: [fk('villageId', 'village')],
        indices: [new TableIndex({ columnNames: ['villageId', 'name'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'household',
        columns: [
          c.id(),
          c.int('villageId'),
          c.int('groupId', { isNullable: true }),
          c.text('code', 30, { isUnique: true }),
          c.text('headName', 40),
          c.int('memberCount', { default: 1 }),
          c.text('phone', 20, { isNullable: true }),
          c.text('pinHash', 200, { isNullable: true }),
          c.int('pinVersion', { default: 1 }),
          c.int('available', { default: 0 }),
          c.int('earned', { default: 0 }),
          c.text('status', 20, { default: "'ACTIVE'" }),
          c.createdAt(),
        ],
        foreignKeys: [fk('villageId', 'village'), fk('groupId', 'village_group')],
        indices: [new TableIndex({ columnNames: ['villageId'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'app_user',
        columns: [
          c.id(),
          c.text('username', 40, { isUnique: true }),
          c.text('passwordHash', 200),
          c.text('displayName', 40),
          c.text('role', 20),
          c.int('townshipId', { isNullable: true }),
          c.int('villageId', { isNullable: true }),
          c.int('householdId', { isNullable: true }),
          c.bool('active', true),
          c.int('tokenVersion', { default: 1 }),
          c.createdAt(),
          c.createdAt('updatedAt'),
        ],
        foreignKeys: [
          fk('townshipId', 'township'),
          fk('villageId', 'village'),
          fk('householdId', 'household'),
        ],
        indices: [
          new TableIndex({ columnNames: ['townshipId'] }),
          new TableIndex({ columnNames: ['villageId'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'login_session',
        columns: [
          c.text('idHash', 64, { isPrimary: true }),
          c.int('userId', { isNullable: true }),
          c.int('householdId', { isNullable: true }),
          c.createdAt(),
          c.bigint('expiresAt'),
        ],
        foreignKeys: [fk('userId', 'app_user'), fk('householdId', 'household')],
        indices: [
          new TableIndex({ columnNames: ['userId'] }),
          new TableIndex({ columnNames: ['householdId'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          c.id(),
          c.createdAt(),
          c.text('actorType', 12),
          c.int('actorId', { isNullable: true }),
          c.text('actorName', 60),
          c.text('action', 40),
          c.text('entityType', 30, { isNullable: true }),
          c.int('entityId', { isNullable: true }),
          c.int('townshipId', { isNullable: true }),
          c.int('villageId', { isNullable: true }),
          c.longText('details', { isNullable: true }),
          c.text('ip', 64, { isNullable: true }),
        ],
        indices: [
          new TableIndex({ columnNames: ['createdAt'] }),
          new TableIndex({ columnNames: ['action'] }),
          new TableIndex({ columnNames: ['villageId', 'createdAt'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'audit_log',
      'login_session',
      'app_user',
      'household',
      'village_group',
      'village',
      'township',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}

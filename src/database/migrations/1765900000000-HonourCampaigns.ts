import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

const fk = (column: string, table: string) =>
  new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'] });

/**
 * Issue 20.5: honours campaigns (评选活动) with named stars, nominations, the council's votes on them and objections
 * to the result. New tables only: no existing row changes (the points-threshold stars stay the default).
 */
export class HonourCampaigns1765900000000 implements MigrationInterface {
  name = 'HonourCampaigns1765900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'honour_campaign',
        columns: [
          c.id(),
          c.int('villageId'),
          c.int('year'),
          c.text('title', 40),
          c.text('status', 10, { default: "'OPEN'" }),
          c.text('windowEndsOn', 10, { isNullable: true }),
          c.timestamp('publishedAt', { isNullable: true }),
          c.timestamp('filedAt', { isNullable: true }),
          c.int('filedBy', { isNullable: true }),
          c.int('createdBy', { isNullable: true }),
          c.createdAt(),
        ],
        indices: [new TableIndex({ columnNames: ['villageId', 'year', 'title'], isUnique: true })],
        foreignKeys: [fk('villageId', 'village')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'honour_star',
        columns: [
          c.id(),
          c.int('campaignId'),
          c.text('name', 12),
          c.text('category', 10, { isNullable: true }),
          c.int('minPoints', { isNullable: true }),
          c.bool('needsCouncil', false),
        ],
        indices: [new TableIndex({ columnNames: ['campaignId'] })],
        foreignKeys: [fk('campaignId', 'honour_campaign')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'honour_nomination',
        columns: [
          c.id(),
          c.int('campaignId'),
          c.int('villageId'),
          c.int('starId'),
          c.int('householdId'),
          c.text('reason', 200, { isNullable: true }),
          c.int('nominatedBy', { isNullable: true }),
          c.text('status', 12, { default: "'NOMINATED'" }),
          c.text('councilResult', 10, { isNullable: true }),
          c.int('points', { isNullable: true }),
          c.text('outcomeNote', 200, { isNullable: true }),
          c.timestamp('withdrawnAt', { isNullable: true }),
          c.createdAt(),
        ],
        indices: [
          new TableIndex({ columnNames: ['campaignId', 'starId', 'householdId'], isUnique: true }),
          new TableIndex({ columnNames: ['householdId', 'status'] }),
        ],
        foreignKeys: [
          fk('campaignId', 'honour_campaign'),
          fk('starId', 'honour_star'),
          fk('householdId', 'household'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'honour_vote',
        columns: [
          c.id(),
          c.int('nominationId'),
          c.int('villageId'),
          c.int('userId'),
          c.text('vote', 8),
          c.text('comment', 200, { isNullable: true }),
          c.createdAt(),
        ],
        indices: [new TableIndex({ columnNames: ['nominationId', 'userId'], isUnique: true })],
        foreignKeys: [fk('nominationId', 'honour_nomination'), fk('userId', 'app_user')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'honour_objection',
        columns: [
          c.id(),
          c.int('nominationId'),
          c.int('campaignId'),
          c.int('villageId'),
          c.int('byUserId', { isNullable: true }),
          c.int('byHouseholdId', { isNullable: true }),
          c.text('reason', 500),
          c.text('status', 10, { default: "'OPEN'" }),
          c.text('answer', 200, { isNullable: true }),
          c.int('resolvedBy', { isNullable: true }),
          c.timestamp('resolvedAt', { isNullable: true }),
          c.createdAt(),
        ],
        indices: [new TableIndex({ columnNames: ['campaignId', 'status'] })],
        foreignKeys: [fk('nominationId', 'honour_nomination')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'honour_objection',
      'honour_vote',
      'honour_nomination',
      'honour_star',
      'honour_campaign',
    ])
      await queryRunner.dropTable(table);
  }
}

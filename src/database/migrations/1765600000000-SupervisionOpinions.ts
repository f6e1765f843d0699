import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

/** Issue 20 item 2: 监督意见 of the village's supervision committee, and the committee's answers. No row changes. */
export class SupervisionOpinions1765600000000 implements MigrationInterface {
  name = 'SupervisionOpinions1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'supervision_opinion',
        columns: [
          c.id(),
          c.int('villageId'),
          c.text('targetType', 20),
          c.int('targetId'),
          c.text('text', 500),
          c.int('byUserId'),
          c.text('status', 10, { default: "'OPEN'" }),
          c.text('answer', 500, { isNullable: true }),
          c.int('answeredBy', { isNullable: true }),
          c.timestamp('answeredAt', { isNullable: true }),
          c.createdAt(),
        ],
        indices: [
          new TableIndex({ columnNames: ['targetType', 'targetId', 'status'] }),
          new TableIndex({ columnNames: ['villageId', 'status'] }),
        ],
        foreignKeys: [
          { columnNames: ['villageId'], referencedTableName: 'village', referencedColumnNames: ['id'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('supervision_opinion');
  }
}

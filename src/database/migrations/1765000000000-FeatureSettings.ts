import { MigrationInterface, QueryRunner, Table, TableForeignKey } from 'typeorm';
import { columns } from '../migration-columns.js';

/** Each table and the village columns it takes over, in the order the village kept them. */
const MOVES = {
  supermarket_settings: ['receiptDay', 'receiptSeq', 'resetEnabled', 'resetOn', 'resetKeep', 'lastResetOn'],
  ranking_settings: ['starThresholds', 'blackListMode', 'redListSize'],
  scoring_settings: ['declarationsEnabled'],
} as const;

/**
 * Issue 17.4: the settings and counters of the supermarket (receipt counter, yearly reset), rankings (list and star
 * settings) and scoring (villagers' declarations) move out of `village` into one table per feature, keyed by the
 * village. Every village's values are copied across before the old columns go (on SQLite, dropping columns rebuilds
 * the village table and copies its rows).
 */
export class FeatureSettings1765000000000 implements MigrationInterface {
  name = 'FeatureSettings1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    const shapes: Record<keyof typeof MOVES, ReturnType<typeof c.int>[]> = {
      supermarket_settings: [
        c.text('receiptDay', 8, { default: "''" }),
        c.int('receiptSeq', { default: 0 }),
        c.bool('resetEnabled', false),
        c.text('resetOn', 5, { default: "'12-31'" }),
        c.int('resetKeep', { default: 0 }),
        c.text('lastResetOn', 10, { isNullable: true }),
      ],
      ranking_settings: [
        c.text('starThresholds', 40, { default: "'50,100,200,300,500'" }),
        c.text('blackListMode', 5, { default: "'NAMED'" }),
        c.int('redListSize', { default: 10 }),
      ],
      scoring_settings: [c.bool('declarationsEnabled', true)],
    };
    for (const [table, moved] of Object.entries(MOVES) as [keyof typeof MOVES, readonly string[]][]) {
      await queryRunner.createTable(
        new Table({
          name: table,
          columns: [c.int('villageId', { isPrimary: true }), ...shapes[table]],
          foreignKeys: [
            new TableForeignKey({
              columnNames: ['villageId'],
              referencedTableName: 'village',
              referencedColumnNames: ['id'],
            }),
          ],
        }),
      );
      const list = moved.map((name) => `"${name}"`).join(', ');
      await queryRunner.query(`INSERT INTO ${table} ("villageId", ${list}) SELECT id, ${list} FROM village`);
    }
    await queryRunner.dropColumns(
      'village',
      Object.values(MOVES).flatMap((moved) => [...moved]),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // ALTER TABLE … ADD COLUMN rather than TypeORM's addColumns, which on SQLite rebuilds the village table: undoing a
    // migration runs with foreign keys on, and dropping the referenced village table would fail.
    const [yes, no] = queryRunner.connection.options.type === 'postgres' ? ['true', 'false'] : ['1', '0'];
    const back = [
      `"declarationsEnabled" boolean NOT NULL DEFAULT ${yes}`,
      `"receiptDay" varchar(8) NOT NULL DEFAULT ''`,
      `"receiptSeq" integer NOT NULL DEFAULT 0`,
      `"resetEnabled" boolean NOT NULL DEFAULT ${no}`,
      `"resetOn" varchar(5) NOT NULL DEFAULT '12-31'`,
      `"resetKeep" integer NOT NULL DEFAULT 0`,
      `"lastResetOn" varchar(10)`,
      `"starThresholds" varchar(40) NOT NULL DEFAULT '50,100,200,300,500'`,
      `"blackListMode" varchar(5) NOT NULL DEFAULT 'NAMED'`,
      `"redListSize" integer NOT NULL DEFAULT 10`,
    ];
    for (const column of back) await queryRunner.query(`ALTER TABLE village ADD COLUMN ${column}`);
    // A village without a row in a table keeps the column defaults, which are the table's defaults.
    for (const [table, moved] of Object.entries(MOVES)) {
      const sets = moved
        .map((name) => `"${name}" = (SELECT s."${name}" FROM ${table} s WHERE s."villageId" = village.id)`)
        .join(', ');
      await queryRunner.query(`UPDATE village SET ${sets} WHERE id IN (SELECT "villageId" FROM ${table})`);
      await queryRunner.dropTable(table);
    }
  }
}

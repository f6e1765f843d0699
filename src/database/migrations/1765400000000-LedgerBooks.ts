import { MigrationInterface, QueryRunner, Table, TableForeignKey } from 'typeorm';
import { columns } from '../migration-columns.js';

/**
 * Issue 17.4: the head of each village's chain (the last entry's number and hash) moves out of `village` into
 * `ledger_book`, a table the ledger owns. Every village's head is copied across before the old columns go (on SQLite,
 * dropping columns rebuilds the village table and copies its rows).
 */
export class LedgerBooks1765400000000 implements MigrationInterface {
  name = 'LedgerBooks1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'ledger_book',
        columns: [
          c.int('villageId', { isPrimary: true }),
          c.int('seq', { default: 0 }),
          c.text('head', 64, { default: "''" }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['villageId'],
            referencedTableName: 'village',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );
    await queryRunner.query(
      'INSERT INTO ledger_book ("villageId", seq, head) SELECT id, "ledgerSeq", "ledgerHead" FROM village',
    );
    await queryRunner.dropColumns('village', ['ledgerSeq', 'ledgerHead']);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // ALTER TABLE … ADD COLUMN rather than addColumns, which on SQLite rebuilds the referenced village table.
    await queryRunner.query(`ALTER TABLE village ADD COLUMN "ledgerSeq" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE village ADD COLUMN "ledgerHead" varchar(64) NOT NULL DEFAULT ''`);
    await queryRunner.query(
      `UPDATE village SET "ledgerSeq" = (SELECT b.seq FROM ledger_book b WHERE b."villageId" = village.id),
        "ledgerHead" = (SELECT b.head FROM ledger_book b WHERE b."villageId" = village.id)
        WHERE id IN (SELECT "villageId" FROM ledger_book)`,
    );
    await queryRunner.dropTable('ledger_book');
  }
}

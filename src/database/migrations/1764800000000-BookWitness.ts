import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

/**
 * Issue 16, point 13: heads of the villages' books witnessed outside the ledger (at each township review, each backup,
 * typed in from a printed sheet), and a hash chain over the audit log. Existing audit rows keep their content; they
 * are chained, oldest first, by the first sealing after this migration (the chain starts at the first row ever).
 */
export class BookWitness1764800000000 implements MigrationInterface {
  name = 'BookWitness1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'book_witness',
        columns: [
          c.id(),
          c.int('villageId'),
          c.int('seq'),
          c.text('hash', 64),
          c.text('source', 20),
          c.text('note', 200, { isNullable: true }),
          c.int('createdBy', { isNullable: true }),
          c.createdAt(),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['villageId'],
            referencedTableName: 'village',
            referencedColumnNames: ['id'],
          }),
        ],
        indices: [new TableIndex({ columnNames: ['villageId', 'seq'] })],
      }),
    );
    await queryRunner.addColumns('audit_log', [
      new TableColumn(c.int('chainSeq', { isNullable: true })),
      new TableColumn(c.text('prevHash', 64, { isNullable: true })),
      new TableColumn(c.text('hash', 64, { isNullable: true })),
    ]);
    await queryRunner.createIndex(
      'audit_log',
      new TableIndex({ name: 'IDX_audit_log_chain_seq', columnNames: ['chainSeq'], isUnique: true }),
    );
    // The audit chain's head: one row, also the lock that makes sealing run one at a time.
    await queryRunner.createTable(
      new Table({
        name: 'audit_chain_head',
        columns: [
          c.int('id', { isPrimary: true }),
          c.int('seq', { default: 0 }),
          c.text('hash', 64, { default: "''" }),
        ],
      }),
    );
    await queryRunner.query(`INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, '')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_chain_head');
    await queryRunner.dropIndex('audit_log', 'IDX_audit_log_chain_seq');
    await queryRunner.dropColumns('audit_log', ['chainSeq', 'prevHash', 'hash']);
    await queryRunner.dropTable('book_witness');
  }
}

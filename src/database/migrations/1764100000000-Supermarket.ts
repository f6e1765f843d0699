import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../migration-columns.js';

/**
 * Issue 3: the points supermarket (goods, append-only stock movements, redemptions with receipts) and the village
 * settings it needs (the receipt counter of the day, the yearly reset 清零).
 */
export class Supermarket1764100000000 implements MigrationInterface {
  name = 'Supermarket1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columns(queryRunner);
    const fk = (column: string, table: string) =>
      new TableForeignKey({
        columnNames: [column],
        referencedTableName: table,
        referencedColumnNames: ['id'],
      });

    await queryRunner.addColumns('village', [
      new TableColumn(c.text('receiptDay', 8, { default: "''" })),
      new TableColumn(c.int('receiptSeq', { default: 0 })),
      new TableColumn(c.bool('resetEnabled', false)),
      new TableColumn(c.text('resetOn', 5, { default: "'12-31'" })),
      new TableColumn(c.int('resetKeep', { default: 0 })),
      new TableColumn(c.text('lastResetOn', 10, { isNullable: true })),
    ]);

    await queryRunner.createTable(
      new Table({
        name: 'goods',
        columns: [
          c.id(),
          c.int('villageId'),
          c.text('name', 40),
          c.text('unit', 10),
          c.int('pricePoints'),
          c.int('stock', { default: 0 }),
          c.int('lowStockThreshold', { default: 0 }),
          c.int('monthlyLimit', { isNullable: true }),
          c.text('photoPath', 200, { isNullable: true }),
          c.bool('active', true),
          c.createdAt(),
        ],
        foreignKeys: [fk('villageId', 'village')],
        indices: [new TableIndex({ columnNames: ['villageId', 'name'], isUnique: true })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'redemption',
        columns: [
          c.id(),
          c.int('villageId'),
          c.int('householdId'),
          c.text('receiptNo', 100),
          c.int('totalPoints'),
          c.int('balanceAfter'),
          c.text('status', 10, { default: "'DONE'" }),
          c.text('idempotencyKey', 80),
          c.text('fingerprint', 64),
          c.int('ledgerEntryId', { isNullable: true }),
          c.text('occurredOn', 10),
          c.int('createdBy'),
          c.text('createdAt', 30),
          c.int('cancelledBy', { isNullable: true }),
          c.text('cancelledAt', 30, { isNullable: true }),
          c.text('cancelReason', 200, { isNullable: true }),
        ],
        foreignKeys: [
          fk('villageId', 'village'),
          fk('householdId', 'household'),
          fk('ledgerEntryId', 'ledger_entry'),
          fk('createdBy', 'app_user'),
          fk('cancelledBy', 'app_user'),
        ],
        indices: [
          new TableIndex({ columnNames: ['villageId', 'receiptNo'], isUnique: true }),
          new TableIndex({ columnNames: ['createdBy', 'idempotencyKey'], isUnique: true }),
          new TableIndex({ columnNames: ['villageId', 'occurredOn'] }),
          new TableIndex({ columnNames: ['householdId', 'occurredOn'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'redemption_line',
        columns: [
          c.id(),
          c.int('redemptionId'),
          c.int('goodsId'),
          c.text('goodsName', 40),
          c.text('unit', 10),
          c.int('quantity'),
          c.int('pricePoints'),
          c.int('linePoints'),
        ],
        foreignKeys: [fk('redemptionId', 'redemption'), fk('goodsId', 'goods')],
        indices: [
          new TableIndex({ columnNames: ['redemptionId'] }),
          new TableIndex({ columnNames: ['goodsId'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'stock_movement',
        columns: [
          c.id(),
          c.int('villageId'),
          c.int('goodsId'),
          c.int('quantity'),
          c.text('kind', 12),
          c.int('stockAfter'),
          c.text('donor', 60, { isNullable: true }),
          c.text('note', 200, { isNullable: true }),
          c.int('redemptionId', { isNullable: true }),
          c.text('occurredOn', 10),
          c.int('createdBy', { isNullable: true }),
          c.text('createdAt', 30),
        ],
        foreignKeys: [
          fk('villageId', 'village'),
          fk('goodsId', 'goods'),
          fk('redemptionId', 'redemption'),
          fk('createdBy', 'app_user'),
        ],
        indices: [
          new TableIndex({ columnNames: ['goodsId', 'id'] }),
          new TableIndex({ columnNames: ['villageId', 'occurredOn'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['stock_movement', 'redemption_line', 'redemption', 'goods'])
      await queryRunner.dropTable(table);
    for (const column of ['lastResetOn', 'resetKeep', 'resetOn', 'resetEnabled', 'receiptSeq', 'receiptDay'])
      await queryRunner.dropColumn('village', column);
  }
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const MOVEMENT_KINDS = [
  'INITIAL',
  'PURCHASE',
  'DONATION',
  'ADJUSTMENT',
  'REDEMPTION',
  'CANCEL',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export const MOVEMENT_LABELS: Record<MovementKind, string> = {
  INITIAL: '建档库存',
  PURCHASE: '采购入库',
  DONATION: '捐赠入库',
  ADJUSTMENT: '盘点调整',
  REDEMPTION: '兑换出库',
  CANCEL: '撤销退回',
};

/** 库存变动: one change of a goods' stock. Append-only, like the ledger: a mistake is fixed by a stock-take. */
@Entity('stock_movement')
export class StockMovement {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer' })
  goodsId: number;

  /** Signed: stock in and returns are positive, redemptions negative, a stock-take either. */
  @Column({ type: 'integer' })
  quantity: number;

  @Column({ type: 'varchar', length: 12 })
  kind: MovementKind;

  /** The goods' stock right after this movement. */
  @Column({ type: 'integer' })
  stockAfter: number;

  /** 捐赠单位 (帮扶单位) of a donation. */
  @Column({ type: 'varchar', length: 60, nullable: true })
  donor: string | null;

  /** A stock-take's reason, or a purchase's note. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  note: string | null;

  @Column({ type: 'integer', nullable: true })
  redemptionId: number | null;

  /** The China day of the movement, for reports by period. */
  @Column({ type: 'varchar', length: 10 })
  occurredOn: string;

  @Column({ type: 'integer', nullable: true })
  createdBy: number | null;

  @Column({ type: 'varchar', length: 30 })
  createdAt: string;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type RedemptionStatus = 'DONE' | 'CANCELLED';

/** 兑换 and its 兑换单 (receipt): goods taken by one household for points, in one transaction. */
@Entity('redemption')
export class Redemption {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer' })
  householdId: number;

  /** `DH-<村名>-<YYYYMMDD>-<NNNN>`, unique in the village. */
  @Column({ type: 'varchar', length: 100 })
  receiptNo: string;

  @Column({ type: 'integer' })
  totalPoints: number;

  /** The household's available points right after the redemption. */
  @Column({ type: 'integer' })
  balanceAfter: number;

  @Column({ type: 'varchar', length: 10, default: 'DONE' })
  status: RedemptionStatus;

  /** Sent by the counter with each basket: a repeat with the same key gives this redemption back. */
  @Column({ type: 'varchar', length: 80 })
  idempotencyKey: string;

  /** What was asked for (household and lines), to tell a repeat from another basket under the same key. */
  @Column({ type: 'varchar', length: 64 })
  fingerprint: string;

  @Column({ type: 'integer', nullable: true })
  ledgerEntryId: number | null;

  /** The China day of the redemption: receipts and reports count by it. */
  @Column({ type: 'varchar', length: 10 })
  occurredOn: string;

  @Column({ type: 'integer' })
  createdBy: number;

  @Column({ type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ type: 'integer', nullable: true })
  cancelledBy: number | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  cancelledAt: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  cancelReason: string | null;
}

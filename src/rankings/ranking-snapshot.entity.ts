import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type SnapshotStatus = 'SUBMITTED' | 'APPROVED' | 'RETURNED';

export interface SnapshotRow {
  /** null: no points in the period, so no rank. */
  rank: number | null;
  householdId: number;
  code: string;
  headName: string;
  groupName: string | null;
  points: number;
}

/**
 * 排名快照: a period's ranking as the committee submitted it. Its rows never change once taken; only the township's
 * decision (approve, or return with a comment) is added. A returned period is submitted again as a new snapshot.
 */
@Entity('ranking_snapshot')
@Index(['villageId', 'period'])
export class RankingSnapshot {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'varchar', length: 7 })
  period: string;

  @Column({ type: 'varchar', length: 10, default: 'SUBMITTED' })
  status: SnapshotStatus;

  /** The frozen rows, as JSON text. */
  @Column({ type: 'text' })
  rowsJson: string;

  @Column({ type: 'integer' })
  submittedBy: number;

  @CreateDateColumn()
  submittedAt: Date;

  @Column({ type: 'integer', nullable: true })
  reviewedBy: number | null;

  @Column({ type: Date, nullable: true })
  reviewedAt: Date | null;

  /** The township's comment when it returns the snapshot. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  comment: string | null;
}

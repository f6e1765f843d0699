import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type StatementStatus = 'PREPARED' | 'SIGNED';

/**
 * 超市月度账目公开: one village's supermarket books for one ended month. PREPARED while its figures are still read live
 * from the reports; the supervision committee's signature freezes them (`figures`) and publishes it on the board.
 */
@Entity('monthly_statement')
@Index(['villageId', 'month'], { unique: true })
export class MonthlyStatement {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  /** `2026-11`. */
  @Column({ type: 'varchar', length: 7 })
  month: string;

  @Column({ type: 'varchar', length: 10, default: 'PREPARED' })
  status: StatementStatus;

  /** The figures as signed (JSON of StatementFigures); null while PREPARED. */
  @Column({ type: 'text', nullable: true })
  figures: string | null;

  @Column({ type: 'integer', nullable: true })
  signedBy: number | null;

  @Column({ type: Date, nullable: true })
  signedAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}

import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * 分期积分: a household's earned points of one month, quarter or year (by deed date), kept up to date by the ledger as
 * points post, so that a ranking reads one row per household instead of summing the whole book.
 */
@Entity('period_total')
@Index(['householdId', 'period'], { unique: true })
@Index(['villageId', 'period'])
export class PeriodTotal {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer' })
  householdId: number;

  /** `2026-11`, `2026-Q4` or `2026`. */
  @Column({ type: 'varchar', length: 7 })
  period: string;

  @Column({ type: 'integer', default: 0 })
  points: number;
}

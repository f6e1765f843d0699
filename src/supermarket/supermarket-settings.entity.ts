import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The supermarket's settings and counter of one village. A village without a row has the defaults (no reset, no
 * receipt given out yet): the row is written by the first receipt or the first change of the reset settings.
 */
@Entity('supermarket_settings')
export class SupermarketSettings {
  @PrimaryColumn({ type: 'integer' })
  villageId: number;

  /** The receipt counter: the China day (YYYYMMDD) it counts for and the last number given out that day. */
  @Column({ type: 'varchar', length: 8, default: '' })
  receiptDay: string;

  @Column({ type: 'integer', default: 0 })
  receiptSeq: number;

  /** 清零, a village setting (off by default): each year on resetOn (MM-DD), available above resetKeep expires. */
  @Column({ type: 'boolean', default: false })
  resetEnabled: boolean;

  @Column({ type: 'varchar', length: 5, default: '12-31' })
  resetOn: string;

  @Column({ type: 'integer', default: 0 })
  resetKeep: number;

  /** The date of the last reset carried out, so that a year's reset runs once. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  lastResetOn: string | null;
}

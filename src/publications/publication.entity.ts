import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 公示: a village's approved records on the public board for a window of days, then posted to the passbooks. */
@Entity('publication')
export class Publication {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'varchar', length: 10 })
  startsOn: string;

  /** The window ends at the end of this day (startsOn + days - 1); with 0 days it ended before it began. */
  @Column({ type: 'varchar', length: 10 })
  endsOn: string;

  @Column({ type: 'integer' })
  days: number;

  @Column({ type: 'varchar', length: 10, default: 'OPEN' })
  status: 'OPEN' | 'CLOSED';

  @Column({ type: 'integer', nullable: true })
  openedBy: number | null;

  /** Null when the system closed it after the window. */
  @Column({ type: 'integer', nullable: true })
  closedBy: number | null;

  @Column({ type: Date, nullable: true })
  closedAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}

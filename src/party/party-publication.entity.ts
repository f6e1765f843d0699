import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** 党内公示: a window in which the branch's members see approved records and may object, before they post. */
@Entity('party_publication')
@Index(['villageId'])
export class PartyPublication {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'varchar', length: 10 })
  startsOn: string;

  /** The last day of the window. */
  @Column({ type: 'varchar', length: 10 })
  endsOn: string;

  @Column({ type: 'varchar', length: 10, default: "'OPEN'" })
  status: 'OPEN' | 'CLOSED';

  @Column({ type: 'integer', nullable: true })
  openedBy: number | null;

  @Column({ type: 'integer', nullable: true })
  closedBy: number | null;

  @CreateDateColumn()
  createdAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An objection a party member raises against a record in 党内公示; the branch upholds (the record is withdrawn) or dismisses it. */
@Entity('party_objection')
@Index(['recordId'])
export class PartyObjection {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer' })
  recordId: number;

  @Column({ type: 'integer' })
  raisedBy: number;

  @Column({ type: 'varchar', length: 200 })
  reason: string;

  @Column({ type: 'varchar', length: 10, default: "'OPEN'" })
  status: 'OPEN' | 'UPHELD' | 'DISMISSED';

  @Column({ type: 'varchar', length: 200, nullable: true })
  answer: string | null;

  @Column({ type: 'integer', nullable: true })
  answeredBy: number | null;

  @CreateDateColumn()
  createdAt: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 异议: filed during the window by a villager of the village or staff in scope; the committee settles it. */
@Entity('objection')
export class Objection {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  recordId: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer', nullable: true })
  byUserId: number | null;

  @Column({ type: 'integer', nullable: true })
  byHouseholdId: number | null;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ type: 'varchar', length: 10, default: 'OPEN' })
  status: 'OPEN' | 'DISMISSED' | 'UPHELD';

  /** UPHOLD with points corrects the record; UPHOLD without revokes it. */
  @Column({ type: 'integer', nullable: true })
  correctedPoints: number | null;

  /** Why the committee decided as it did: required when it dismisses, shown to the objector. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  decisionReason: string | null;

  @Column({ type: 'integer', nullable: true })
  resolvedBy: number | null;

  @Column({ type: Date, nullable: true })
  resolvedAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}

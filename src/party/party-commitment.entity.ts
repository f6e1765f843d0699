import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** 承诺践诺: a member's promise for a year, and the branch's record of what was done. */
@Entity('party_commitment')
@Index(['partyMemberId', 'year'])
export class PartyCommitment {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer' })
  partyMemberId: number;

  @Column({ type: 'integer' })
  year: number;

  @Column({ type: 'varchar', length: 200 })
  promise: string;

  /** 践诺: what was done, as the branch recorded it; null until then. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  fulfilment: string | null;

  @Column({ type: 'integer', nullable: true })
  fulfilledBy: number | null;

  @Column({ type: 'integer', nullable: true })
  createdBy: number | null;

  @CreateDateColumn()
  createdAt: Date;
}

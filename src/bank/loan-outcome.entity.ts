import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { LoanBand, LoanOutcome as Outcome } from './consent-code.js';

/**
 * What a bank says came of a household's 积分贷 application: one per consent code (a second submission of the same code
 * finds this one). The township reads them only as counts per village, outcome and band.
 */
@Entity('loan_outcome')
@Index(['villageId', 'recordedOn'])
export class LoanOutcome {
  @PrimaryGeneratedColumn()
  id: number;

  @Index({ unique: true })
  @Column({ type: 'integer' })
  consentId: number;

  @Column({ type: 'integer' })
  householdId: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'varchar', length: 10 })
  outcome: Outcome;

  @Column({ type: 'varchar', length: 10 })
  band: LoanBand;

  @Column({ type: 'integer' })
  bankUserId: number;

  /** The China day it was recorded: what a period of the township's table counts. */
  @Column({ type: 'varchar', length: 10 })
  recordedOn: string;

  @CreateDateColumn()
  createdAt: Date;
}

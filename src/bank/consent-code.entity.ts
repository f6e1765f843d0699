import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * 授权码: a household lets a bank's loan officer see its grade and points for 30 days. Only a keyed hash of the six
 * digits is kept (consent-code.ts), with the last two for the household to tell its codes apart.
 */
@Entity('consent_code')
@Index(['codeHash', 'status'])
@Index(['householdId', 'id'])
export class ConsentCode {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  householdId: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'varchar', length: 64 })
  codeHash: string;

  /** The code's last two digits, so that a household with several codes knows which is which. */
  @Column({ type: 'varchar', length: 2 })
  lastDigits: string;

  /** The last China day it works (inclusive). */
  @Column({ type: 'varchar', length: 10 })
  expiresOn: string;

  @Column({ type: 'varchar', length: 10, default: 'ACTIVE' })
  status: 'ACTIVE' | 'REVOKED';

  /** Who made it: the household itself (or its proxy), or the committee for it (a staff account's id). */
  @Column({ type: 'integer', nullable: true })
  madeByUserId: number | null;

  @CreateDateColumn()
  createdAt: Date;

  @Column({ type: Date, nullable: true })
  revokedAt: Date | null;
}

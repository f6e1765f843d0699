import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { StaffRole } from '../access/role.js';

/** A staff account. Never deleted: deactivated accounts cannot log in. */
@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 40, unique: true })
  username: string;

  @Column({ type: 'varchar', length: 200 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 40 })
  displayName: string;

  @Column({ type: 'varchar', length: 20 })
  role: StaffRole;

  @Index()
  @Column({ type: 'integer', nullable: true })
  townshipId: number | null;

  @Index()
  @Column({ type: 'integer', nullable: true })
  villageId: number | null;

  /** The household this person belongs to: nobody records or reviews for their own household. */
  @Column({ type: 'integer', nullable: true })
  householdId: number | null;

  /** Said explicitly by a village staff account that lives in no household of its village (else householdId). */
  @Column({ type: 'boolean', default: false })
  noHouseholdInVillage: boolean;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** Switched on by a village committee: inactive until a township user confirms it (nobody makes a helper alone). */
  @Column({ type: 'boolean', default: false })
  awaitingConfirmation: boolean;

  /** Who created the account (null for seeded and first accounts). */
  @Column({ type: 'integer', nullable: true })
  createdBy: number | null;

  @Column({ type: 'integer', nullable: true })
  confirmedBy: number | null;

  @Column({ type: Date, nullable: true })
  confirmedAt: Date | null;

  /** Raised on every password change and deactivation: bearer tokens carry it and die with it. */
  @Column({ type: 'integer', default: 1 })
  tokenVersion: number;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}

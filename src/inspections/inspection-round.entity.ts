import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { RuleCategory } from '../rules/scoring-rule.entity.js';

/** OPEN while the 网格员 goes from door to door; SUBMITTED once its entries became records (once). */
export const ROUND_STATUSES = ['OPEN', 'SUBMITTED'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

/**
 * 入户检查: one round of visits to a grid's households (or the whole village's), checking them against the village's
 * active rules of one category (the checklist). Its entries are what was found; submitting makes one PENDING record
 * per entry, all at once.
 */
@Entity('inspection_round')
@Index(['villageId', 'id'])
export class InspectionRound {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  /** The grid whose households are visited; none: every active household of the village. */
  @Column({ type: 'integer', nullable: true })
  gridId: number | null;

  @Column({ type: 'varchar', length: 40 })
  title: string;

  /** The rule category (RULE_CATEGORIES) whose active rules are the checklist. */
  @Column({ type: 'varchar', length: 10 })
  category: RuleCategory;

  @Column({ type: 'varchar', length: 12 })
  status: RoundStatus;

  @Column({ type: 'integer' })
  createdBy: number;

  @CreateDateColumn()
  createdAt: Date;

  @Column({ type: Date, nullable: true })
  submittedAt: Date | null;
}

/**
 * What was found at one household under one rule of the checklist. Sent from a phone that may have been offline, so
 * possibly twice: its idempotency key names it within the round. `recordId` is the record the submit made of it.
 */
@Entity('inspection_entry')
@Index(['roundId', 'idempotencyKey'], { unique: true })
export class InspectionEntry {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  roundId: number;

  @Column({ type: 'integer' })
  householdId: number;

  @Column({ type: 'integer' })
  ruleId: number;

  /** Within the rule's range; none: the rule's default points. */
  @Column({ type: 'integer', nullable: true })
  points: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  photoPath: string | null;

  @Column({ type: 'varchar', length: 80 })
  idempotencyKey: string;

  /** Who sent it (a staff account). */
  @Column({ type: 'integer' })
  createdBy: number;

  @Column({ type: 'integer', nullable: true })
  recordId: number | null;

  @CreateDateColumn()
  createdAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { RunStatus } from './credit-grade-rules.js';

/**
 * 信用等级标准: the grades a village's 村民代表会议 voted, highest first, each with the year's earned points and stars it
 * asks, and the highest grade a household on that year's black list may get. One row per village; who set it and when.
 */
@Entity('credit_grade_rules')
export class CreditGradeRules {
  @Column({ type: 'integer', primary: true })
  villageId: number;

  /** JSON: `[{name, minPoints, minStars}]`, highest grade first; the last is every other household's. */
  @Column({ type: 'text' })
  levels: string;

  @Column({ type: 'varchar', length: 8 })
  blackListGrade: string;

  @Column({ type: 'integer', nullable: true })
  setBy: number | null;

  @Column({ type: Date })
  setAt: Date;
}

/**
 * 信用户评定 of a village for a year: computed from the year's points, stars and black list under the rules as they
 * were (kept in `levels`), then 公示 with objections, submitted, and filed or returned by the township.
 */
@Entity('credit_grade_run')
@Index(['villageId', 'year'], { unique: true })
export class CreditGradeRun {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer' })
  year: number;

  @Column({ type: 'varchar', length: 12, default: 'COMPUTED' })
  status: RunStatus;

  /** The rules the grades were computed under (JSON, as CreditGradeRules.levels). */
  @Column({ type: 'text' })
  levels: string;

  @Column({ type: 'varchar', length: 8 })
  blackListGrade: string;

  /** The last day of the 公示 (China day). */
  @Column({ type: 'varchar', length: 10, nullable: true })
  windowEndsOn: string | null;

  @Column({ type: Date })
  computedAt: Date;

  @Column({ type: 'integer', nullable: true })
  computedBy: number | null;

  @Column({ type: Date, nullable: true })
  publicizedAt: Date | null;

  @Column({ type: Date, nullable: true })
  submittedAt: Date | null;

  @Column({ type: Date, nullable: true })
  filedAt: Date | null;

  @Column({ type: 'integer', nullable: true })
  filedBy: number | null;

  /** The township's comment when it filed or returned the grades. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  townshipComment: string | null;
}

/** One household's grade of a run: what the rules gave, and the grade that stands (changed by an upheld objection). */
@Entity('credit_grade')
@Index(['runId', 'householdId'], { unique: true })
@Index(['householdId', 'year'])
export class CreditGrade {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  runId: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer' })
  year: number;

  @Column({ type: 'integer' })
  householdId: number;

  @Column({ type: 'integer' })
  earned: number;

  @Column({ type: 'integer' })
  stars: number;

  @Column({ type: 'boolean', default: false })
  blackListed: boolean;

  @Column({ type: 'varchar', length: 8 })
  computedGrade: string;

  @Column({ type: 'varchar', length: 8 })
  grade: string;

  /** Why the grade differs from what the rules gave (an upheld objection's answer). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  note: string | null;
}

/** 异议 on a household's grade during its 公示: the committee upholds it (the grade is adjusted) or dismisses it. */
@Entity('credit_grade_objection')
@Index(['runId', 'status'])
export class CreditGradeObjection {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  runId: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer' })
  householdId: number;

  @Column({ type: 'integer', nullable: true })
  byUserId: number | null;

  @Column({ type: 'integer', nullable: true })
  byHouseholdId: number | null;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ type: 'varchar', length: 10, default: 'OPEN' })
  status: 'OPEN' | 'UPHELD' | 'DISMISSED';

  @Column({ type: 'varchar', length: 200, nullable: true })
  answer: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  gradeBefore: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  gradeAfter: string | null;

  @Column({ type: 'integer', nullable: true })
  resolvedBy: number | null;

  @Column({ type: Date, nullable: true })
  resolvedAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}

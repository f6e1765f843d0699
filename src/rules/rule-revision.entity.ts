import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const REVISION_STATUSES = ['DRAFT', 'ADOPTED', 'SUBMITTED', 'FILED', 'RETURNED'] as const;
export type RevisionStatus = (typeof REVISION_STATUSES)[number];

/** One change of a revision as stored: what it does, and the rule's words at drafting time for the pages. */
export interface StoredRuleChange {
  op: 'ADD' | 'CHANGE' | 'RETIRE';
  ruleId?: number;
  code: string;
  title: string;
  /** The rule as it was when drafted (CHANGE, RETIRE). */
  before?: { title: string; minPoints: number; maxPoints: number };
  /** ADD: the new rule's fields; CHANGE: the fields that change (points, title, cap, marks). */
  rule?: Record<string, unknown>;
}

/**
 * 细则修订: a change to a village's rule list (new rules, points changes, retirements). The committee drafts it,
 * records its adoption by the 村民代表会议, submits it to the township, which files it (备案: only then do its
 * changes apply to the list) or returns it with a comment (it then changes nothing and stays closed).
 */
@Entity('rule_revision')
@Index(['villageId', 'status'])
export class RuleRevision {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'varchar', length: 10, default: 'DRAFT' })
  status: RevisionStatus;

  /** StoredRuleChange[] as JSON text (both databases). */
  @Column({ type: 'text' })
  changes: string;

  /** The 村民代表会议's day, members present and votes; null until adopted (and for lists filed by migration). */
  @Column({ type: 'varchar', length: 10, nullable: true })
  meetingOn: string | null;

  @Column({ type: 'integer', nullable: true })
  present: number | null;

  @Column({ type: 'integer', nullable: true })
  votesFor: number | null;

  @Column({ type: 'integer', nullable: true })
  votesAgainst: number | null;

  @Column({ type: 'integer', nullable: true })
  votesAbstain: number | null;

  @Column({ type: 'text', nullable: true })
  minutes: string | null;

  @Column({ type: Date, nullable: true })
  submittedAt: Date | null;

  /** When the township filed or returned it. */
  @Column({ type: Date, nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'integer', nullable: true })
  decidedBy: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  comment: string | null;

  @Column({ type: 'integer', nullable: true })
  createdBy: number | null;

  @CreateDateColumn()
  createdAt: Date;
}

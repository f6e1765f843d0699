import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const RECORD_STATUSES = [
  'PENDING',
  'APPROVED',
  'REJECTED',
  'PUBLICIZING',
  'OBJECTED',
  'POSTED',
  'REVOKED',
] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** 积分登记: one deed (or violation) of one household under one rule version, on its way to the passbook. */
@Entity('score_record')
export class ScoreRecord {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer' })
  householdId: number;

  @Column({ type: 'integer' })
  ruleId: number;

  @Column({ type: 'integer' })
  ruleVersionId: number;

  /** Signed: what will be posted (the reviewer may pick inside the rule's range; an upheld objection corrects it). */
  @Column({ type: 'integer' })
  points: number;

  /** The deed date, YYYY-MM-DD: the period the points count for. */
  @Column({ type: 'varchar', length: 10 })
  occurredOn: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  /** A file name under data/uploads, served only to staff in scope. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  evidencePath: string | null;

  @Column({ type: 'varchar', length: 12 })
  status: RecordStatus;

  @Column({ type: 'integer', nullable: true })
  recordedBy: number | null;

  /** Set when the household declared the deed itself (申报). */
  @Column({ type: 'integer', nullable: true })
  declaredBy: number | null;

  @Column({ type: 'integer', nullable: true })
  reviewedBy: number | null;

  @Column({ type: Date, nullable: true })
  reviewedAt: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  rejectReason: string | null;

  @Column({ type: 'integer', nullable: true })
  publicationId: number | null;

  /** Records made together in one batch share it. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  batchKey: string | null;

  @Column({ type: 'varchar', length: 80, nullable: true })
  idempotencyKey: string | null;

  @Column({ type: Date, nullable: true })
  postedAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What kind of matter a grid affair is (人居环境, 安全隐患, 矛盾纠纷, 求助, 其他). */
export const AFFAIR_KINDS = ['ENVIRONMENT', 'SAFETY', 'DISPUTE', 'HELP', 'OTHER'] as const;
export type AffairKind = (typeof AFFAIR_KINDS)[number];
export const AFFAIR_KIND_LABELS: Record<AffairKind, string> = {
  ENVIRONMENT: '人居环境',
  SAFETY: '安全隐患',
  DISPUTE: '矛盾纠纷',
  HELP: '求助',
  OTHER: '其他',
};

/** 上报 → 筛选 (有效 / 无效) → 派单 → 办结. */
export const AFFAIR_STATUSES = ['REPORTED', 'VALID', 'INVALID', 'DISPATCHED', 'HANDLED'] as const;
export type AffairStatus = (typeof AFFAIR_STATUSES)[number];

/**
 * 网格事务: a matter a villager or a 网格员 reports; the committee screens it, dispatches a valid one to a 网格员 or
 * a household that volunteered, who handles and closes it. The step the village pays points for makes one PENDING
 * record, whose id is kept here (so a retried step never makes a second one).
 */
@Entity('grid_affair')
@Index(['villageId', 'status'])
@Index(['reportedByHouseholdId', 'id'])
export class GridAffair {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'varchar', length: 12 })
  kind: AffairKind;

  @Column({ type: 'varchar', length: 500 })
  text: string;

  /** The household the matter is about, if any. */
  @Column({ type: 'integer', nullable: true })
  householdId: number | null;

  /** Where, in words, when it is not a household (路口、河道…). */
  @Column({ type: 'varchar', length: 100, nullable: true })
  place: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  photoPath: string | null;

  @Column({ type: 'integer', nullable: true })
  reportedByHouseholdId: number | null;

  @Column({ type: 'integer', nullable: true })
  reportedByUserId: number | null;

  /** The reporter and its idempotency key (`h12:…` for a household, `u5:…` for staff): a retried report is this one. */
  @Column({ type: 'varchar', length: 90, nullable: true, unique: true })
  reportKey: string | null;

  @Column({ type: 'varchar', length: 12, default: 'REPORTED' })
  status: AffairStatus;

  @Column({ type: 'varchar', length: 200, nullable: true })
  screenReason: string | null;

  @Column({ type: 'integer', nullable: true })
  screenedBy: number | null;

  @Column({ type: Date, nullable: true })
  screenedAt: Date | null;

  @Column({ type: 'integer', nullable: true })
  assigneeUserId: number | null;

  @Column({ type: 'integer', nullable: true })
  assigneeHouseholdId: number | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  dueOn: string | null;

  @Column({ type: Date, nullable: true })
  dispatchedAt: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  handledNote: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  handledPhotoPath: string | null;

  @Column({ type: Date, nullable: true })
  handledAt: Date | null;

  /** The record a valid report made for the reporting household (once). */
  @Column({ type: 'integer', nullable: true })
  reportRecordId: number | null;

  /** The record handling made for the household that handled it (once). */
  @Column({ type: 'integer', nullable: true })
  handledRecordId: number | null;

  @CreateDateColumn()
  createdAt: Date;
}

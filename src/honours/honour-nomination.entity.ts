import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const NOMINATION_STATUSES = ['NOMINATED', 'AWARDED', 'NOT_AWARDED', 'WITHDRAWN'] as const;
export type NominationStatus = (typeof NOMINATION_STATUSES)[number];

export const NOMINATION_STATUS_LABELS: Record<NominationStatus, string> = {
  NOMINATED: '已提名',
  AWARDED: '评上',
  NOT_AWARDED: '未评上',
  WITHDRAWN: '已撤销',
};

/**
 * 提名: a household put forward for one star of a campaign, by itself or by the committee. Publishing the campaign
 * decides it (AWARDED / NOT_AWARDED, with why); an honour is WITHDRAWN, with the reason kept, when the household lands
 * on that year's black list.
 */
@Entity('honour_nomination')
@Index(['campaignId', 'starId', 'householdId'], { unique: true })
export class HonourNomination {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  campaignId: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer' })
  starId: number;

  @Column({ type: 'integer' })
  householdId: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason: string | null;

  /** The staff account that nominated; null when the household nominated itself. */
  @Column({ type: 'integer', nullable: true })
  nominatedBy: number | null;

  @Column({ type: 'varchar', length: 12, default: 'NOMINATED' })
  status: NominationStatus;

  /** The council's decision once it has one (a star that needs the council). */
  @Column({ type: 'varchar', length: 10, nullable: true })
  councilResult: 'APPROVED' | 'REJECTED' | null;

  /** The year's points in the star's category when the result was published. */
  @Column({ type: 'integer', nullable: true })
  points: number | null;

  /** Why it was not awarded, or why the honour was withdrawn. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  outcomeNote: string | null;

  @Column({ type: Date, nullable: true })
  withdrawnAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}

/** A council member's vote on a nomination: once per member and nomination, never changed. */
@Entity('honour_vote')
@Index(['nominationId', 'userId'], { unique: true })
export class HonourVote {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  nominationId: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer' })
  userId: number;

  @Column({ type: 'varchar', length: 8 })
  vote: 'YES' | 'NO' | 'ABSTAIN';

  @Column({ type: 'varchar', length: 200, nullable: true })
  comment: string | null;

  @CreateDateColumn()
  createdAt: Date;
}

/** 异议 on an honour during its 公示; the committee upholds it (the honour is not given) or dismisses it. */
@Entity('honour_objection')
export class HonourObjection {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  nominationId: number;

  @Column({ type: 'integer' })
  campaignId: number;

  @Column({ type: 'integer' })
  villageId: number;

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

  @Column({ type: 'integer', nullable: true })
  resolvedBy: number | null;

  @Column({ type: Date, nullable: true })
  resolvedAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}

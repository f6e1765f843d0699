import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A campaign's life: nominations and the council's votes (OPEN), the result in 公示 (PUBLISHED), filed (FILED). */
export const CAMPAIGN_STATUSES = ['OPEN', 'PUBLISHED', 'FILED'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = {
  OPEN: '提名与评议中',
  PUBLISHED: '结果公示中',
  FILED: '已报乡镇备案',
};

/**
 * 评选活动: a village's honours campaign for one year (星级文明户创建, 文明家庭, 道德模范评选), with its named stars.
 * The points-threshold stars (StarsService) stay the default; a campaign names stars of its own.
 */
@Entity('honour_campaign')
@Index(['villageId', 'year', 'title'], { unique: true })
export class HonourCampaign {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer' })
  year: number;

  @Column({ type: 'varchar', length: 40 })
  title: string;

  @Column({ type: 'varchar', length: 10, default: 'OPEN' })
  status: CampaignStatus;

  /** The last day of the result's 公示 (China day). */
  @Column({ type: 'varchar', length: 10, nullable: true })
  windowEndsOn: string | null;

  @Column({ type: Date, nullable: true })
  publishedAt: Date | null;

  @Column({ type: Date, nullable: true })
  filedAt: Date | null;

  @Column({ type: 'integer', nullable: true })
  filedBy: number | null;

  @Column({ type: 'integer', nullable: true })
  createdBy: number | null;

  @CreateDateColumn()
  createdAt: Date;
}

/**
 * A named star of a campaign (勤劳节俭、孝敬和睦 …) and its criteria: the year's posted points under rules of one
 * category of at least `minPoints`, and/or the council's vote.
 */
@Entity('honour_star')
export class HonourStar {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  campaignId: number;

  @Column({ type: 'varchar', length: 12 })
  name: string;

  @Column({ type: 'varchar', length: 10, nullable: true })
  category: string | null;

  @Column({ type: 'integer', nullable: true })
  minPoints: number | null;

  @Column({ type: 'boolean', default: false })
  needsCouncil: boolean;
}

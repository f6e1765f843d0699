import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const RULE_CATEGORIES = ['自治', '法治', '德治', '人居环境', '移风易俗', '其他'] as const;
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

/**
 * 积分细则: one rule of a village's list (积分清单), or of a township's template list when villageId is null.
 * Points are signed (a deduction is negative); a fixed rule has minPoints = maxPoints. Changing the points makes a
 * new version (ScoringRuleVersion); records keep the version they were made under.
 */
@Entity('scoring_rule')
export class ScoringRule {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer', nullable: true })
  villageId: number | null;

  @Column({ type: 'integer', nullable: true })
  townshipId: number | null;

  @Column({ type: 'varchar', length: 20 })
  code: string;

  @Column({ type: 'varchar', length: 10 })
  category: RuleCategory;

  @Column({ type: 'varchar', length: 100 })
  title: string;

  @Column({ type: 'integer' })
  minPoints: number;

  @Column({ type: 'integer' })
  maxPoints: number;

  @Column({ type: 'integer', default: 1 })
  version: number;

  /** At most capCount records per household per capPeriod. */
  @Column({ type: 'integer', nullable: true })
  capCount: number | null;

  @Column({ type: 'varchar', length: 5, nullable: true })
  capPeriod: 'month' | 'year' | null;

  @Column({ type: 'boolean', default: false })
  evidenceRequired: boolean;

  /** A posted record under this rule makes the household a black-list candidate. */
  @Column({ type: 'boolean', default: false })
  blackList: boolean;

  /** 道德评议会: a record under this rule is approved or rejected by the council's vote, not by one committee member. */
  @Column({ type: 'boolean', default: false })
  needsCouncil: boolean;

  /** Retired rules stay for the records made under them but take no new records. */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn()
  createdAt: Date;
}

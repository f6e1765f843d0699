import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The four headings of 党员量化积分 (the county plan's 组织生活, 履行义务, 服务群众, 发挥作用). */
export const PARTY_CATEGORIES = ['ORGANISATION', 'DUTY', 'SERVICE', 'ROLE'] as const;
export type PartyCategory = (typeof PARTY_CATEGORIES)[number];
export const PARTY_CATEGORY_LABELS: Record<PartyCategory, string> = {
  ORGANISATION: '参加组织生活',
  DUTY: '履行党员义务',
  SERVICE: '服务群众',
  ROLE: '发挥先锋作用',
};

/** 党员积分细则: one line of the branch's own rule list (separate from the households' list). */
@Entity('party_rule')
@Index(['villageId'])
export class PartyRule {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'varchar', length: 20 })
  category: PartyCategory;

  @Column({ type: 'varchar', length: 60 })
  title: string;

  /** The usual points (negative for a deduction). */
  @Column({ type: 'integer' })
  points: number;

  /** The range a record may set (both equal to points when the rule is fixed). */
  @Column({ type: 'integer' })
  minPoints: number;

  @Column({ type: 'integer' })
  maxPoints: number;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn()
  createdAt: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The points of a rule as they were from one change to the next. */
@Entity('scoring_rule_version')
export class ScoringRuleVersion {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  ruleId: number;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'varchar', length: 100 })
  title: string;

  @Column({ type: 'integer' })
  minPoints: number;

  @Column({ type: 'integer' })
  maxPoints: number;

  @Column({ type: 'integer', nullable: true })
  createdBy: number | null;

  @CreateDateColumn()
  createdAt: Date;
}

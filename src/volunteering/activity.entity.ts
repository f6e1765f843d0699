import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An activity's life: households sign up and attendance is taken (OPEN), then it is closed into records (CLOSED). */
export const ACTIVITY_STATUSES = ['OPEN', 'CLOSED'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

/**
 * 志愿服务活动: a village's volunteer activity on one day, with a number of places. Closing it makes one PENDING
 * record per attendee under its rule (ScoringService), reviewed like any other record.
 */
@Entity('activity')
@Index(['villageId', 'on'])
export class Activity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'varchar', length: 40 })
  title: string;

  /** The day of the activity (China day, YYYY-MM-DD). Its column is "heldOn": ON is a reserved word in SQL. */
  @Column({ name: 'heldOn', type: 'varchar', length: 10 })
  on: string;

  @Column({ type: 'varchar', length: 60 })
  place: string;

  /** How many households may sign up. */
  @Column({ type: 'integer' })
  places: number;

  @Column({ type: 'integer' })
  ruleId: number;

  /** Points per hour of attendance; null: the rule's default points per attendee. */
  @Column({ type: 'integer', nullable: true })
  pointsPerHour: number | null;

  @Column({ type: 'varchar', length: 10, default: 'OPEN' })
  status: ActivityStatus;

  @Column({ type: 'integer', nullable: true })
  createdBy: number | null;

  @CreateDateColumn()
  createdAt: Date;

  @Column({ type: Date, nullable: true })
  closedAt: Date | null;
}

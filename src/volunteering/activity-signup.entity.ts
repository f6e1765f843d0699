import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A household signed up for a volunteer activity (报名): once per activity, up to the activity's places. */
@Entity('activity_signup')
@Index(['activityId', 'householdId'], { unique: true })
export class ActivitySignup {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  activityId: number;

  @Column({ type: 'integer' })
  householdId: number;

  /** The staff account that signed the household up; null when the household did it itself. */
  @Column({ type: 'integer', nullable: true })
  byUserId: number | null;

  @CreateDateColumn()
  createdAt: Date;
}

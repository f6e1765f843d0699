import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A household came to a volunteer activity (签到), with its hours when counted by the hour. */
@Entity('activity_attendance')
@Index(['activityId', 'householdId'], { unique: true })
export class ActivityAttendance {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  activityId: number;

  @Column({ type: 'integer' })
  householdId: number;

  /** Hours served, 0 < h ≤ 24 with at most one decimal; null when not counted. */
  @Column({ type: 'real', nullable: true })
  hours: number | null;

  /** The score record made when the activity was closed; null before, or when the record was refused. */
  @Column({ type: 'integer', nullable: true })
  recordId: number | null;

  @Column({ type: 'integer', nullable: true })
  byUserId: number | null;

  @CreateDateColumn()
  createdAt: Date;
}

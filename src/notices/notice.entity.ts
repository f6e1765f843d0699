import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What a notice is about (issue 10): a record of the household moving on its path, a decision, points about to lapse. */
export const NOTICE_KINDS = [
  'RECORD_PUBLICIZING',
  'RECORD_POSTED',
  'RECORD_CORRECTED',
  'RECORD_REVOKED',
  'DECLARATION_REJECTED',
  'OBJECTION_DECIDED',
  'POINTS_EXPIRING',
  'GRID_AFFAIR',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/**
 * A notice to a household (通知): written once per event, in the transaction of the event itself, so a retried or
 * doubled event finds its `eventKey` taken and adds nothing. How it reaches the household is `notice_delivery`.
 */
@Entity('notice')
@Index(['householdId', 'id'])
export class Notice {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer' })
  householdId: number;

  @Column({ type: 'varchar', length: 24 })
  kind: NoticeKind;

  @Column({ type: 'varchar', length: 300 })
  text: string;

  /** The event, e.g. `record:12:posted`: unique, so each event gives one notice whatever the retries. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 80 })
  eventKey: string;

  @Column({ type: Date })
  createdAt: Date;

  /** When the household (or its proxy) marked it read in the app. */
  @Column({ type: Date, nullable: true })
  readAt: Date | null;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type ListKind = 'RED' | 'BLACK';
/** CONFIRMED: chosen by the committee, not yet out; PUBLISHED: on the board; LIFTED: put right (整改); WITHDRAWN: by the township. */
export type ListEntryStatus = 'CONFIRMED' | 'PUBLISHED' | 'LIFTED' | 'WITHDRAWN';

/** 红榜 / 黑榜 entry of a period, with its whole history: nothing is deleted, each change adds who, when and why. */
@Entity('list_entry')
@Index(['villageId', 'period'])
@Index(['householdId'])
export class ListEntry {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'varchar', length: 7 })
  period: string;

  @Column({ type: 'varchar', length: 5 })
  list: ListKind;

  @Column({ type: 'integer' })
  householdId: number;

  @Column({ type: 'varchar', length: 200 })
  reason: string;

  @Column({ type: 'varchar', length: 10, default: 'CONFIRMED' })
  status: ListEntryStatus;

  @Column({ type: 'integer' })
  confirmedBy: number;

  @CreateDateColumn()
  confirmedAt: Date;

  @Column({ type: Date, nullable: true })
  publishedAt: Date | null;

  /** 整改: how the household put it right (black list), or the township's reason for withdrawing. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  closingNote: string | null;

  @Column({ type: 'integer', nullable: true })
  closedBy: number | null;

  @Column({ type: Date, nullable: true })
  closedAt: Date | null;
}

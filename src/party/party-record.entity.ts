import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const PARTY_RECORD_STATUSES = ['PENDING', 'APPROVED', 'PUBLICIZING', 'POSTED', 'REJECTED'] as const;
export type PartyRecordStatus = (typeof PARTY_RECORD_STATUSES)[number];

/**
 * 党员积分记录: points for a party member under a branch rule. Recorded by one branch member, approved by another,
 * shown in 党内公示, then posted into the member's book (`entryId`).
 */
@Entity('party_record')
@Index(['villageId', 'status'])
@Index(['partyMemberId'])
export class PartyRecord {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer' })
  partyMemberId: number;

  @Column({ type: 'integer' })
  ruleId: number;

  @Column({ type: 'integer' })
  points: number;

  @Column({ type: 'varchar', length: 10 })
  occurredOn: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note: string | null;

  @Column({ type: 'varchar', length: 12, default: "'PENDING'" })
  status: PartyRecordStatus;

  @Column({ type: 'integer' })
  recordedBy: number;

  @Column({ type: 'integer', nullable: true })
  reviewedBy: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  rejectReason: string | null;

  @Column({ type: 'integer', nullable: true })
  publicationId: number | null;

  @Column({ type: 'integer', nullable: true })
  entryId: number | null;

  @CreateDateColumn()
  createdAt: Date;
}

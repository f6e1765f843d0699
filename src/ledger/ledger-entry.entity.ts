import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ENTRY_KINDS = [
  'SCORE',
  'SCORE_CORRECTION',
  'REDEMPTION',
  'REDEMPTION_CANCEL',
  'OPENING',
  'RESET',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/**
 * 存折明细: one change of a household's points. Never updated or deleted; a mistake is corrected by a new entry that
 * points at the old one. Each entry carries the hash of the previous entry of its village's book.
 */
@Entity('ledger_entry')
export class LedgerEntry {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  /** Position in the village's book: 1, 2, 3, … with no gaps. */
  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'integer' })
  householdId: number;

  /** Signed change of available points. */
  @Column({ type: 'integer' })
  amount: number;

  @Column({ type: 'varchar', length: 20 })
  kind: EntryKind;

  /** What caused it: `score_record`, `redemption`, `import`, … */
  @Column({ type: 'varchar', length: 20, nullable: true })
  refType: string | null;

  @Column({ type: 'integer', nullable: true })
  refId: number | null;

  @Column({ type: 'integer', nullable: true })
  correctsEntryId: number | null;

  /** The household's balances right after this entry: availableAfter is the API's balanceAfter. */
  @Column({ type: 'integer' })
  availableAfter: number;

  @Column({ type: 'integer' })
  earnedAfter: number;

  @Column({ type: 'varchar', length: 200 })
  description: string;

  /** The day the points count for (a score's deed date; otherwise the day of the entry). */
  @Column({ type: 'varchar', length: 10 })
  occurredOn: string;

  @Column({ type: 'integer', nullable: true })
  createdBy: number | null;

  /** ISO 8601 text, so that the hash reads the same value on every database. */
  @Column({ type: 'varchar', length: 30 })
  createdAt: string;

  @Column({ type: 'varchar', length: 64 })
  prevHash: string;

  @Column({ type: 'varchar', length: 64 })
  hash: string;
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const ENTRY_KINDS = [
  'SCORE',
  'SCORE_CORRECTION',
  'REDEMPTION',
  'REDEMPTION_CANCEL',
  'OPENING',
  'RESET',
  'PARTY_SCORE',
  'PARTY_BASE',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/**
 * 存折明细: one change of a household's points, or of another account's (`accountId`: a party member's book). Never
 * updated or deleted; a mistake is corrected by a new entry that points at the old one. Each entry carries the hash of
 * the previous entry of its book: the village's household book, or the account's own.
 */
@Entity('ledger_entry')
export class LedgerEntry {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  /** Position in its book (the village's household book, or the account's): 1, 2, 3, … with no gaps. */
  @Column({ type: 'integer' })
  seq: number;

  /** The household whose balances moved; null on an account's entry. */
  @Column({ type: 'integer', nullable: true })
  householdId: number | null;

  /** The account whose balances moved (a party member's book); null on a household's entry. */
  @Column({ type: 'integer', nullable: true })
  accountId: number | null;

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

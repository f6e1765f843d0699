import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The kinds of book the ledger keeps besides a village's household book. */
export const ACCOUNT_KINDS = ['PARTY_MEMBER'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/**
 * 账户: a book of its own on the one ledger, for a holder that is not a household (a party member's 党员积分). Owned by
 * the ledger: its balances move only with an entry, in the same transaction, and it is its own chain (seq and head, as
 * a village's `ledger_book` is for households). Its entries are rows of `ledger_entry` with `accountId` set and no
 * household: they never touch a household's balances.
 */
@Entity('ledger_account')
@Index(['villageId', 'kind'])
export class LedgerAccount {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 20 })
  kind: AccountKind;

  /** The village the holder belongs to (whose verification covers this book). */
  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer', default: 0 })
  seq: number;

  @Column({ type: 'varchar', length: 64, default: '' })
  head: string;

  @Column({ type: 'integer', default: 0 })
  available: number;

  @Column({ type: 'integer', default: 0 })
  earned: number;

  @CreateDateColumn()
  createdAt: Date;
}

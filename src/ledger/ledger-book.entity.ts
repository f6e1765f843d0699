import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * 账本: one per village, owned by the ledger. The head of the village's chain: the number of its last entry and that
 * entry's hash. Every append moves it in the same transaction as the entry; its row is also the book's lock
 * (`LedgerService.lockBook`). Created with the first entry or the first lock of the book (a village with no entries
 * has seq 0 and an empty head either way).
 */
@Entity('ledger_book')
export class LedgerBook {
  @PrimaryColumn({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer', default: 0 })
  seq: number;

  @Column({ type: 'varchar', length: 64, default: '' })
  head: string;
}

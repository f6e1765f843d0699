import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Where a witnessed head came from: a township's ranking review, a backup, or typed in from a printed sheet. */
export type WitnessSource = 'TOWNSHIP_REVIEW' | 'BACKUP' | 'TYPED';

/**
 * A head of a village's book (the seq of its last entry and that entry's hash) as someone outside the village saw it
 * at a moment. The book must still hold an entry with that seq and that hash: an entry changed (and the chain
 * recomputed) or entries cut from the end show here.
 */
@Entity('book_witness')
@Index(['villageId', 'seq'])
export class BookWitness {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer' })
  seq: number;

  /** The full hash, or the prefix printed on a sheet when typed in. */
  @Column({ type: 'varchar', length: 64 })
  hash: string;

  @Column({ type: 'varchar', length: 20 })
  source: WitnessSource;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note: string | null;

  @Column({ type: 'integer', nullable: true })
  createdBy: number | null;

  @CreateDateColumn()
  createdAt: Date;
}

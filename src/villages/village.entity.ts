import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** 村: keeps its own rule list, passbooks (the moral bank) and supermarket. */
@Entity('village')
export class Village {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ type: 'integer' })
  townshipId: number;

  @Column({ type: 'varchar', length: 60 })
  name: string;

  @Column({ type: 'varchar', length: 20, unique: true })
  code: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** The last household number given out: codes are `<village code>-<number>` and never reused. */
  @Column({ type: 'integer', default: 0 })
  householdSeq: number;

  /** A village setting: villagers may declare their own good deeds (申报) from /villager. */
  @Column({ type: 'boolean', default: true })
  declarationsEnabled: boolean;

  /** The number of the last entry of this village's book, and that entry's hash: the head of the chain. */
  @Column({ type: 'integer', default: 0 })
  ledgerSeq: number;

  @Column({ type: 'varchar', length: 64, default: '' })
  ledgerHead: string;

  /** The receipt counter: the China day (YYYYMMDD) it counts for and the last number given out that day. */
  @Column({ type: 'varchar', length: 8, default: '' })
  receiptDay: string;

  @Column({ type: 'integer', default: 0 })
  receiptSeq: number;

  /** 清零, a village setting (off by default): each year on resetOn (MM-DD), available above resetKeep expires. */
  @Column({ type: 'boolean', default: false })
  resetEnabled: boolean;

  @Column({ type: 'varchar', length: 5, default: '12-31' })
  resetOn: string;

  @Column({ type: 'integer', default: 0 })
  resetKeep: number;

  /** The date of the last reset carried out, so that a year's reset runs once. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  lastResetOn: string | null;

  /** 星级文明户: the year's points for 1★ … 5★, five rising numbers. */
  @Column({ type: 'varchar', length: 40, default: '50,100,200,300,500' })
  starThresholds: string;

  /** 黑榜 on the board: households named, or only their group. */
  @Column({ type: 'varchar', length: 5, default: 'NAMED' })
  blackListMode: 'NAMED' | 'GROUP';

  /** How many top households the red list proposes. */
  @Column({ type: 'integer', default: 10 })
  redListSize: number;

  @CreateDateColumn()
  createdAt: Date;
}

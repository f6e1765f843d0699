import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** 户: the unit that earns and spends points, with its passbook balances. */
@Entity('household')
export class Household {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer', nullable: true })
  groupId: number | null;

  /** Printable, unique, never reused: it goes on the door plate. */
  @Column({ type: 'varchar', length: 30, unique: true })
  code: string;

  @Column({ type: 'varchar', length: 40 })
  headName: string;

  @Column({ type: 'integer', default: 1 })
  memberCount: number;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  pinHash: string | null;

  /** Raised on every PIN reset: bearer tokens of the household die with it. */
  @Column({ type: 'integer', default: 1 })
  pinVersion: number;

  /** 可用积分: what the supermarket may spend. */
  @Column({ type: 'integer', default: 0 })
  available: number;

  /** 累计积分: posted score entries only; redemption never lowers it. */
  @Column({ type: 'integer', default: 0 })
  earned: number;

  @Column({ type: 'varchar', length: 20, default: 'ACTIVE' })
  status: 'ACTIVE' | 'MOVED_OUT';

  /** 迁出: the date the household left; its history stays, it gets no new scores. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  movedOutOn: string | null;

  @CreateDateColumn()
  createdAt: Date;
}

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

  @CreateDateColumn()
  createdAt: Date;
}

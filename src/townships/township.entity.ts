import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 乡镇: oversees its villages, reviews their rankings and lists. */
@Entity('township')
export class Township {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 60 })
  name: string;

  @Column({ type: 'varchar', length: 20, unique: true })
  code: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** The most points one household may carry over from a paper passbook (期初积分); 0: none until the township sets it. */
  @Column({ type: 'integer', default: 0 })
  openingCap: number;

  @CreateDateColumn()
  createdAt: Date;
}

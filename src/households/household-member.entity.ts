import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 家庭成员: shown on the household page. */
@Entity('household_member')
export class HouseholdMember {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  householdId: number;

  @Column({ type: 'varchar', length: 40 })
  name: string;

  /** Relation to the head: 户主, 配偶, 子女, 父母, … */
  @Column({ type: 'varchar', length: 20 })
  relation: string;

  @Column({ type: 'boolean', default: false })
  partyMember: boolean;

  @CreateDateColumn()
  createdAt: Date;
}

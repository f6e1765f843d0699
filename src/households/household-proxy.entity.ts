import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * 亲属代办: a relative or neighbour a household named to act for it (see its points, declare, object), logging in with
 * the household's code and a PIN of their own. Named and ended by the committee; never deleted, so the audit log's
 * "done by the proxy" stays readable.
 */
@Entity('household_proxy')
@Index(['householdId'])
export class HouseholdProxy {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  householdId: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'varchar', length: 40 })
  name: string;

  /** 子女, 邻居 …: how they stand to the household, as the household said. */
  @Column({ type: 'varchar', length: 20 })
  relation: string;

  @Column({ type: 'varchar', length: 200 })
  pinHash: string;

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: 'integer' })
  createdBy: number;

  @Column({ type: Date, nullable: true })
  endedAt: Date | null;

  @Column({ type: 'integer', nullable: true })
  endedBy: number | null;
}

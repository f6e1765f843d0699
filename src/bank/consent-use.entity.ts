import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One time a loan officer used a household's consent code: looked the household up, or recorded the outcome. */
@Entity('consent_use')
@Index(['householdId', 'id'])
export class ConsentUse {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  consentId: number;

  @Column({ type: 'integer' })
  householdId: number;

  @Column({ type: 'integer' })
  bankUserId: number;

  /** The officer as the household reads it, kept as it was (an account may be renamed later). */
  @Column({ type: 'varchar', length: 60 })
  bankUserName: string;

  @Column({ type: 'varchar', length: 10 })
  kind: 'LOOKUP' | 'OUTCOME';

  @CreateDateColumn()
  createdAt: Date;
}

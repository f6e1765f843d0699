import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const COUNCIL_VOTES = ['YES', 'NO', 'ABSTAIN'] as const;
export type CouncilVoteChoice = (typeof COUNCIL_VOTES)[number];

/**
 * 评议表决: one council member's vote on one record under a rule that needs the 道德评议会. One vote per member and
 * record (the unique index holds it under a double click); never changed.
 */
@Entity('council_vote')
@Index(['recordId', 'userId'], { unique: true })
export class CouncilVote {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  recordId: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'integer' })
  userId: number;

  @Column({ type: 'varchar', length: 8 })
  vote: CouncilVoteChoice;

  @Column({ type: 'varchar', length: 200, nullable: true })
  comment: string | null;

  @CreateDateColumn()
  createdAt: Date;
}

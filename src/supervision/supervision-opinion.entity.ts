import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What a 监督意见 is about: a record in 公示 (held from posting until answered), a redemption or a stock movement. */
export const OPINION_TARGETS = ['SCORE_RECORD', 'REDEMPTION', 'STOCK_MOVEMENT'] as const;
export type OpinionTarget = (typeof OPINION_TARGETS)[number];

/** 监督意见: raised by the village's supervision committee (村务监督委员会); the committee (村两委) answers it. */
@Entity('supervision_opinion')
@Index(['targetType', 'targetId', 'status'])
@Index(['villageId', 'status'])
export class SupervisionOpinion {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'varchar', length: 20 })
  targetType: OpinionTarget;

  @Column({ type: 'integer' })
  targetId: number;

  @Column({ type: 'varchar', length: 500 })
  text: string;

  @Column({ type: 'integer' })
  byUserId: number;

  @Column({ type: 'varchar', length: 10, default: 'OPEN' })
  status: 'OPEN' | 'ANSWERED';

  @Column({ type: 'varchar', length: 500, nullable: true })
  answer: string | null;

  @Column({ type: 'integer', nullable: true })
  answeredBy: number | null;

  @Column({ type: Date, nullable: true })
  answeredAt: Date | null;

  @CreateDateColumn()
  createdAt: Date;
}

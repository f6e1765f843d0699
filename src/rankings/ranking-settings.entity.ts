import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A village's ranking and star settings. A village without a row has the defaults below. */
@Entity('ranking_settings')
export class RankingSettings {
  @PrimaryColumn({ type: 'integer' })
  villageId: number;

  /** 星级文明户: the year's points for 1★ … 5★, five rising numbers. */
  @Column({ type: 'varchar', length: 40, default: '50,100,200,300,500' })
  starThresholds: string;

  /** 黑榜 on the board: households named, or only their group. */
  @Column({ type: 'varchar', length: 5, default: 'NAMED' })
  blackListMode: 'NAMED' | 'GROUP';

  /** How many top households the red list proposes. */
  @Column({ type: 'integer', default: 10 })
  redListSize: number;
}

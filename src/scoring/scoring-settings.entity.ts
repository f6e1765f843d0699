import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A village's scoring settings. A village without a row has the defaults below. */
@Entity('scoring_settings')
export class ScoringSettings {
  @PrimaryColumn({ type: 'integer' })
  villageId: number;

  /** Villagers may declare their own good deeds (申报) from /villager. */
  @Column({ type: 'boolean', default: true })
  declarationsEnabled: boolean;

  /** 道德评议会: how many members must have voted before the council's decision on a record counts. */
  @Column({ type: 'integer', default: 5 })
  councilQuorum: number;

  /** 道德评议会: 公示 shows each voter's name with the vote (off: the counts only). */
  @Column({ type: 'boolean', default: false })
  councilShowNames: boolean;
}

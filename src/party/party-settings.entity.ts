import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A branch's settings: the optional monthly base and the yearly points for one to five stars (五星党员). */
@Entity('party_settings')
export class PartySettings {
  @PrimaryColumn({ type: 'integer' })
  villageId: number;

  /** 每月基础分: posted to every member once a month when set. */
  @Column({ type: 'integer', nullable: true })
  monthlyBase: number | null;

  /** Points earned in a year for 1, 2, 3, 4 and 5 stars, ascending, comma-separated. */
  @Column({ type: 'varchar', length: 60, default: "'20,40,60,80,100'" })
  starThresholds: string;
}

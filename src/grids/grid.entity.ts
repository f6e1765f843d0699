import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** 网格: a part of a village's households (within or across its groups), looked after by one 网格员 (a SCORER). */
@Entity('grid')
@Index(['villageId', 'name'], { unique: true })
export class Grid {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'varchar', length: 30 })
  name: string;

  /** The 网格员: a SCORER account of the village, or none yet. */
  @Column({ type: 'integer', nullable: true })
  scorerUserId: number | null;

  @CreateDateColumn()
  createdAt: Date;
}

/** Which grid a household is in: one at most. */
@Entity('grid_household')
export class GridHousehold {
  @PrimaryColumn({ type: 'integer' })
  householdId: number;

  @Column({ type: 'integer' })
  @Index()
  gridId: number;

  @Column({ type: 'integer' })
  villageId: number;
}

/** What the village decided a grid affair's steps earn (issue 21): a rule for a valid report, one for handling. */
@Entity('grid_settings')
export class GridSettings {
  @PrimaryColumn({ type: 'integer' })
  villageId: number;

  /** The rule a household's valid report is recorded under (none: a valid report earns nothing). */
  @Column({ type: 'integer', nullable: true })
  validReportRuleId: number | null;

  /** The rule a household that handled a dispatched matter is recorded under. */
  @Column({ type: 'integer', nullable: true })
  handledRuleId: number | null;
}

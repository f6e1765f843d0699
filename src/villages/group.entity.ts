import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** 村民小组: a part of a village; households belong to one. */
@Entity('village_group')
@Index(['villageId', 'name'], { unique: true })
export class Group {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'varchar', length: 40 })
  name: string;

  @Column({ type: 'integer', default: 0 })
  sortOrder: number;

  @Column({ type: 'boolean', default: true })
  active: boolean;
}

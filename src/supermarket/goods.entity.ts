import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 商品: what a village's points supermarket offers, with its price in points and the stock on the shelf. */
@Entity('goods')
export class Goods {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  villageId: number;

  @Column({ type: 'varchar', length: 40 })
  name: string;

  /** 件, 袋, 瓶, 桶 … */
  @Column({ type: 'varchar', length: 10 })
  unit: string;

  @Column({ type: 'integer' })
  pricePoints: number;

  /** On hand: always the sum of the goods' stock movements, changed in the same transaction as each movement. */
  @Column({ type: 'integer', default: 0 })
  stock: number;

  /** At or below this the clerk's list marks the goods as running low. */
  @Column({ type: 'integer', default: 0 })
  lowStockThreshold: number;

  /** A village's limit: at most this many per household per month (null: no limit). */
  @Column({ type: 'integer', nullable: true })
  monthlyLimit: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  photoPath: string | null;

  /** Retired goods leave the catalogue and the counter; their history stays. */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn()
  createdAt: Date;
}

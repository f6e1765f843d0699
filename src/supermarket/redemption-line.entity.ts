import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One line of a receipt: the goods' name, unit and price as they were at the counter. */
@Entity('redemption_line')
export class RedemptionLine {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer' })
  redemptionId: number;

  @Column({ type: 'integer' })
  goodsId: number;

  @Column({ type: 'varchar', length: 40 })
  goodsName: string;

  @Column({ type: 'varchar', length: 10 })
  unit: string;

  @Column({ type: 'integer' })
  quantity: number;

  @Column({ type: 'integer' })
  pricePoints: number;

  @Column({ type: 'integer' })
  linePoints: number;
}

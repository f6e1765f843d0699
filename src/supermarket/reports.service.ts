import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HouseholdsService } from '../households/households.service.js';
import { Goods } from './goods.entity.js';
import { RedemptionLine } from './redemption-line.entity.js';
import { Redemption } from './redemption.entity.js';
import { StockMovement } from './stock-movement.entity.js';

export interface StockRow {
  goodsId: number;
  name: string;
  unit: string;
  opening: number;
  stockIn: number;
  /** stockIn by source: 采购入库, 捐赠入库, 建档库存. */
  purchased: number;
  donated: number;
  initial: number;
  out: number;
  returned: number;
  adjusted: number;
  closing: number;
}

const num = (v: unknown) => Number(v ?? 0);
/** The quantity of one kind of movement within the period. */
const inPeriod = (kind: 'INITIAL' | 'PURCHASE' | 'DONATION') =>
  `COALESCE(SUM(CASE WHEN m.occurredOn >= :from AND m.occurredOn <= :to AND m.kind = '${kind}' THEN m.quantity ELSE 0 END), 0)`;

/** 超市报表 for a village and a period (China days, both ends included): stock, donors, redemptions. */
@Injectable()
export class SupermarketReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly households: HouseholdsService,
  ) {}

  /** Per goods: on hand at the start, in, out (redemptions), returned (cancellations), stock-takes, on hand at the end. */
  async stock(villageId: number, from: string, to: string): Promise<StockRow[]> {
    const rows = await this.dataSource
      .createQueryBuilder()
      .select('g.id', 'goodsId')
      .addSelect('g.name', 'name')
      .addSelect('g.unit', 'unit')
      .addSelect('COALESCE(SUM(CASE WHEN m.occurredOn < :from THEN m.quantity ELSE 0 END), 0)', 'opening')
      .addSelect(
        "COALESCE(SUM(CASE WHEN m.occurredOn >= :from AND m.occurredOn <= :to AND m.kind IN ('INITIAL', 'PURCHASE', 'DONATION') THEN m.quantity ELSE 0 END), 0)",
        'stockIn',
      )
      .addSelect(inPeriod('PURCHASE'), 'purchased')
      .addSelect(inPeriod('DONATION'), 'donated')
      .addSelect(inPeriod('INITIAL'), 'initial')
      .addSelect(
        "COALESCE(SUM(CASE WHEN m.occurredOn >= :from AND m.occurredOn <= :to AND m.kind = 'REDEMPTION' THEN -m.quantity ELSE 0 END), 0)",
        'out',
      )
      .addSelect(
        "COALESCE(SUM(CASE WHEN m.occurredOn >= :from AND m.occurredOn <= :to AND m.kind = 'CANCEL' THEN m.quantity ELSE 0 END), 0)",
        'returned',
      )
      .addSelect(
        "COALESCE(SUM(CASE WHEN m.occurredOn >= :from AND m.occurredOn <= :to AND m.kind = 'ADJUSTMENT' THEN m.quantity ELSE 0 END), 0)",
        'adjusted',
      )
      .addSelect('COALESCE(SUM(CASE WHEN m.occurredOn <= :to THEN m.quantity ELSE 0 END), 0)', 'closing')
      .from(Goods, 'g')
      .leftJoin(StockMovement, 'm', 'm.goodsId = g.id')
      .where('g.villageId = :villageId', { villageId })
      .setParameters({ from, to })
      .groupBy('g.id')
      .addGroupBy('g.name')
      .addGroupBy('g.unit')
      .orderBy('g.name', 'ASC')
      .getRawMany();
    return rows.map((r) => ({
      goodsId: num(r.goodsId),
      name: r.name,
      unit: r.unit,
      opening: num(r.opening),
      stockIn: num(r.stockIn),
      purchased: num(r.purchased),
      donated: num(r.donated),
      initial: num(r.initial),
      out: num(r.out),
      returned: num(r.returned),
      adjusted: num(r.adjusted),
      closing: num(r.closing),
    }));
  }

  /** 捐赠: per donor and goods, the quantity, its value in points at today's price, and when. */
  async donors(villageId: number, from: string, to: string) {
    const rows = await this.dataSource
      .createQueryBuilder()
      .select('m.donor', 'donor')
      .addSelect('g.name', 'goods')
      .addSelect('g.unit', 'unit')
      .addSelect('SUM(m.quantity)', 'quantity')
      .addSelect('SUM(m.quantity * g.pricePoints)', 'points')
      .addSelect('MIN(m.occurredOn)', 'first')
      .addSelect('MAX(m.occurredOn)', 'last')
      .from(StockMovement, 'm')
      .innerJoin(Goods, 'g', 'g.id = m.goodsId')
      .where("m.villageId = :villageId AND m.kind = 'DONATION'", { villageId })
      .andWhere('m.occurredOn >= :from AND m.occurredOn <= :to', { from, to })
      .groupBy('m.donor')
      .addGroupBy('g.name')
      .addGroupBy('g.unit')
      .orderBy('m.donor', 'ASC')
      .getRawMany();
    return rows.map((r) => ({ ...r, quantity: num(r.quantity), points: num(r.points) }));
  }

  /** Redemptions that stand (cancelled ones left out): by day, by goods, by household. */
  async redemptions(villageId: number, from: string, to: string) {
    const done = (qb: ReturnType<DataSource['createQueryBuilder']>) =>
      qb
        .where("r.villageId = :villageId AND r.status = 'DONE'", { villageId })
        .andWhere('r.occurredOn >= :from AND r.occurredOn <= :to', { from, to });
    const byDay = await done(
      this.dataSource
        .createQueryBuilder()
        .select('r.occurredOn', 'day')
        .addSelect('COUNT(*)', 'count')
        .addSelect('SUM(r.totalPoints)', 'points')
        .from(Redemption, 'r'),
    )
      .groupBy('r.occurredOn')
      .orderBy('r.occurredOn', 'ASC')
      .getRawMany();
    const byGoods = await done(
      this.dataSource
        .createQueryBuilder()
        .select('l.goodsName', 'name')
        .addSelect('l.unit', 'unit')
        .addSelect('SUM(l.quantity)', 'quantity')
        .addSelect('SUM(l.linePoints)', 'points')
        .from(RedemptionLine, 'l')
        .innerJoin(Redemption, 'r', 'r.id = l.redemptionId'),
    )
      .groupBy('l.goodsName')
      .addGroupBy('l.unit')
      .orderBy('points', 'DESC')
      .getRawMany();
    const perHousehold = await done(
      this.dataSource
        .createQueryBuilder()
        .select('r.householdId', 'householdId')
        .addSelect('COUNT(*)', 'count')
        .addSelect('SUM(r.totalPoints)', 'points')
        .from(Redemption, 'r'),
    )
      .groupBy('r.householdId')
      .getRawMany();
    // A household's code and name are the households' to say; the code is unique, so a household is one row.
    const names = await this.households.codesAndNames(perHousehold.map((r) => Number(r.householdId)));
    const byHousehold = perHousehold
      .flatMap((r) => {
        const named = names.get(Number(r.householdId));
        return named ? [{ ...named, count: num(r.count), points: num(r.points) }] : [];
      })
      .sort((a, b) => b.points - a.points || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    return {
      byDay: byDay.map((r) => ({ day: r.day as string, count: num(r.count), points: num(r.points) })),
      byGoods: byGoods.map((r) => ({
        name: r.name as string,
        unit: r.unit as string,
        quantity: num(r.quantity),
        points: num(r.points),
      })),
      byHousehold,
    };
  }

  /** Points redeemed (completed redemptions) per village over days `start` to before `next`. */
  async redeemedByVillage(villageIds: number[], start: string, next: string): Promise<Map<number, number>> {
    if (villageIds.length === 0) return new Map();
    const rows = await this.dataSource
      .createQueryBuilder()
      .select('r.villageId', 'villageId')
      .addSelect('SUM(r.totalPoints)', 'n')
      .from(Redemption, 'r')
      .where("r.villageId IN (:...ids) AND r.status = 'DONE'", { ids: villageIds })
      .andWhere('r.occurredOn >= :start AND r.occurredOn < :next', { start, next })
      .groupBy('r.villageId')
      .getRawMany();
    return new Map(rows.map((r) => [Number(r.villageId), Number(r.n ?? 0)]));
  }
}

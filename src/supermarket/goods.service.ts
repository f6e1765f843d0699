import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import type { Paged } from '../common/pagination.js';
import { isUniqueViolation } from '../common/unique.js';
import { lockRow } from '../database/locks.js';
import { insertRow, raw, selectRows } from '../database/raw.js';
import { type CacheScope, ReadCache } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import type { Village } from '../villages/village.entity.js';
import { VillagesService } from '../villages/villages.service.js';
import { CreateGoodsDto, StockInDto, StockTakeDto, UpdateGoodsDto } from './dto/supermarket.dto.js';
import { Goods } from './goods.entity.js';
import { MovementKind, StockMovement } from './stock-movement.entity.js';

/** Goods as the API shows them (API.md: the catalogue has id, name, unit, pricePoints, stock). */
export function goodsView(g: Goods) {
  return {
    id: g.id,
    villageId: g.villageId,
    name: g.name,
    unit: g.unit,
    pricePoints: g.pricePoints,
    stock: g.stock,
    lowStockThreshold: g.lowStockThreshold,
    monthlyLimit: g.monthlyLimit,
    active: g.active,
    lowStock: g.stock <= g.lowStockThreshold,
  };
}
export type GoodsView = ReturnType<typeof goodsView>;

export interface NewMovement {
  goodsId: number;
  villageId: number;
  quantity: number;
  kind: MovementKind;
  donor?: string | null;
  note?: string | null;
  redemptionId?: number | null;
  createdBy?: number | null;
}

export interface StockMismatch {
  goodsId: number;
  problem: string;
}

/** What a village's catalogue depends on: writes in the village (its goods, their stock). */
export const catalogueScope = (villageId: number): CacheScope => ({ villageIds: [villageId] });

/** 商品 and 库存: the catalogue, stock in (purchase or donation), stock-takes, and the movement book behind each level. */
@Injectable()
export class GoodsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly cache: ReadCache,
    private readonly villages: VillagesService,
  ) {}

  /**
   * What villagers see: active goods, cheapest first. Public, and read far more than written (the API, the board, the
   * counter): kept until a write in the village. The rows are shared by every reader until then: not to be changed.
   */
  async catalogue(villageId: number): Promise<readonly Goods[]> {
    return this.cache.get(`catalogue:${villageId}`, catalogueScope(villageId), async () =>
      (await selectRows(this.dataSource.manager, Goods, { villageId, active: true })).sort(
        (a, b) => a.pricePoints - b.pricePoints || a.id - b.id,
      ),
    );
  }

  /** Every goods of the village, retired ones last, for the clerk. */
  async list(villageId: number): Promise<Goods[]> {
    return this.dataSource.getRepository(Goods).find({
      where: { villageId },
      order: { active: 'DESC', name: 'ASC', id: 'ASC' },
    });
  }

  async get(actor: Actor, id: number): Promise<Goods> {
    const goods = await this.dataSource.getRepository(Goods).findOneBy({ id });
    if (!goods) throw DomainError.notFound('商品');
    await this.assertVillage(actor, goods.villageId);
    return goods;
  }

  async create(actor: Actor, dto: CreateGoodsDto): Promise<Goods> {
    await this.assertVillage(actor, dto.villageId);
    return this.uniqueName(
      this.transactions.run(async (manager) => {
        const goods = await manager.save(
          manager.create(Goods, {
            villageId: dto.villageId,
            name: dto.name,
            unit: dto.unit,
            pricePoints: dto.pricePoints,
            stock: 0,
            lowStockThreshold: dto.lowStockThreshold ?? 0,
            monthlyLimit: dto.monthlyLimit ?? null,
            active: true,
          }),
        );
        if (dto.stock) {
          await this.move(manager, {
            goodsId: goods.id,
            villageId: goods.villageId,
            quantity: dto.stock,
            kind: 'INITIAL',
            createdBy: actorId(actor),
          });
        }
        this.transactions.changed(manager, { villageIds: [goods.villageId] });
        await this.audit.record(
          actor,
          {
            action: 'goods.create',
            entityType: 'goods',
            entityId: goods.id,
            villageId: goods.villageId,
            details: { name: goods.name, pricePoints: goods.pricePoints, stock: dto.stock ?? 0 },
          },
          manager,
        );
        return manager.findOneByOrFail(Goods, { id: goods.id });
      }),
    );
  }

  /** Name, unit, price, thresholds, on or off the shelf. Past receipts keep the price they were made at. */
  async update(actor: Actor, id: number, dto: UpdateGoodsDto): Promise<Goods> {
    const before = await this.get(actor, id);
    return this.uniqueName(
      this.transactions.run(async (manager) => {
        const changes = {
          name: dto.name,
          unit: dto.unit,
          pricePoints: dto.pricePoints,
          lowStockThreshold: dto.lowStockThreshold ?? 0,
          monthlyLimit: dto.monthlyLimit ?? null,
          active: dto.active ?? before.active,
        };
        await manager.update(Goods, { id }, changes);
        this.transactions.changed(manager, { villageIds: [before.villageId] });
        await this.audit.record(
          actor,
          {
            action: 'goods.update',
            entityType: 'goods',
            entityId: id,
            villageId: before.villageId,
            details: {
              before: { name: before.name, pricePoints: before.pricePoints, active: before.active },
              after: changes,
            },
          },
          manager,
        );
        return manager.findOneByOrFail(Goods, { id });
      }),
    );
  }

  /** 入库: a purchase, or a donation with its donor named. */
  async stockIn(actor: Actor, id: number, dto: StockInDto): Promise<Goods> {
    const goods = await this.get(actor, id);
    return this.transactions.run(async (manager) => {
      const movement = await this.move(manager, {
        goodsId: goods.id,
        villageId: goods.villageId,
        quantity: dto.quantity,
        kind: dto.source,
        donor: dto.source === 'DONATION' ? (dto.donor ?? null) : null,
        note: dto.note || null,
        createdBy: actorId(actor),
      });
      this.transactions.changed(manager, { villageIds: [goods.villageId] });
      await this.audit.record(
        actor,
        {
          action: 'goods.stock-in',
          entityType: 'goods',
          entityId: goods.id,
          villageId: goods.villageId,
          details: {
            quantity: dto.quantity,
            source: dto.source,
            donor: movement.donor,
            movementId: movement.id,
          },
        },
        manager,
      );
      return manager.findOneByOrFail(Goods, { id });
    });
  }

  /** 盘点: the clerk counts the shelf; the difference is written as an adjustment with its reason. */
  async stockTake(actor: Actor, id: number, dto: StockTakeDto): Promise<Goods> {
    const goods = await this.get(actor, id);
    return this.transactions.run(async (manager) => {
      const current = (await lockRow(manager, Goods, id)) as Goods;
      // A count that matches the book is recorded too (a movement of 0): the stock-take itself is on record.
      const difference = dto.counted - current.stock;
      const movement = await this.move(manager, {
        goodsId: id,
        villageId: goods.villageId,
        quantity: difference,
        kind: 'ADJUSTMENT',
        note: dto.reason,
        createdBy: actorId(actor),
      });
      this.transactions.changed(manager, { villageIds: [goods.villageId] });
      await this.audit.record(
        actor,
        {
          action: 'goods.stock-take',
          entityType: 'goods',
          entityId: id,
          villageId: goods.villageId,
          details: {
            before: current.stock,
            counted: dto.counted,
            reason: dto.reason,
            movementId: movement.id,
          },
        },
        manager,
      );
      return manager.findOneByOrFail(Goods, { id });
    });
  }

  /**
   * The one way stock moves: a guarded change of the level (never below zero) and its movement row, in the caller's
   * transaction. Refuses with OUT_OF_STOCK when the shelf has fewer than a negative quantity takes.
   */
  async move(manager: EntityManager, input: NewMovement): Promise<StockMovement> {
    const quantity = Math.trunc(input.quantity);
    const [moved] = await raw<{ stock: number }>(
      manager,
      quantity < 0
        ? 'UPDATE goods SET stock = stock + $1 WHERE id = $2 AND stock >= $3 RETURNING stock'
        : 'UPDATE goods SET stock = stock + $1 WHERE id = $2 RETURNING stock',
      quantity < 0 ? [quantity, input.goodsId, -quantity] : [quantity, input.goodsId],
    );
    if (!moved) {
      const goods = await manager.findOneBy(Goods, { id: input.goodsId });
      if (!goods) throw DomainError.notFound('商品');
      throw new DomainError('OUT_OF_STOCK', `${goods.name}库存不足：还剩 ${goods.stock}${goods.unit}`, {
        goodsId: goods.id,
        stock: goods.stock,
      });
    }
    const now = this.clock.now();
    return insertRow(manager, StockMovement, {
      goodsId: input.goodsId,
      villageId: input.villageId,
      quantity: input.quantity,
      kind: input.kind,
      stockAfter: Number(moved.stock),
      donor: input.donor ?? null,
      note: input.note ?? null,
      redemptionId: input.redemptionId ?? null,
      occurredOn: todayInChina(now),
      createdBy: input.createdBy ?? null,
      createdAt: now.toISOString(),
    });
  }

  async movements(goodsId: number, page: number, pageSize: number): Promise<Paged<StockMovement>> {
    const [items, total] = await this.dataSource.getRepository(StockMovement).findAndCount({
      where: { goodsId },
      order: { id: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items, total };
  }

  /** The goods a stock movement belongs to (404 when there is no such movement). */
  async goodsOfMovement(movementId: number): Promise<number> {
    const movement = await this.dataSource
      .getRepository(StockMovement)
      .findOne({ where: { id: movementId }, select: { id: true, goodsId: true } });
    if (!movement) throw DomainError.notFound('库存变动');
    return movement.goodsId;
  }

  /**
   * Every stock level equals the sum of its movements, and each movement's stockAfter continues the one before:
   * the stock side of the invariant checker.
   */
  async verifyStock(
    villageIds: number[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<StockMismatch[]> {
    const mismatches: StockMismatch[] = [];
    for (const villageId of villageIds) {
      const goods = await manager.getRepository(Goods).find({ where: { villageId } });
      for (const g of goods) {
        const movements = await manager.getRepository(StockMovement).find({
          where: { goodsId: g.id },
          order: { id: 'ASC' },
          select: { id: true, quantity: true, stockAfter: true },
        });
        let running = 0;
        for (const m of movements) {
          running += m.quantity;
          if (running < 0 || running !== m.stockAfter)
            mismatches.push({
              goodsId: g.id,
              problem: `变动 ${m.id} 后库存应为 ${running}，记为 ${m.stockAfter}`,
            });
        }
        if (running !== g.stock)
          mismatches.push({ goodsId: g.id, problem: `${g.name}库存为 ${g.stock}，变动合计为 ${running}` });
      }
    }
    return mismatches;
  }

  private async assertVillage(actor: Actor, villageId: number): Promise<Village> {
    const village = await this.villages.findIn(this.dataSource.manager, villageId);
    if (!village) throw DomainError.notFound('村');
    assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
    return village;
  }

  private async uniqueName<T>(work: Promise<T>): Promise<T> {
    return work.catch((error: unknown) => {
      if (isUniqueViolation(error))
        throw DomainError.duplicate('name', '本村已有同名商品，请换个名称或修改原商品');
      throw error;
    });
  }

  /** Active goods at or below their 库存提醒 (the start page's to-do): the goods list marks the same ones. */
  async lowStock(villageId: number): Promise<Goods[]> {
    return (await this.list(villageId)).filter((g) => g.active && g.stock <= g.lowStockThreshold);
  }
}

function actorId(actor: Actor): number | null {
  return actor.kind === 'user' ? actor.id : null;
}

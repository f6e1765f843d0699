import type { EntityManager } from 'typeorm';
import { raw } from '../database/raw.js';
import { Redemption } from './redemption.entity.js';
import { StockMovement } from './stock-movement.entity.js';

/**
 * What the supervision committee's opinions read of the supermarket (issue 9, point 4: redemptions, stock movements
 * and goods are the supermarket's tables). Plain functions on the caller's manager, not the supermarket's services:
 * the supermarket's module uses SupervisionModule (its pages raise and answer opinions), so supervision cannot
 * inject them without a circle of modules.
 */

const placeholders = (ids: number[]) => ids.map((_, i) => `$${i + 1}`).join(', ');

/** The village of a redemption or a stock movement (null when there is none), in the caller's transaction. */
export async function villageOfSupermarketThing(
  manager: EntityManager,
  targetType: 'REDEMPTION' | 'STOCK_MOVEMENT',
  id: number,
): Promise<number | null> {
  const found =
    targetType === 'REDEMPTION'
      ? await manager.findOneBy(Redemption, { id })
      : await manager.findOneBy(StockMovement, { id });
  return found ? found.villageId : null;
}

/** The receipt numbers of these redemptions (those that exist), in one query. */
export async function receiptNumbers(
  manager: EntityManager,
  ids: number[],
): Promise<{ id: number; receiptNo: string }[]> {
  if (ids.length === 0) return [];
  return raw<{ id: number; receiptNo: string }>(
    manager,
    `SELECT id, "receiptNo" FROM redemption WHERE id IN (${placeholders(ids)})`,
    ids,
  );
}

/** These stock movements (those that exist) with their goods' name, in one query. */
export async function movementsWithGoods(
  manager: EntityManager,
  ids: number[],
): Promise<{ id: number; goodsId: number; name: string; quantity: number; occurredOn: string }[]> {
  if (ids.length === 0) return [];
  return raw<{ id: number; goodsId: number; name: string; quantity: number; occurredOn: string }>(
    manager,
    `SELECT m.id, m."goodsId", g.name, m.quantity, m."occurredOn" FROM stock_movement m
      JOIN goods g ON g.id = m."goodsId" WHERE m.id IN (${placeholders(ids)})`,
    ids,
  );
}

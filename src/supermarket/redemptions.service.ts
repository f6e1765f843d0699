import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { periodBounds, todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { definedOnly } from '../common/objects.js';
import type { Paged } from '../common/pagination.js';
import { isUniqueViolation } from '../common/unique.js';
import { lockRow } from '../database/locks.js';
import { insertRow, raw, selectRows } from '../database/raw.js';
import { Transactions } from '../database/transactions.js';
import { scopeOfVillage } from '../villages/scope-of-village.js';
import type { Household } from '../households/household.entity.js';
import { HouseholdsService } from '../households/households.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { VillagesService } from '../villages/villages.service.js';
import {
  basketFingerprint,
  basketRefusal,
  mergeLines,
  monthlyLimitRefusal,
  receiptNumber,
  type BasketLine,
} from './basket.js';
import { RedeemDto } from './dto/supermarket.dto.js';
import { Goods } from './goods.entity.js';
import { GoodsService } from './goods.service.js';
import { RedemptionLine } from './redemption-line.entity.js';
import { SupermarketSettingsService } from './supermarket-settings.service.js';
import { Redemption, RedemptionStatus } from './redemption.entity.js';

export interface RedemptionWithLines {
  redemption: Redemption;
  lines: RedemptionLine[];
}

/** A redemption as the API shows it (API.md: id, receiptNo, totalPoints, balanceAfter, items). */
export function redemptionView({ redemption: r, lines }: RedemptionWithLines) {
  return {
    id: r.id,
    villageId: r.villageId,
    householdId: r.householdId,
    receiptNo: r.receiptNo,
    totalPoints: r.totalPoints,
    balanceAfter: r.balanceAfter,
    status: r.status,
    occurredOn: r.occurredOn,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    cancelledAt: r.cancelledAt,
    cancelReason: r.cancelReason,
    items: lines.map((l) => ({
      goodsId: l.goodsId,
      name: l.goodsName,
      unit: l.unit,
      quantity: l.quantity,
      pricePoints: l.pricePoints,
      points: l.linePoints,
    })),
  };
}

/** What a basket would cost and leave, before anything is written (the counter's confirm step). */
export interface BasketPreview {
  household: Household;
  lines: { goods: Goods; quantity: number; points: number }[];
  totalPoints: number;
  balanceAfter: number;
}

/** 兑换: goods for points at the village supermarket, and its cancellation. */
@Injectable()
export class RedemptionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly ledger: LedgerService,
    private readonly goods: GoodsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly settings: SupermarketSettingsService,
    private readonly villages: VillagesService,
    private readonly households: HouseholdsService,
  ) {}

  /**
   * One transaction: the receipt, the lines, each goods' stock lowered by a guarded update, and the REDEMPTION entry
   * (which refuses to take available below zero). Any refusal undoes all of it. The same idempotency key from the same
   * clerk gives the first redemption back (created: false); with another basket it is IDEMPOTENCY_CONFLICT.
   */
  async redeem(actor: Actor, dto: RedeemDto): Promise<RedemptionWithLines & { created: boolean }> {
    if (actor.kind !== 'user') throw DomainError.forbidden();
    const fingerprint = basketFingerprint(dto.householdId, dto.items);
    return this.redeemOnce(actor, dto, fingerprint).catch(async (error: unknown) => {
      // Two requests with one key raced past the lookup: the unique index let one in; answer the other with it.
      if (!isUniqueViolation(error)) throw error;
      const earlier = await this.dataSource
        .getRepository(Redemption)
        .findOneBy({ createdBy: actor.id, idempotencyKey: dto.idempotencyKey });
      if (!earlier) throw error;
      return { ...(await this.sameRequest(this.dataSource.manager, earlier, fingerprint)), created: false };
    });
  }

  private async redeemOnce(
    actor: Actor & { kind: 'user' },
    dto: RedeemDto,
    fingerprint: string,
  ): Promise<RedemptionWithLines & { created: boolean }> {
    const householdVillage = await this.households.villageOf(dto.householdId);
    if (householdVillage === null) throw DomainError.validation({ householdId: '所选农户不存在' });
    return this.transactions.run(async (manager) => {
      await this.ledger.lockBook(manager, householdVillage);
      const household = (await this.households.lockIn(manager, dto.householdId)) as Household;
      const [earlier] = await selectRows(manager, Redemption, {
        createdBy: actor.id,
        idempotencyKey: dto.idempotencyKey,
      });
      if (earlier) return { ...(await this.sameRequest(manager, earlier, fingerprint)), created: false };

      const now = this.clock.now();
      const today = todayInChina(now);
      const preview = await this.priceBasket(manager, actor, household, dto.items, today);
      const receiptSeq = await this.settings.nextReceipt(
        manager,
        household.villageId,
        today.replaceAll('-', ''),
      );
      // In the transaction's own connection: on PostgreSQL, every pooled connection may be held by a redemption.
      const villageName = await this.villages.nameOf(manager, household.villageId);
      const redemption = await insertRow(manager, Redemption, {
        villageId: household.villageId,
        householdId: household.id,
        receiptNo: receiptNumber(villageName, today, receiptSeq),
        totalPoints: preview.totalPoints,
        balanceAfter: household.available - preview.totalPoints,
        status: 'DONE',
        idempotencyKey: dto.idempotencyKey,
        fingerprint,
        occurredOn: today,
        createdBy: actor.id,
        createdAt: now.toISOString(),
      });
      const lines: RedemptionLine[] = [];
      for (const line of preview.lines) {
        await this.goods.move(manager, {
          goodsId: line.goods.id,
          villageId: line.goods.villageId,
          quantity: -line.quantity,
          kind: 'REDEMPTION',
          redemptionId: redemption.id,
          createdBy: actor.id,
        });
        lines.push(
          await insertRow(manager, RedemptionLine, {
            redemptionId: redemption.id,
            goodsId: line.goods.id,
            goodsName: line.goods.name,
            unit: line.goods.unit,
            quantity: line.quantity,
            pricePoints: line.goods.pricePoints,
            linePoints: line.points,
          }),
        );
      }
      const entry = await this.ledger.append(manager, {
        householdId: household.id,
        amount: -preview.totalPoints,
        kind: 'REDEMPTION',
        description: `兑换 ${redemption.receiptNo}：${lines.map((l) => `${l.goodsName}×${l.quantity}`).join('、')}`,
        occurredOn: today,
        refType: 'redemption',
        refId: redemption.id,
        createdBy: actor.id,
        mustStayCovered: true,
      });
      await raw(manager, 'UPDATE redemption SET "ledgerEntryId" = $1, "balanceAfter" = $2 WHERE id = $3', [
        entry.id,
        entry.availableAfter,
        redemption.id,
      ]);
      redemption.ledgerEntryId = entry.id;
      redemption.balanceAfter = entry.availableAfter;
      this.transactions.changed(manager, { villageIds: [redemption.villageId] });
      await this.audit.record(
        actor,
        {
          action: 'redemption.create',
          entityType: 'redemption',
          entityId: redemption.id,
          villageId: redemption.villageId,
          details: {
            receiptNo: redemption.receiptNo,
            householdId: household.id,
            totalPoints: redemption.totalPoints,
            items: mergeLines(dto.items),
          },
        },
        manager,
      );
      return { redemption, lines, created: true };
    });
  }

  /** The counter's confirm step: prices the basket and checks points, stock and limits, writing nothing. */
  async preview(actor: Actor, householdId: number, items: BasketLine[]): Promise<BasketPreview> {
    const household = await this.households.findIn(this.dataSource.manager, householdId);
    if (!household) throw DomainError.validation({ householdId: '所选农户不存在' });
    const preview = await this.priceBasket(
      this.dataSource.manager,
      actor,
      household,
      items,
      this.clock.today(),
    );
    const refused = basketRefusal({ ...preview, available: household.available });
    if (refused) throw refused;
    return preview;
  }

  /** The checks every basket passes, in the redemption's transaction or for a preview. */
  private async priceBasket(
    manager: EntityManager,
    actor: Actor,
    household: Household,
    items: BasketLine[],
    today: string,
  ): Promise<BasketPreview> {
    assertInScope(actor, await scopeOfVillage(manager, household.villageId));
    if (household.status === 'MOVED_OUT') throw new DomainError('INVALID_STATE', '该户已迁出，不能兑换');
    if (actor.kind === 'user' && actor.householdId === household.id)
      throw new DomainError('SAME_PERSON', '不能为自家办理兑换，请由其他工作人员办理');
    const merged = mergeLines(items);
    const found = await selectRows(manager, Goods, { id: merged.map((l) => l.goodsId) });
    const byId = new Map(found.map((g) => [g.id, g]));
    const lines: BasketPreview['lines'] = [];
    const month = periodBounds(today, 'month');
    for (const line of merged) {
      const goods = byId.get(line.goodsId);
      if (!goods || goods.villageId !== household.villageId)
        throw DomainError.validation({ items: '所选商品不是本村超市的商品' });
      if (!goods.active) throw new DomainError('INVALID_STATE', `${goods.name}已下架`);
      if (goods.monthlyLimit !== null) {
        const taken = await this.takenThisMonth(manager, household.id, goods.id, month);
        const refused = monthlyLimitRefusal(goods, taken, line.quantity, month.next);
        if (refused) throw refused;
      }
      lines.push({ goods, quantity: line.quantity, points: goods.pricePoints * line.quantity });
    }
    const totalPoints = lines.reduce((sum, l) => sum + l.points, 0);
    return { household, lines, totalPoints, balanceAfter: household.available - totalPoints };
  }

  private async takenThisMonth(
    manager: EntityManager,
    householdId: number,
    goodsId: number,
    month: { start: string; next: string },
  ): Promise<number> {
    const row = await manager
      .createQueryBuilder(RedemptionLine, 'l')
      .innerJoin(Redemption, 'r', 'r.id = l.redemptionId')
      .select('COALESCE(SUM(l.quantity), 0)', 'taken')
      .where('r.householdId = :householdId AND l.goodsId = :goodsId', { householdId, goodsId })
      .andWhere("r.status = 'DONE' AND r.occurredOn >= :start AND r.occurredOn < :next", month)
      .getRawOne<{ taken: string | number }>();
    return Number(row?.taken ?? 0);
  }

  private async sameRequest(
    manager: EntityManager,
    earlier: Redemption,
    fingerprint: string,
  ): Promise<RedemptionWithLines> {
    if (earlier.fingerprint !== fingerprint)
      throw new DomainError('IDEMPOTENCY_CONFLICT', '同一个幂等键已用于另一张兑换单，请刷新页面后重新提交');
    return { redemption: earlier, lines: await manager.findBy(RedemptionLine, { redemptionId: earlier.id }) };
  }

  /** 撤销: the points come back as a REDEMPTION_CANCEL entry and the goods go back on the shelf. Only once. */
  async cancel(actor: Actor, id: number, reason?: string): Promise<RedemptionWithLines> {
    if (actor.kind !== 'user') throw DomainError.forbidden();
    const found = await this.get(actor, id);
    return this.transactions.run(async (manager) => {
      await this.ledger.lockBook(manager, found.redemption.villageId);
      const redemption = (await lockRow(manager, Redemption, id)) as Redemption;
      if (redemption.status !== 'DONE')
        throw new DomainError('INVALID_STATE', `兑换单 ${redemption.receiptNo} 已经撤销过了`);
      const now = this.clock.now();
      const cancelledAt = now.toISOString();
      const flipped = await manager
        .createQueryBuilder()
        .update(Redemption)
        .set({ status: 'CANCELLED', cancelledBy: actor.id, cancelledAt, cancelReason: reason || null })
        .where("id = :id AND status = 'DONE'", { id })
        .execute();
      if (flipped.affected !== 1)
        throw new DomainError('INVALID_STATE', `兑换单 ${redemption.receiptNo} 已经撤销过了`);
      for (const line of found.lines) {
        await this.goods.move(manager, {
          goodsId: line.goodsId,
          villageId: redemption.villageId,
          quantity: line.quantity,
          kind: 'CANCEL',
          redemptionId: redemption.id,
          note: reason || null,
          createdBy: actor.id,
        });
      }
      await this.ledger.append(manager, {
        householdId: redemption.householdId,
        amount: redemption.totalPoints,
        kind: 'REDEMPTION_CANCEL',
        description: `撤销兑换 ${redemption.receiptNo}${reason ? `：${reason}` : ''}`,
        occurredOn: todayInChina(now),
        refType: 'redemption',
        refId: redemption.id,
        correctsEntryId: redemption.ledgerEntryId,
        createdBy: actor.id,
      });
      this.transactions.changed(manager, { villageIds: [redemption.villageId] });
      await this.audit.record(
        actor,
        {
          action: 'redemption.cancel',
          entityType: 'redemption',
          entityId: redemption.id,
          villageId: redemption.villageId,
          details: {
            receiptNo: redemption.receiptNo,
            totalPoints: redemption.totalPoints,
            reason: reason ?? null,
          },
        },
        manager,
      );
      return {
        redemption: await manager.findOneByOrFail(Redemption, { id }),
        lines: found.lines,
      };
    });
  }

  async get(actor: Actor, id: number): Promise<RedemptionWithLines> {
    const redemption = await this.dataSource.getRepository(Redemption).findOneBy({ id });
    if (!redemption) throw DomainError.notFound('兑换单');
    if (actor.kind === 'household') {
      if (actor.id !== redemption.householdId) throw DomainError.forbidden('只能查看自家的兑换单');
    } else {
      const village = await this.villages.getIn(this.dataSource.manager, redemption.villageId);
      assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
    }
    const lines = await this.dataSource
      .getRepository(RedemptionLine)
      .find({ where: { redemptionId: id }, order: { id: 'ASC' } });
    return { redemption, lines };
  }

  async list(filter: {
    villageId: number;
    householdId?: number;
    status?: RedemptionStatus;
    from?: string;
    to?: string;
    page: number;
    pageSize: number;
  }): Promise<Paged<RedemptionWithLines>> {
    const qb = this.dataSource
      .getRepository(Redemption)
      .createQueryBuilder('r')
      .where('r.villageId = :villageId', { villageId: filter.villageId })
      .orderBy('r.id', 'DESC')
      .skip((filter.page - 1) * filter.pageSize)
      .take(filter.pageSize);
    for (const [key, value] of Object.entries(
      definedOnly({ householdId: filter.householdId, status: filter.status }),
    ))
      qb.andWhere(`r.${key} = :${key}`, { [key]: value });
    if (filter.from) qb.andWhere('r.occurredOn >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('r.occurredOn <= :to', { to: filter.to });
    const [redemptions, total] = await qb.getManyAndCount();
    const lines = redemptions.length
      ? await this.dataSource
          .getRepository(RedemptionLine)
          .find({ where: { redemptionId: In(redemptions.map((r) => r.id)) }, order: { id: 'ASC' } })
      : [];
    return {
      items: redemptions.map((redemption) => ({
        redemption,
        lines: lines.filter((l) => l.redemptionId === redemption.id),
      })),
      total,
    };
  }

  /**
   * The receipt side of the invariant checker: every redemption has exactly one REDEMPTION entry of minus its total,
   * a cancelled one exactly one REDEMPTION_CANCEL giving it back, and lines that add up to the total.
   */
  async verifyReceipts(
    villageIds: number[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ redemptionId: number; problem: string }[]> {
    const problems: { redemptionId: number; problem: string }[] = [];
    if (villageIds.length === 0) return problems;
    const redemptions = await manager.getRepository(Redemption).findBy({ villageId: In(villageIds) });
    for (const r of redemptions) {
      const entries = await this.ledger.entriesFor(manager, 'redemption', r.id);
      const spent = entries.filter((e) => e.kind === 'REDEMPTION');
      const back = entries.filter((e) => e.kind === 'REDEMPTION_CANCEL');
      if (spent.length !== 1 || spent[0].amount !== -r.totalPoints)
        problems.push({
          redemptionId: r.id,
          problem: `${r.receiptNo} 应有一条 −${r.totalPoints} 的兑换记录`,
        });
      const wantBack = r.status === 'CANCELLED' ? 1 : 0;
      if (back.length !== wantBack || (wantBack === 1 && back[0].amount !== r.totalPoints))
        problems.push({ redemptionId: r.id, problem: `${r.receiptNo} 的撤销记录不符（状态 ${r.status}）` });
      const lines = await manager.getRepository(RedemptionLine).findBy({ redemptionId: r.id });
      const sum = lines.reduce((s, l) => s + l.linePoints, 0);
      if (lines.length === 0 || sum !== r.totalPoints)
        problems.push({
          redemptionId: r.id,
          problem: `${r.receiptNo} 明细合计 ${sum}，兑换单为 ${r.totalPoints}`,
        });
    }
    return problems;
  }
}

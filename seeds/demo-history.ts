import type { DataSource, EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { AuditService, SYSTEM } from '../src/audit/audit.service.js';
import { addDays, todayInChina } from '../src/common/dates.js';
import { Transactions } from '../src/database/transactions.js';
import { Household } from '../src/households/household.entity.js';
import { LedgerService } from '../src/ledger/ledger.service.js';
import { Objection } from '../src/publications/objection.entity.js';
import { Publication } from '../src/publications/publication.entity.js';
import { ScoringRuleVersion } from '../src/rules/scoring-rule-version.entity.js';
import { ScoringRule } from '../src/rules/scoring-rule.entity.js';
import { RecordStatus, ScoreRecord } from '../src/scoring/score-record.entity.js';
import { basketFingerprint, receiptNumber } from '../src/supermarket/basket.js';
import { Goods } from '../src/supermarket/goods.entity.js';
import { GoodsService } from '../src/supermarket/goods.service.js';
import { RedemptionLine } from '../src/supermarket/redemption-line.entity.js';
import { Redemption } from '../src/supermarket/redemption.entity.js';
import { User } from '../src/users/user.entity.js';
import { Village } from '../src/villages/village.entity.js';

export interface HistoryDeps {
  dataSource: DataSource;
  transactions: Transactions;
  ledger: LedgerService;
  goods: GoodsService;
  audit: AuditService;
}

/** Months of history before the current one. */
const MONTHS = 6;

/** A small deterministic generator, so every demo start has the same history. */
function generator(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return {
    next,
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    int: (n: number) => Math.floor(next() * n),
  };
}

/** 09:00 China time on a day, plus some minutes. */
const at = (day: string, minutes = 0) =>
  new Date(new Date(`${day}T09:00:00+08:00`).getTime() + minutes * 60_000);

const firstOfMonthsAgo = (today: string, k: number) => {
  const [y, m] = today.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 - k, 1));
  return d.toISOString().slice(0, 10);
};

/**
 * Six months of a village's life, so that every page has something true to show on first start: deeds recorded,
 * approved, published and posted each month (a few rejected, an objection dismissed, one upheld with corrected
 * points, a black-list violation), redemptions at the supermarket (one cancelled), stock bought and donated; and in
 * the current month records waiting for review, approved ones waiting for publication, and a publication open now.
 * Points move only through LedgerService.append and stock only through GoodsService.move, in time order, so the
 * books verify. Runs only while the demo county has no score record.
 */
export async function ensureDemoHistory(
  deps: HistoryDeps,
  villageCodes: string[],
  today = todayInChina(),
): Promise<void> {
  if ((await deps.dataSource.getRepository(ScoreRecord).count()) > 0) return;
  const villages = await deps.dataSource
    .getRepository(Village)
    .find({ where: { code: In(villageCodes) }, order: { id: 'ASC' } });
  for (const village of villages)
    await deps.transactions.run((manager) => villageHistory(deps, manager, village, today));
}

async function villageHistory(deps: HistoryDeps, manager: EntityManager, village: Village, today: string) {
  const rnd = generator(village.id * 7919 + village.code.charCodeAt(0));
  const households = await manager.find(Household, {
    where: { villageId: village.id, status: 'ACTIVE' },
    order: { id: 'ASC' },
  });
  const staff = await manager.find(User, {
    where: { villageId: village.id, active: true },
    order: { id: 'ASC' },
  });
  const admin = staff.find((u) => u.role === 'VILLAGE_ADMIN');
  const scorer =
    staff.find((u) => u.role === 'SCORER' && !u.householdId) ?? staff.find((u) => u.role === 'SCORER');
  const clerk = staff.find((u) => u.role === 'CLERK');
  const rules = await manager.find(ScoringRule, {
    where: { villageId: village.id, active: true },
    order: { id: 'ASC' },
  });
  const versions = new Map(
    (await manager.find(ScoringRuleVersion, { where: { ruleId: In(rules.map((r) => r.id)) } })).map((v) => [
      v.ruleId,
      v,
    ]),
  );
  const goods = await manager.find(Goods, {
    where: { villageId: village.id, active: true },
    order: { pricePoints: 'ASC' },
  });
  if (!admin || !scorer || !clerk || households.length === 0 || rules.length === 0) return;
  const rewards = rules.filter((r) => r.minPoints > 0 && !r.capCount && !r.evidenceRequired);
  const deductions = rules.filter((r) => r.maxPoints < 0 && !r.blackList);
  const black = rules.find((r) => r.blackList);
  // Nobody records or reviews for their own household.
  const eligible = households.filter((h) => h.id !== scorer.householdId && h.id !== admin.householdId);
  const available = new Map(households.map((h) => [h.id, h.available]));
  let keyCounter = 0;
  const receiptSeq = new Map<string, number>();
  let posted = 0;
  let spent = 0;

  const newRecord = async (
    day: string,
    status: RecordStatus,
    extra: Partial<ScoreRecord> = {},
    rule = rnd.next() < 0.85 || deductions.length === 0 ? rnd.pick(rewards) : rnd.pick(deductions),
  ) =>
    manager.save(
      manager.create(ScoreRecord, {
        villageId: village.id,
        householdId: rnd.pick(eligible).id,
        ruleId: rule.id,
        ruleVersionId: (versions.get(rule.id) as ScoringRuleVersion).id,
        points: rule.minPoints > 0 ? rule.minPoints : rule.maxPoints,
        occurredOn: day,
        status,
        recordedBy: scorer.id,
        reviewedBy: status === 'PENDING' ? null : admin.id,
        reviewedAt: status === 'PENDING' ? null : at(day, 240),
        createdAt: at(day, 30),
        ...extra,
      }),
    );

  const post = async (record: ScoreRecord, when: Date) => {
    const rule = rules.find((r) => r.id === record.ruleId) as ScoringRule;
    const entry = await deps.ledger.append(manager, {
      householdId: record.householdId,
      amount: record.points,
      kind: 'SCORE',
      description: `${rule.code} ${rule.title}`,
      occurredOn: record.occurredOn,
      refType: 'score_record',
      refId: record.id,
      createdBy: admin.id,
      at: when,
    });
    available.set(record.householdId, entry.availableAfter);
    posted += 1;
  };

  const redeem = async (day: string, minutes: number) => {
    const shelf = goods.filter((g) => g.stock > 2 && !g.monthlyLimit);
    const buyer = households.filter((h) => (available.get(h.id) ?? 0) >= 10 && h.id !== clerk.householdId);
    if (shelf.length === 0 || buyer.length === 0) return null;
    const household = rnd.pick(buyer);
    const item = rnd.pick(shelf.filter((g) => g.pricePoints <= (available.get(household.id) ?? 0) - 30));
    if (!item) return null;
    const quantity = 1;
    const total = item.pricePoints * quantity;
    const when = at(day, minutes);
    const seq = (receiptSeq.get(day) ?? 0) + 1;
    receiptSeq.set(day, seq);
    const redemption = await manager.save(
      manager.create(Redemption, {
        villageId: village.id,
        householdId: household.id,
        receiptNo: receiptNumber(village.name, day, seq),
        totalPoints: total,
        balanceAfter: (available.get(household.id) ?? 0) - total,
        status: 'DONE',
        idempotencyKey: `demo-history-${village.code}-${++keyCounter}`,
        fingerprint: basketFingerprint(household.id, [{ goodsId: item.id, quantity }]),
        occurredOn: day,
        createdBy: clerk.id,
        createdAt: when.toISOString(),
      }),
    );
    await manager.insert(RedemptionLine, {
      redemptionId: redemption.id,
      goodsId: item.id,
      goodsName: item.name,
      unit: item.unit,
      quantity,
      pricePoints: item.pricePoints,
      linePoints: total,
    });
    await deps.goods.move(manager, {
      goodsId: item.id,
      villageId: village.id,
      quantity: -quantity,
      kind: 'REDEMPTION',
      redemptionId: redemption.id,
      createdBy: clerk.id,
      at: when,
    });
    item.stock -= quantity;
    const entry = await deps.ledger.append(manager, {
      householdId: household.id,
      amount: -total,
      kind: 'REDEMPTION',
      description: `兑换 ${redemption.receiptNo}：${item.name}×${quantity}`,
      occurredOn: day,
      refType: 'redemption',
      refId: redemption.id,
      createdBy: clerk.id,
      mustStayCovered: true,
      at: when,
    });
    available.set(household.id, entry.availableAfter);
    await manager.update(
      Redemption,
      { id: redemption.id },
      { ledgerEntryId: entry.id, balanceAfter: entry.availableAfter },
    );
    spent += total;
    return { redemption, item, quantity, entryId: entry.id, when };
  };

  for (let k = MONTHS; k >= 1; k--) {
    const first = firstOfMonthsAgo(today, k);
    if (k === 4) {
      const soap = goods.find((g) => g.name === '香皂');
      if (soap) {
        await deps.goods.move(manager, {
          goodsId: soap.id,
          villageId: village.id,
          quantity: 20,
          kind: 'PURCHASE',
          note: '镇供销社采购',
          createdBy: clerk.id,
          at: at(addDays(first, 2)),
        });
        soap.stock += 20;
      }
      const towel = goods.find((g) => g.name === '毛巾');
      if (towel) {
        await deps.goods.move(manager, {
          goodsId: towel.id,
          villageId: village.id,
          quantity: 10,
          kind: 'DONATION',
          donor: '县妇联',
          createdBy: clerk.id,
          at: at(addDays(first, 2), 30),
        });
        towel.stock += 10;
      }
    }
    // Deeds of the month, approved; one rejected.
    const deeds: ScoreRecord[] = [];
    for (let i = 0; i < 10 + rnd.int(5); i++)
      deeds.push(await newRecord(addDays(first, rnd.int(20)), 'APPROVED'));
    if (k === 3 && black) deeds.push(await newRecord(addDays(first, 12), 'APPROVED', {}, black));
    await newRecord(addDays(first, 5), 'REJECTED', { rejectReason: '现场照片看不清，请补充后重新登记' });
    // Published on the 18th for 7 days, then closed and posted on the 25th: before today even when today is the 1st.
    const startsOn = addDays(first, 17);
    const endsOn = addDays(startsOn, 6);
    const closedAt = at(addDays(endsOn, 1), 10);
    const publication = await manager.save(
      manager.create(Publication, {
        villageId: village.id,
        startsOn,
        endsOn,
        days: 7,
        status: 'CLOSED',
        openedBy: admin.id,
        closedBy: admin.id,
        closedAt,
        createdAt: at(startsOn),
      }),
    );
    if (k === 3) {
      await manager.insert(Objection, {
        recordId: deeds[0].id,
        villageId: village.id,
        byUserId: scorer.id,
        reason: '那天是邻居打扫的',
        status: 'DISMISSED',
        resolvedBy: admin.id,
        resolvedAt: at(addDays(startsOn, 2)),
      });
    }
    if (k === 2) {
      const corrected = Math.max(1, Math.floor(deeds[1].points / 2));
      await manager.insert(Objection, {
        recordId: deeds[1].id,
        villageId: village.id,
        byUserId: scorer.id,
        reason: '只参加了半天',
        status: 'UPHELD',
        correctedPoints: corrected,
        resolvedBy: admin.id,
        resolvedAt: at(addDays(startsOn, 3)),
      });
      deeds[1].points = deeds[1].points > 0 ? corrected : deeds[1].points;
    }
    for (const record of deeds) {
      record.status = 'POSTED';
      record.publicationId = publication.id;
      record.postedAt = closedAt;
      await manager.save(record);
      await post(record, closedAt);
    }
    // The supermarket in the days after posting, never today or later (today's receipts are the clerk's own); one
    // redemption is cancelled the same day.
    for (let i = 0; i < 4; i++) {
      const day = [addDays(endsOn, 2 + i), addDays(today, -1)].sort()[0];
      const sold = await redeem(day, 60 + i * 7);
      if (sold && k === 2 && i === 0) {
        const when = new Date(sold.when.getTime() + 30 * 60_000);
        await manager.update(
          Redemption,
          { id: sold.redemption.id },
          {
            status: 'CANCELLED',
            cancelledBy: clerk.id,
            cancelledAt: when.toISOString(),
            cancelReason: '农户想换别的商品',
          },
        );
        await deps.goods.move(manager, {
          goodsId: sold.item.id,
          villageId: village.id,
          quantity: sold.quantity,
          kind: 'CANCEL',
          redemptionId: sold.redemption.id,
          note: '农户想换别的商品',
          createdBy: clerk.id,
          at: when,
        });
        sold.item.stock += sold.quantity;
        const entry = await deps.ledger.append(manager, {
          householdId: sold.redemption.householdId,
          amount: sold.redemption.totalPoints,
          kind: 'REDEMPTION_CANCEL',
          description: `撤销兑换 ${sold.redemption.receiptNo}：农户想换别的商品`,
          occurredOn: sold.redemption.occurredOn,
          refType: 'redemption',
          refId: sold.redemption.id,
          correctsEntryId: sold.entryId,
          createdBy: clerk.id,
          at: when,
        });
        available.set(sold.redemption.householdId, entry.availableAfter);
        spent -= sold.redemption.totalPoints;
      }
    }
  }

  // The current month: waiting for review, waiting for publication, and a publication open now.
  const first = firstOfMonthsAgo(today, 0);
  const dayOfMonth = (n: number) => (addDays(first, n) < today ? addDays(first, n) : addDays(today, -1));
  for (let i = 0; i < 4; i++) await newRecord(dayOfMonth(3 + i), 'PENDING');
  for (let i = 0; i < 3; i++) await newRecord(dayOfMonth(i), 'APPROVED');
  const open = await manager.save(
    manager.create(Publication, {
      villageId: village.id,
      startsOn: addDays(today, -2),
      endsOn: addDays(today, 4),
      days: 7,
      status: 'OPEN',
      openedBy: admin.id,
    }),
  );
  for (let i = 0; i < 3; i++) await newRecord(dayOfMonth(8 + i), 'PUBLICIZING', { publicationId: open.id });

  await deps.audit.record(
    SYSTEM,
    {
      action: 'seed.history',
      entityType: 'village',
      entityId: village.id,
      villageId: village.id,
      details: { months: MONTHS, postedRecords: posted, redeemedPoints: spent },
    },
    manager,
  );
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { lockRow } from '../database/locks.js';
import { villageScope } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import { HouseholdsService } from '../households/households.service.js';
import { PublicationsService } from '../publications/publications.service.js';
import { RulesService } from '../rules/rules.service.js';
import { recordsWithPublication } from '../scoring/publicized-records.js';
import {
  movementsWithGoods,
  receiptNumbers,
  villageOfSupermarketThing,
} from '../supermarket/supervised-things.js';
import { VillagesService } from '../villages/villages.service.js';
import { SupervisionOpinion, type OpinionTarget } from './supervision-opinion.entity.js';

export function opinionView(o: SupervisionOpinion) {
  return {
    id: o.id,
    villageId: o.villageId,
    targetType: o.targetType,
    targetId: o.targetId,
    text: o.text,
    status: o.status,
    answer: o.answer,
    answeredAt: o.answeredAt,
    createdAt: o.createdAt,
  };
}

/**
 * 监督意见 of the village's supervision committee (村务监督委员会) and the committee's answers. An opinion on a record
 * in 公示 holds it from posting, as an objection does (PublicationsService.hold / release); one on a redemption or a
 * stock movement is only recorded and answered.
 */
@Injectable()
export class SupervisionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly publications: PublicationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly villages: VillagesService,
    private readonly households: HouseholdsService,
    private readonly rules: RulesService,
  ) {}

  /** On a record during its window: the record is held (OBJECTED) until the committee answers. */
  async raiseOnRecord(actor: Actor, recordId: number, text: string): Promise<SupervisionOpinion> {
    return this.transactions.run(async (manager) => {
      const record = await this.publications.recordOnBoard(
        manager,
        recordId,
        '只能在公示期内对公示中的记录提出监督意见',
      );
      const village = await this.villages.getIn(manager, record.villageId);
      assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
      await this.refuseSecond(manager, 'SCORE_RECORD', recordId);
      const opinion = await manager.save(
        manager.create(SupervisionOpinion, {
          villageId: village.id,
          targetType: 'SCORE_RECORD',
          targetId: recordId,
          text,
          byUserId: actor.id,
          status: 'OPEN',
          createdAt: this.clock.now(),
        }),
      );
      await this.publications.hold(manager, record);
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action: 'supervision.raise',
          entityType: 'supervision_opinion',
          entityId: opinion.id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: { targetType: 'SCORE_RECORD', recordId, text },
        },
        manager,
      );
      return opinion;
    });
  }

  /** On a redemption or a stock movement of the village: recorded and answered, nothing held. */
  async raiseOnSupermarket(
    actor: Actor,
    targetType: Exclude<OpinionTarget, 'SCORE_RECORD'>,
    targetId: number,
    text: string,
  ): Promise<SupervisionOpinion> {
    return this.transactions.run(async (manager) => {
      const targetVillage = await villageOfSupermarketThing(manager, targetType, targetId);
      if (targetVillage === null)
        throw DomainError.notFound(targetType === 'REDEMPTION' ? '兑换单' : '库存变动');
      const village = await this.villages.getIn(manager, targetVillage);
      assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
      await this.refuseSecond(manager, targetType, targetId);
      const opinion = await manager.save(
        manager.create(SupervisionOpinion, {
          villageId: village.id,
          targetType,
          targetId,
          text,
          byUserId: actor.id,
          status: 'OPEN',
          createdAt: this.clock.now(),
        }),
      );
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action: 'supervision.raise',
          entityType: 'supervision_opinion',
          entityId: opinion.id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: { targetType, targetId, text },
        },
        manager,
      );
      return opinion;
    });
  }

  /** The committee answers; a record the opinion held goes back to the board, or is posted if its window closed. */
  async answer(actor: Actor, opinionId: number, text: string): Promise<SupervisionOpinion> {
    return this.transactions.run(async (manager) => {
      const found = await manager.findOneBy(SupervisionOpinion, { id: opinionId });
      if (!found) throw DomainError.notFound('监督意见');
      const village = await this.villages.getIn(manager, found.villageId);
      assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
      const onRecord = found.targetType === 'SCORE_RECORD';
      // The record (after the village's book) before the opinion: the order every move of a record takes.
      const record = onRecord ? await this.publications.recordForMove(manager, found.targetId) : null;
      const opinion = (await lockRow(manager, SupervisionOpinion, opinionId)) as SupervisionOpinion;
      if (opinion.status !== 'OPEN') throw new DomainError('INVALID_STATE', '这条监督意见已经答复过了');
      if (record && actor.kind === 'user' && actor.householdId === record.householdId)
        throw new DomainError('SAME_PERSON', '不能答复自家记录的监督意见');
      opinion.status = 'ANSWERED';
      opinion.answer = text;
      opinion.answeredBy = actor.id;
      opinion.answeredAt = this.clock.now();
      await manager.save(opinion);
      const recordStatus = record ? await this.publications.release(manager, record.id, actor) : undefined;
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action: 'supervision.answer',
          entityType: 'supervision_opinion',
          entityId: opinion.id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: {
            targetType: opinion.targetType,
            targetId: opinion.targetId,
            answer: text,
            ...(recordStatus && { recordStatus }),
          },
        },
        manager,
      );
      return opinion;
    });
  }

  /** The opinions on these records (the publication page and the board), oldest first. */
  onRecords(recordIds: number[]): Promise<SupervisionOpinion[]> {
    return this.onTargets('SCORE_RECORD', recordIds);
  }

  /** The opinions on these things of one kind (a redemption's page, a goods' stock movements), oldest first. */
  async onTargets(targetType: OpinionTarget, targetIds: number[]): Promise<SupervisionOpinion[]> {
    if (targetIds.length === 0) return [];
    return this.dataSource.getRepository(SupervisionOpinion).find({
      where: { targetType, targetId: In([...new Set(targetIds)]) },
      order: { id: 'ASC' },
    });
  }

  /** One opinion (404 when there is none): a page answering it goes back to the page of what it is about. */
  async get(id: number): Promise<SupervisionOpinion> {
    const opinion = await this.dataSource.getRepository(SupervisionOpinion).findOneBy({ id });
    if (!opinion) throw DomainError.notFound('监督意见');
    return opinion;
  }

  /** A village's opinions, newest first (at most 200). */
  ofVillage(villageId: number, status?: SupervisionOpinion['status']): Promise<SupervisionOpinion[]> {
    return this.dataSource.getRepository(SupervisionOpinion).find({
      where: { villageId, ...(status && { status }) },
      order: { id: 'DESC' },
      take: 200,
    });
  }

  /**
   * The board's 超市 opinions: the latest on redemptions and stock movements (answered or not), with what each is about.
   * Opinions on records show beside the records in 公示.
   */
  async onSupermarket(villageId: number, limit = 10) {
    const rows = await this.dataSource.getRepository(SupervisionOpinion).find({
      where: { villageId, targetType: In(['REDEMPTION', 'STOCK_MOVEMENT']) },
      order: { id: 'DESC' },
      take: limit,
    });
    const about = await this.described(rows);
    return rows.map((o) => ({
      id: o.id,
      what: about.get(o.id)?.what ?? '',
      text: o.text,
      answer: o.answer,
      raisedOn: o.createdAt,
    }));
  }

  /** The opinions of a village still waiting for the committee's answer, oldest first. */
  waiting(villageId: number): Promise<SupervisionOpinion[]> {
    return this.dataSource
      .getRepository(SupervisionOpinion)
      .find({ where: { villageId, status: 'OPEN' }, order: { id: 'ASC' }, take: 100 });
  }

  /**
   * What each opinion is about, in words, and where it is seen: a record's household and rule (its publication's
   * page), a redemption's receipt, a stock movement's goods.
   */
  async described(opinions: SupervisionOpinion[]): Promise<Map<number, { what: string; href: string }>> {
    const ids = (type: OpinionTarget) => opinions.filter((o) => o.targetType === type).map((o) => o.targetId);
    const manager = this.dataSource.manager;
    const [records, redemptions, movements] = await Promise.all([
      recordsWithPublication(manager, ids('SCORE_RECORD')),
      receiptNumbers(manager, ids('REDEMPTION')),
      movementsWithGoods(manager, ids('STOCK_MOVEMENT')),
    ]);
    // A record's household and rule version are their owners' to name.
    const [households, titles] = await Promise.all([
      this.households.codesAndNames(records.map((r) => r.householdId)),
      this.rules.versionTitles(records.map((r) => r.ruleVersionId)),
    ]);
    const about = new Map<string, { what: string; href: string }>();
    for (const r of records) {
      const household = households.get(r.householdId);
      const title = titles.get(r.ruleVersionId);
      if (!household || title === undefined) continue;
      about.set(`SCORE_RECORD:${r.id}`, {
        what: `${household.code} ${household.headName}家 · ${title} ${Number(r.points) > 0 ? '+' : ''}${r.points}`,
        href: r.publicationId ? `/publications/${r.publicationId}` : '/publications',
      });
    }
    for (const r of redemptions)
      about.set(`REDEMPTION:${r.id}`, {
        what: `兑换单 ${r.receiptNo}`,
        href: `/supermarket/redemptions/${r.id}`,
      });
    for (const m of movements)
      about.set(`STOCK_MOVEMENT:${m.id}`, {
        what: `${m.name} ${m.occurredOn} 库存变动 ${m.quantity}`,
        href: `/supermarket/goods/${m.goodsId}`,
      });
    return new Map(
      opinions.map((o) => [
        o.id,
        about.get(`${o.targetType}:${o.targetId}`) ?? { what: '', href: '/publications' },
      ]),
    );
  }

  /** `described` of one opinion (404 when there is none). */
  async describedById(id: number): Promise<Map<number, { what: string; href: string }>> {
    return this.described([await this.get(id)]);
  }

  /** One open opinion per thing: a second waits until the first is answered (409 DUPLICATE). */
  private async refuseSecond(
    manager: EntityManager,
    targetType: OpinionTarget,
    targetId: number,
  ): Promise<void> {
    const open = await manager.countBy(SupervisionOpinion, { targetType, targetId, status: 'OPEN' });
    if (open > 0) throw DomainError.duplicate('opinion', '对这一项已有监督意见在等待答复，答复后才能再提');
  }
}

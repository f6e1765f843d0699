import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, LessThan } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { NoticesService, type NewNotice } from '../notices/notices.service.js';
import { noticeText } from '../notices/notice-texts.js';
import { AuditService, SYSTEM } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { addDays, todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { Settings } from '../config/settings.js';
import { lockRow } from '../database/locks.js';
import { raw } from '../database/raw.js';
import { ReadCache, villageScope } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import { HouseholdsService } from '../households/households.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { outsideRange, withinRange } from '../rules/rule-points.js';
import { RulesService } from '../rules/rules.service.js';
import { OPENING_RULE_CODE } from '../scoring/openings.js';
import { CouncilService } from '../scoring/council.service.js';
import {
  approvedRecordIds,
  boardRecords,
  lockRecordRow,
  publicationOfRecord,
  publicizingIn,
  putOnBoard,
  recordCountsIn,
  recordIdsIn,
  recordsByIds,
  villageOfRecord,
} from '../scoring/publicized-records.js';
import { moveRecord } from '../scoring/record-status.js';
import type { RecordStatus, ScoreRecord } from '../scoring/score-record.entity.js';
import { openOpinionsOnRecord } from '../supervision/record-holds.js';
import { VillagesService } from '../villages/villages.service.js';
import { Objection } from './objection.entity.js';
import { Publication } from './publication.entity.js';
import { PUBLICATION_DEFAULT_DAYS, windowDaysError } from './publication-window.js';

export interface BoardRow {
  recordId: number;
  publicationId: number;
  points: number;
  status: string;
  occurredOn: string;
  householdCode: string;
  headName: string;
  ruleCode: string;
  ruleTitle: string;
  /** 道德评议会: the vote counts (never the voters) of a record the council decided, as 公示 shows them. */
  councilVotes: string | null;
}

export function publicationView(p: Publication, recordIds: number[]) {
  return {
    id: p.id,
    villageId: p.villageId,
    startsOn: p.startsOn,
    endsOn: p.endsOn,
    days: p.days,
    status: p.status,
    recordIds,
  };
}

/** The window has ended once its last day is over (China time). */
export function windowEnded(p: Pick<Publication, 'endsOn'>, today = todayInChina()): boolean {
  return p.endsOn < today;
}

/** 公示 → 入账: publishing approved records, objections during the window, and posting to the passbooks. */
@Injectable()
export class PublicationsService {
  private readonly logger = new Logger('Publications');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: Settings,
    private readonly transactions: Transactions,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly cache: ReadCache,
    private readonly clock: Clock,
    private readonly notices: NoticesService,
    private readonly council: CouncilService,
    private readonly villages: VillagesService,
    private readonly households: HouseholdsService,
    private readonly rules: RulesService,
  ) {}

  /** Collects every approved record of the village not yet published into a new publication. */
  async open(actor: Actor, villageId: number, days = PUBLICATION_DEFAULT_DAYS) {
    const refused = windowDaysError(days, this.settings.publicationMinDays);
    if (refused) throw DomainError.validation({ days: refused });
    return this.transactions.run(async (manager) => {
      const village = await this.villages.findIn(manager, villageId);
      if (!village) throw DomainError.notFound('村');
      assertInScope(actor, { townshipId: village.townshipId, villageId });
      await this.ledger.lockBook(manager, villageId);
      const approved = await approvedRecordIds(manager, villageId);
      if (approved.length === 0) throw new DomainError('INVALID_STATE', '没有已审核待公示的记录');
      const now = this.clock.now();
      const startsOn = todayInChina(now);
      const publication = await manager.save(
        manager.create(Publication, {
          villageId,
          startsOn,
          endsOn: addDays(startsOn, days - 1),
          days,
          openedBy: actor.id,
          createdAt: now,
        }),
      );
      // Only the records this update moved are in the publication: one rejected meanwhile stays out of it.
      const moved = await putOnBoard(manager, villageId, publication.id, approved[approved.length - 1]);
      const ids = moved.map((r) => r.id);
      if (ids.length === 0) throw new DomainError('INVALID_STATE', '没有已审核待公示的记录');
      await this.noticeEach(manager, moved, (r) => ({
        kind: 'RECORD_PUBLICIZING',
        text: noticeText.publicizing(r.title, r.points, publication.endsOn),
        eventKey: `record:${r.id}:publicizing`,
      }));
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action: 'publication.open',
          entityType: 'publication',
          entityId: publication.id,
          townshipId: village.townshipId,
          villageId,
          details: { days, recordIds: ids },
        },
        manager,
      );
      return publicationView(publication, ids);
    });
  }

  async get(id: number): Promise<{ publication: Publication; recordIds: number[] }> {
    const publication = await this.dataSource.getRepository(Publication).findOneBy({ id });
    if (!publication) throw DomainError.notFound('公示');
    return { publication, recordIds: await recordIdsIn(this.dataSource.manager, id) };
  }

  /** A village's publications, newest first, with how many records each holds. */
  async forVillage(villageId: number) {
    const publications = await this.dataSource
      .getRepository(Publication)
      .find({ where: { villageId }, order: { id: 'DESC' }, take: 100 });
    const count = await recordCountsIn(
      this.dataSource.manager,
      publications.map((p) => p.id),
    );
    const today = this.clock.today();
    return publications.map((p) => ({ ...p, records: count.get(p.id) ?? 0, ended: windowEnded(p, today) }));
  }

  /** What the board shows of each record: household, rule (as it was when recorded), points, status. */
  async boardRows(publicationIds: number[]) {
    if (publicationIds.length === 0) return [];
    // The records are scoring's, the households' codes and names the households', the rules' codes and titles (as
    // they were when recorded) the rules': each asked of its owner in one statement, then put together here.
    const records = await boardRecords(this.dataSource.manager, publicationIds);
    const [households, codes, titles] = await Promise.all([
      this.households.codesAndNames(records.map((r) => r.householdId)),
      this.rules.codes(records.map((r) => r.ruleId)),
      this.rules.versionTitles(records.map((r) => r.ruleVersionId)),
    ]);
    const rows: Omit<BoardRow, 'councilVotes'>[] = records
      .filter((r) => households.has(r.householdId) && codes.has(r.ruleId) && titles.has(r.ruleVersionId))
      .map((r) => {
        const household = households.get(r.householdId) as { code: string; headName: string };
        return {
          recordId: r.id,
          publicationId: r.publicationId,
          points: r.points,
          status: r.status,
          occurredOn: r.occurredOn,
          householdCode: household.code,
          headName: household.headName,
          ruleCode: codes.get(r.ruleId) as string,
          ruleTitle: titles.get(r.ruleVersionId) as string,
        };
      })
      // By household code, then record: the order the board always had (codes are ASCII, so < is the database's).
      .sort((a, b) =>
        a.householdCode < b.householdCode
          ? -1
          : a.householdCode > b.householdCode
            ? 1
            : a.recordId - b.recordId,
      );
    // The council's votes: counts, and the voters' names where the village chose to show them.
    const votes = await this.council.boardLabels(rows.map((row) => row.recordId));
    return rows.map((row) => ({ ...row, councilVotes: votes.get(row.recordId) ?? null }));
  }

  /** The open publications of a village: what the public board and the villager page show. */
  async openInVillage(villageId: number) {
    // Every villager's page shows them: kept until a write in the village; whether a window has ended is the clock's.
    const open = await this.cache.get(
      `open-publications:${villageId}`,
      { villageIds: [villageId] },
      async () => {
        const publications = await this.dataSource
          .getRepository(Publication)
          .find({ where: { villageId, status: 'OPEN' }, order: { id: 'ASC' } });
        const rows = await this.boardRows(publications.map((p) => p.id));
        return publications.map((p) => ({ ...p, rows: rows.filter((r) => r.publicationId === p.id) }));
      },
    );
    const today = this.clock.today();
    return open.map((p) => ({ ...p, ended: windowEnded(p, today) }));
  }

  /** The publication an objection was raised in (through its record). */
  async publicationOfObjection(objectionId: number): Promise<number> {
    const objection = await this.dataSource.getRepository(Objection).findOneBy({ id: objectionId });
    if (!objection) throw DomainError.notFound('异议');
    const publicationId = await publicationOfRecord(this.dataSource.manager, objection.recordId);
    if (publicationId === null) throw DomainError.notFound('公示');
    return publicationId;
  }

  /** The objections a household filed, newest first, with the record they were about and the decision. */
  async objectionsByHousehold(householdId: number, limit = 100) {
    const objections = await raw<{
      id: number;
      recordId: number;
      reason: string;
      status: Objection['status'];
      decisionReason: string | null;
      correctedPoints: number | null;
      createdAt: string | Date;
      resolvedAt: string | Date | null;
    }>(
      this.dataSource,
      `SELECT o.id, o."recordId", o.reason, o.status, o."decisionReason", o."correctedPoints", o."createdAt",
          o."resolvedAt"
        FROM objection o WHERE o."byHouseholdId" = $1 ORDER BY o.id DESC LIMIT $2`,
      [householdId, limit],
    );
    // The record (scoring's), its rule version's title (the rules') and its household's head (the households').
    const records = await recordsByIds(
      this.dataSource.manager,
      objections.map((o) => Number(o.recordId)),
    );
    const [titles, households] = await Promise.all([
      this.rules.versionTitles([...records.values()].map((r) => r.ruleVersionId)),
      this.households.codesAndNames([...records.values()].map((r) => r.householdId)),
    ]);
    return objections.flatMap((o) => {
      const r = records.get(Number(o.recordId));
      const title = r && titles.get(r.ruleVersionId);
      const household = r && households.get(r.householdId);
      if (!r || title === undefined || !household) return [];
      return [
        {
          id: Number(o.id),
          recordId: Number(o.recordId),
          reason: o.reason,
          status: o.status,
          decision:
            o.status === 'DISMISSED'
              ? ('DISMISS' as const)
              : o.status === 'UPHELD'
                ? ('UPHOLD' as const)
                : null,
          decisionReason: o.decisionReason,
          correctedPoints: o.correctedPoints === null ? null : Number(o.correctedPoints),
          ruleTitle: title,
          points: Number(r.points),
          headName: household.headName,
        },
      ];
    });
  }

  /** The last day of each publication's window, by id. */
  async endsOnOf(ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource
      .getRepository(Publication)
      .find({ where: { id: In([...new Set(ids)]) }, select: { id: true, endsOn: true } });
    return new Map(rows.map((p) => [p.id, p.endsOn]));
  }

  async objectionsOf(publicationId: number): Promise<Objection[]> {
    // The publication's records are scoring's to list; their objections are ours (at most 500 ids per statement).
    const recordIds = await recordIdsIn(this.dataSource.manager, publicationId);
    const objections: Objection[] = [];
    for (let start = 0; start < recordIds.length; start += 500)
      objections.push(
        ...(await this.dataSource
          .getRepository(Objection)
          .findBy({ recordId: In(recordIds.slice(start, start + 500)) })),
      );
    return objections.sort((a, b) => a.id - b.id);
  }

  /**
   * Closes a publication whose window has ended: every record without an open objection is posted, in one
   * transaction. The status flips with a guarded update, so two servers closing at once post each record once.
   */
  async close(
    actor: Actor | null,
    id: number,
  ): Promise<{ id: number; status: 'CLOSED'; postedRecordIds: number[] }> {
    return this.transactions.run(async (manager) => {
      const found = await manager.findOneBy(Publication, { id });
      if (!found) throw DomainError.notFound('公示');
      const village = await this.villages.getIn(manager, found.villageId);
      if (actor) assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
      // Every move of a record of the village takes its book first: what is read after this is settled.
      await this.ledger.lockBook(manager, village.id);
      const publication = await manager.findOneByOrFail(Publication, { id });
      if (publication.status === 'CLOSED') throw new DomainError('INVALID_STATE', '这次公示已经结束');
      const now = this.clock.now();
      if (!windowEnded(publication, todayInChina(now))) {
        throw new DomainError('PUBLICATION_OPEN', `公示期到 ${publication.endsOn} 结束，结束后才能入账`, {
          endsOn: publication.endsOn,
        });
      }
      const flipped = await manager
        .createQueryBuilder()
        .update(Publication)
        .set({ status: 'CLOSED', closedBy: actor?.id ?? null, closedAt: now })
        .where('id = :id AND status = :open', { id, open: 'OPEN' })
        .execute();
      if (flipped.affected !== 1) throw new DomainError('INVALID_STATE', '这次公示已经结束');
      const records = await publicizingIn(manager, id);
      // The households' notices in one write for the whole publication (one per record cost 180 ms per 500).
      const told: NewNotice[] = [];
      for (const record of records) told.push(await this.post(manager, record, actor));
      await this.notices.add(manager, told);
      const postedRecordIds = records.map((r) => r.id);
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor ?? SYSTEM,
        {
          action: 'publication.close',
          entityType: 'publication',
          entityId: id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: { postedRecordIds },
        },
        manager,
      );
      return { id, status: 'CLOSED' as const, postedRecordIds };
    });
  }

  /** Closes every publication whose window has ended; run every 30 s by the scheduler, safe on several servers. */
  async closeEnded(): Promise<number[]> {
    const due = await this.dataSource
      .getRepository(Publication)
      .find({ where: { status: 'OPEN', endsOn: LessThan(this.clock.today()) }, select: { id: true } });
    const closed: number[] = [];
    for (const { id } of due) {
      try {
        await this.close(null, id);
        closed.push(id);
      } catch (error) {
        if (!(error instanceof DomainError)) this.logger.error(`公示 ${id} 自动结束失败：${String(error)}`);
      }
    }
    return closed;
  }

  /**
   * 异议: during the window, by a villager of the village or staff in scope. `onBehalf`: the committee records an
   * objection a villager made in person; it is the household's own (it hears the decision as if it had filed it),
   * and the audit row says who told whom.
   */
  async object(
    actor: Actor,
    recordId: number,
    reason: string,
    onBehalf?: { householdId: number; toldBy: string },
  ): Promise<Objection> {
    return this.transactions.run(async (manager) => {
      const record = await this.lockRecord(manager, recordId);
      if (!record) throw DomainError.notFound('积分记录');
      const village = await this.villages.getIn(manager, record.villageId);
      assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
      const publication = record.publicationId
        ? await manager.findOneBy(Publication, { id: record.publicationId })
        : null;
      const open =
        publication && publication.status === 'OPEN' && !windowEnded(publication, this.clock.today());
      if (!open || !['PUBLICIZING', 'OBJECTED'].includes(record.status)) {
        throw new DomainError('INVALID_STATE', '只能在公示期内对公示中的记录提出异议');
      }
      const objector = onBehalf
        ? await this.households.inVillage(manager, onBehalf.householdId, record.villageId)
        : null;
      if (onBehalf && (!objector || objector.status !== 'ACTIVE'))
        throw DomainError.validation({ householdId: '请选择本村提出异议的农户' });
      const byHouseholdId = objector?.id ?? (actor.kind === 'household' ? actor.id : null);
      const byUserId = !objector && actor.kind === 'user' ? actor.id : null;
      // One open objection per person and record: a second one while the first waits adds nothing but noise.
      const mine = await manager.countBy(Objection, {
        recordId,
        status: 'OPEN',
        ...(byHouseholdId !== null ? { byHouseholdId } : { byUserId: actor.id }),
      });
      if (mine > 0)
        throw DomainError.duplicate(
          'objection',
          objector
            ? `${objector.code} ${objector.headName}家对这条记录提出的异议还在处理中，处理后才能再提`
            : '您对这条记录提出的异议还在处理中，处理后才能再提',
        );
      const objection = await manager.save(
        manager.create(Objection, {
          recordId,
          villageId: record.villageId,
          byUserId,
          byHouseholdId,
          reason,
          createdAt: this.clock.now(),
        }),
      );
      await this.move(manager, record, 'OBJECTED');
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action: 'objection.file',
          entityType: 'objection',
          entityId: objection.id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: {
            recordId,
            reason,
            // Who told whom: the villager who came in person, the household it speaks for; the actor wrote it down.
            ...(objector && {
              onBehalfOf: { householdId: objector.id, household: `${objector.code} ${objector.headName}家` },
              toldBy: onBehalf?.toldBy,
            }),
          },
        },
        manager,
      );
      return objection;
    });
  }

  /**
   * The committee settles an objection. DISMISS: the record goes back to the board. UPHOLD with points: the record
   * is corrected. UPHOLD without: it is revoked. A record whose publication has already closed is posted as soon
   * as its last objection is settled.
   */
  async resolve(
    actor: Actor,
    objectionId: number,
    decision: 'DISMISS' | 'UPHOLD',
    points?: number,
    reason?: string,
  ): Promise<Objection> {
    if (decision === 'DISMISS' && !reason?.trim())
      throw DomainError.validation({ reason: '驳回异议时请写明理由，提出异议的人会看到' });
    return this.transactions.run(async (manager) => {
      const found = await manager.findOneBy(Objection, { id: objectionId });
      if (!found) throw DomainError.notFound('异议');
      const village = await this.villages.getIn(manager, found.villageId);
      assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
      const record = (await this.lockRecord(manager, found.recordId)) as ScoreRecord;
      const objection = (await lockRow(manager, Objection, objectionId)) as Objection;
      if (objection.status !== 'OPEN') throw new DomainError('INVALID_STATE', '这条异议已经处理过了');
      if (record.status !== 'OBJECTED') throw new DomainError('INVALID_STATE', '这条记录已不在异议处理中');
      if (actor.kind === 'user' && actor.householdId === record.householdId)
        throw new DomainError('SAME_PERSON', '不能处理自家记录的异议');
      if (decision === 'DISMISS' && points !== undefined)
        throw DomainError.validation({ points: '驳回异议时不改分值' });
      if (decision === 'UPHOLD' && points !== undefined) {
        const version = await this.rules.versionIn(manager, record.ruleVersionId);
        if (!withinRange(points, version.minPoints, version.maxPoints)) {
          throw DomainError.validation({
            points: outsideRange(version.minPoints, version.maxPoints),
          });
        }
      }
      objection.status = decision === 'DISMISS' ? 'DISMISSED' : 'UPHELD';
      objection.correctedPoints = decision === 'UPHOLD' ? (points ?? null) : null;
      objection.decisionReason = reason?.trim() || null;
      objection.resolvedBy = actor.id;
      const now = this.clock.now();
      objection.resolvedAt = now;
      await manager.save(objection);
      const before = record.points;
      let next: RecordStatus = 'OBJECTED';
      // Who hears of the decision: whoever filed this objection and, when the record goes, every other open one.
      const objectors = [objection];
      if (decision === 'UPHOLD' && points === undefined) {
        next = 'REVOKED';
        objectors.push(...(await manager.findBy(Objection, { recordId: record.id, status: 'OPEN' })));
        // The record is gone from the board: other objections to it are settled with it.
        await manager.update(
          Objection,
          { recordId: record.id, status: 'OPEN' },
          { status: 'UPHELD', resolvedBy: actor.id, resolvedAt: now },
        );
      } else if ((await this.holdsOn(manager, record.id)) === 0) next = 'PUBLICIZING';
      await this.move(manager, record, next, points !== undefined ? { points } : {});
      const publication = await manager.findOneByOrFail(Publication, { id: record.publicationId as number });
      if (next === 'PUBLICIZING' && publication.status === 'CLOSED')
        await this.notices.add(manager, [await this.post(manager, record, actor)]);
      await this.noticeDecision(
        manager,
        record,
        before,
        decision === 'UPHOLD',
        objectors,
        objection.decisionReason,
      );
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action:
            decision === 'DISMISS'
              ? 'objection.dismiss'
              : next === 'REVOKED'
                ? 'objection.uphold_revoke'
                : 'objection.uphold_correct',
          entityType: 'objection',
          entityId: objection.id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: {
            recordId: record.id,
            from: before,
            to: record.points,
            recordStatus: record.status,
            ...(objection.decisionReason ? { reason: objection.decisionReason } : {}),
          },
        },
        manager,
      );
      return objection;
    });
  }

  /**
   * What holds a record from posting: its open objections and the supervision committee's open opinions on it. A
   * record is OBJECTED while any holds it; it goes back to the board (or is posted, its window closed) with the last.
   */
  async holdsOn(manager: EntityManager, recordId: number): Promise<number> {
    const [objections, opinions] = await Promise.all([
      manager.countBy(Objection, { recordId, status: 'OPEN' }),
      openOpinionsOnRecord(manager, recordId),
    ]);
    return objections + opinions;
  }

  /**
   * A record in 公示 that may take a hold (an objection, a 监督意见): locked after the village's book, in the caller's
   * transaction, with its publication; refused unless the window is still running.
   */
  async recordOnBoard(manager: EntityManager, recordId: number, refusal: string): Promise<ScoreRecord> {
    const record = await this.lockRecord(manager, recordId);
    if (!record) throw DomainError.notFound('积分记录');
    const publication = record.publicationId
      ? await manager.findOneBy(Publication, { id: record.publicationId })
      : null;
    const open =
      publication && publication.status === 'OPEN' && !windowEnded(publication, this.clock.today());
    if (!open || !['PUBLICIZING', 'OBJECTED'].includes(record.status))
      throw new DomainError('INVALID_STATE', refusal);
    return record;
  }

  /** A record locked for a move, after its village's book (null when there is none). */
  recordForMove(manager: EntityManager, recordId: number): Promise<ScoreRecord | null> {
    return this.lockRecord(manager, recordId);
  }

  /** Holds a record from posting (its hold row written by the caller): OBJECTED until the last hold goes. */
  async hold(manager: EntityManager, record: ScoreRecord): Promise<void> {
    await this.move(manager, record, 'OBJECTED');
  }

  /**
   * After a hold went (its row settled by the caller): with none left the record goes back to the board, and is
   * posted at once when its publication has closed meanwhile. Answers where the record stands.
   */
  async release(manager: EntityManager, recordId: number, actor: Actor): Promise<RecordStatus> {
    const record = (await this.lockRecord(manager, recordId)) as ScoreRecord;
    if (record.status !== 'OBJECTED' || (await this.holdsOn(manager, record.id)) > 0) return record.status;
    await this.move(manager, record, 'PUBLICIZING');
    const publication = await manager.findOneByOrFail(Publication, { id: record.publicationId as number });
    if (publication.status === 'CLOSED')
      await this.notices.add(manager, [await this.post(manager, record, actor)]);
    return record.status;
  }

  /**
   * 入账: one SCORE entry through the ledger, and the record marked POSTED, in the caller's transaction. Answers the
   * household's notice of it, for the caller to write with the others of the same transaction.
   */
  private async post(manager: EntityManager, record: ScoreRecord, actor: Actor | null): Promise<NewNotice> {
    // Marked first, guarded by its state: a record another transaction moved is never posted, nor posted twice.
    await this.move(manager, record, 'POSTED', { postedAt: this.clock.now() });
    const { rule, version } = await this.rules.ruleAndVersion(manager, record.ruleId, record.ruleVersionId);
    await this.ledger.append(manager, {
      householdId: record.householdId,
      amount: record.points,
      // Points carried over from paper are earned, but belong to no period's ranking.
      kind: rule.code === OPENING_RULE_CODE ? 'OPENING' : 'SCORE',
      description: rule.code === OPENING_RULE_CODE ? version.title : `${rule.code} ${version.title}`,
      occurredOn: record.occurredOn,
      refType: 'score_record',
      refId: record.id,
      createdBy: actor?.id ?? null,
    });
    return {
      villageId: record.villageId,
      householdId: record.householdId,
      kind: 'RECORD_POSTED',
      text: noticeText.posted(version.title, record.points),
      eventKey: `record:${record.id}:posted`,
    };
  }

  /**
   * After an objection is decided: the record's household hears of a correction or a revocation, and each household
   * whose objection was settled hears the decision and its reason.
   */
  private async noticeDecision(
    manager: EntityManager,
    record: ScoreRecord,
    before: number,
    upheld: boolean,
    objectors: Objection[],
    reason: string | null,
  ): Promise<void> {
    const { title } = await this.rules.versionIn(manager, record.ruleVersionId);
    const outcome = record.status === 'REVOKED' ? '记录已撤销' : `分值定为 ${record.points}`;
    const notices: NewNotice[] = [];
    if (record.status === 'REVOKED')
      notices.push({
        villageId: record.villageId,
        householdId: record.householdId,
        kind: 'RECORD_REVOKED',
        text: noticeText.revoked(title, before),
        eventKey: `record:${record.id}:revoked`,
      });
    else if (record.points !== before)
      notices.push({
        villageId: record.villageId,
        householdId: record.householdId,
        kind: 'RECORD_CORRECTED',
        text: noticeText.corrected(title, before, record.points, reason),
        eventKey: `record:${record.id}:corrected:${objectors[0].id}`,
      });
    for (const o of objectors)
      if (o.byHouseholdId !== null)
        notices.push({
          villageId: record.villageId,
          householdId: o.byHouseholdId,
          kind: 'OBJECTION_DECIDED',
          text: noticeText.objectionDecided(title, upheld, outcome, o.id === objectors[0].id ? reason : null),
          eventKey: `objection:${o.id}:decided`,
        });
    await this.notices.add(manager, notices);
  }

  /** One notice per record to its household, in the caller's transaction (titles from the rule version used). */
  private async noticeEach(
    manager: EntityManager,
    records: { id: number; villageId: number; householdId: number; ruleVersionId: number; points: number }[],
    make: (r: { id: number; points: number; title: string }) => Pick<NewNotice, 'kind' | 'text' | 'eventKey'>,
  ): Promise<void> {
    const titles = await this.rules.versionTitles(
      records.map((r) => r.ruleVersionId),
      manager,
    );
    await this.notices.add(
      manager,
      records.map((r) => ({
        villageId: r.villageId,
        householdId: r.householdId,
        ...make({ id: r.id, points: r.points, title: titles.get(r.ruleVersionId) as string }),
      })),
    );
  }

  /**
   * The record's row, after the village's book: every move of a record (open, object, resolve, close) takes the book
   * first, so on PostgreSQL they run one at a time per village and each sees the others' committed result.
   */
  private async lockRecord(manager: EntityManager, recordId: number): Promise<ScoreRecord | null> {
    const villageId = await villageOfRecord(manager, recordId);
    if (villageId === null) return null;
    await this.ledger.lockBook(manager, villageId);
    return lockRecordRow(manager, recordId);
  }

  /** Moves a record from the state it was read in to the next, refusing if it has moved meanwhile. */
  private async move(
    manager: EntityManager,
    record: ScoreRecord,
    to: RecordStatus,
    also: Partial<Pick<ScoreRecord, 'points' | 'postedAt'>> = {},
  ): Promise<void> {
    await moveRecord(manager, record, to, also);
  }

  /** How many objections in the village wait for the committee's decision (the start page's 异议待处理). */
  openObjectionCount(villageId: number): Promise<number> {
    return this.dataSource.getRepository(Objection).countBy({ villageId, status: 'OPEN' });
  }

  /** Publications whose window has ended but are not posted yet (an open objection holds them): 期满待入账. */
  async endedAwaitingPosting(villageId: number): Promise<Publication[]> {
    return this.dataSource.getRepository(Publication).find({
      where: { villageId, status: 'OPEN', endsOn: LessThan(this.clock.today()) },
      order: { id: 'ASC' },
    });
  }

  /** How many objections wait for an answer in each village (villages without any are left out). */
  async openObjectionsByVillage(villageIds: number[]): Promise<Map<number, number>> {
    if (villageIds.length === 0) return new Map();
    const rows = await this.dataSource
      .createQueryBuilder()
      .select('o.villageId', 'villageId')
      .addSelect('COUNT(*)', 'n')
      .from(Objection, 'o')
      .where("o.villageId IN (:...ids) AND o.status = 'OPEN'", { ids: villageIds })
      .groupBy('o.villageId')
      .getRawMany();
    return new Map(rows.map((r) => [Number(r.villageId), Number(r.n ?? 0)]));
  }
}

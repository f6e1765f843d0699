import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { can, Permission } from '../access/permissions.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { addDays, isRealDate } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { Settings } from '../config/settings.js';
import { villageScope } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import { DoorPlateBadges } from '../households/door-plate-badges.js';
import { HouseholdMembersService } from '../households/household-members.service.js';
import { HouseholdsService } from '../households/households.service.js';
import type { PassbookRow } from '../ledger/ledger.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { UsersService } from '../users/users.service.js';
import type { Village } from '../villages/village.entity.js';
import { VillagesService } from '../villages/villages.service.js';
import type {
  CommitmentDto,
  PartyLinkDto,
  PartyPublicationDto,
  PartyRecordDto,
  PartyResolveDto,
  PartyRuleDto,
  PartySettingsDto,
  RegisterPartyMemberDto,
} from './dto/party.dto.js';
import { PartyCommitment } from './party-commitment.entity.js';
import { PartyLink } from './party-link.entity.js';
import { PartyMember } from './party-member.entity.js';
import { PartyObjection } from './party-objection.entity.js';
import { PartyPublication } from './party-publication.entity.js';
import { PartyRecord } from './party-record.entity.js';
import { PartyRule } from './party-rule.entity.js';
import { PartySettings } from './party-settings.entity.js';
import { starsFor, thresholdsOf } from './party-stars.js';

const DEFAULT_THRESHOLDS = '20,40,60,80,100';

export interface PartyMemberView {
  id: number;
  householdId: number;
  name: string;
  username: string;
  available: number;
  earned: number;
}

export interface RankingRow {
  rank: number;
  partyMemberId: number;
  name: string;
  points: number;
  /** Stars of the year (五星党员 at five), by the branch's thresholds. */
  stars: number;
}

/**
 * 党员量化积分: party members' books on the one ledger (a second kind of account), the branch's rule list, records
 * (recorded by one branch member, approved by another, 党内公示 with objections, posted), rankings and 五星党员,
 * 承诺践诺 and 党员联系农户. Nothing here moves a household's points.
 */
@Injectable()
export class PartyService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly ledger: LedgerService,
    private readonly villages: VillagesService,
    private readonly users: UsersService,
    private readonly households: HouseholdsService,
    private readonly members: HouseholdMembersService,
    private readonly badges: DoorPlateBadges,
    private readonly settings: Settings,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // A registered party member keeps their book and login: the household's member list cannot drop them.
    this.members.keepWhile(async (manager, memberId) =>
      (await manager.existsBy(PartyMember, { memberId }))
        ? '该成员已登记为党员，有自己的党员积分账户和登录，不能从户里删除'
        : null,
    );
    // 党员户挂牌: a household with a registered party member shows it on its door plate (and wherever badges show).
    this.badges.add(async (householdIds) => {
      const households = await this.partyHouseholds(householdIds);
      return new Map([...households].map((id) => [id, ['党员户']]));
    });
  }

  /** Which of some households have a registered party member (党员户). */
  async partyHouseholds(householdIds: number[]): Promise<Set<number>> {
    if (householdIds.length === 0) return new Set();
    const rows = await this.dataSource
      .getRepository(PartyMember)
      .find({ where: { householdId: In(householdIds) }, select: { householdId: true } });
    return new Set(rows.map((r) => r.householdId));
  }

  /** 党员户挂牌 on the public board: the village's households with a registered party member, as lists name them. */
  async partyHouseholdLabels(villageId: number): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(PartyMember)
      .find({ where: { villageId }, select: { householdId: true } });
    const labels = await this.households.labels(rows.map((r) => r.householdId));
    return [...labels.values()].sort();
  }

  /** POST /party-members: a member marked 党员 gets a book on the ledger and a login of their own. */
  async register(actor: Actor, dto: RegisterPartyMemberDto): Promise<PartyMemberView> {
    return this.transactions.run(async (manager) => {
      const person = await this.members.getIn(manager, dto.memberId);
      if (!person) throw DomainError.validation({ memberId: '没有这位家庭成员' });
      const household = await this.households.findIn(manager, person.householdId);
      if (!household) throw DomainError.validation({ memberId: '没有这位家庭成员' });
      const village = await this.villages.inScope(actor, household.villageId, manager);
      if (!person.partyMember)
        throw DomainError.validation({ memberId: '该成员没有标为党员，请先在户的成员里标明' });
      if (household.status !== 'ACTIVE') throw DomainError.validation({ memberId: '该户已迁出' });
      if (await manager.existsBy(PartyMember, { memberId: person.id }))
        throw DomainError.duplicate('memberId', `${person.name} 已登记为党员`);
      const accountId = await this.ledger.openAccount(manager, 'PARTY_MEMBER', village.id);
      const sameHousehold = await manager.countBy(PartyMember, { householdId: household.id });
      const username = `${household.code.toLowerCase()}-dy${sameHousehold + 1}`;
      const userId = await this.users.openPartyLogin(manager, actor, {
        username,
        displayName: person.name,
        pin: dto.pin,
        townshipId: village.townshipId,
        villageId: village.id,
        householdId: household.id,
      });
      const member = await manager.save(
        manager.create(PartyMember, {
          villageId: village.id,
          householdId: household.id,
          memberId: person.id,
          name: person.name,
          accountId,
          userId,
          username,
          createdBy: actor.kind === 'user' ? actor.id : null,
        }),
      );
      // The board (党员户) and door plates read it.
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action: 'party.member_register',
          entityType: 'party_member',
          entityId: member.id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: { name: person.name, householdId: household.id, username },
        },
        manager,
      );
      return {
        id: member.id,
        householdId: household.id,
        name: member.name,
        username,
        available: 0,
        earned: 0,
      };
    });
  }

  /** The branch's members with their balances and the year's points and stars, by name. */
  async membersOf(villageId: number, year = Number(this.clock.today().slice(0, 4))) {
    const members = await this.dataSource
      .getRepository(PartyMember)
      .find({ where: { villageId }, order: { id: 'ASC' } });
    const accountIds = members.map((m) => m.accountId);
    const [balances, yearPoints, thresholds, labels] = await Promise.all([
      this.ledger.accountBalances(accountIds),
      this.ledger.accountPeriodPoints(accountIds, String(year)),
      this.thresholds(villageId),
      this.households.labels(members.map((m) => m.householdId)),
    ]);
    return members.map((m) => {
      const points = yearPoints.get(m.accountId) ?? 0;
      return {
        id: m.id,
        name: m.name,
        householdId: m.householdId,
        household: labels.get(m.householdId) ?? '',
        available: balances.get(m.accountId)?.available ?? 0,
        earned: balances.get(m.accountId)?.earned ?? 0,
        yearPoints: points,
        stars: starsFor(points, thresholds),
      };
    });
  }

  /** The members marked 党员 in the village's households who have no book yet (what the register form offers). */
  async unregistered(villageId: number) {
    const [marked, registered] = await Promise.all([
      this.members.partyMembersOfVillage(villageId),
      this.dataSource.getRepository(PartyMember).find({ where: { villageId }, select: { memberId: true } }),
    ]);
    const taken = new Set(registered.map((r) => r.memberId));
    return marked.filter((m) => !taken.has(m.id));
  }

  /** A member in the actor's scope (404 when none, 403 elsewhere). */
  async memberInScope(actor: Actor, id: number, manager: EntityManager = this.dataSource.manager) {
    const member = await manager.findOneBy(PartyMember, { id });
    if (!member) throw DomainError.notFound('党员');
    const village = await this.villages.inScope(actor, member.villageId, manager);
    return { member, village };
  }

  /** The member's own record, for the member's login (null for anyone else). */
  async memberOfUser(userId: number): Promise<PartyMember | null> {
    return this.dataSource.getRepository(PartyMember).findOneBy({ userId });
  }

  /**
   * GET /party-members/:id/passbook: the member's book, as a household's passbook. The branch reads any member's of its
   * village; a member only their own.
   */
  async passbook(actor: Actor, id: number): Promise<{ member: PartyMemberView; entries: PassbookRow[] }> {
    const { member } = await this.memberInScope(actor, id);
    if (!can(actor, Permission.Party.Record) && !(actor.kind === 'user' && actor.id === member.userId))
      throw DomainError.forbidden('只能查看自己的党员积分存折');
    const [balances, entries] = await Promise.all([
      this.ledger.accountBalances([member.accountId]),
      this.ledger.accountPassbook(member.accountId),
    ]);
    const b = balances.get(member.accountId) ?? { available: 0, earned: 0 };
    return {
      member: {
        id: member.id,
        householdId: member.householdId,
        name: member.name,
        username: member.username,
        available: b.available,
        earned: b.earned,
      },
      entries: entries.map((e) => ({ ...e, id: Number(e.id) })),
    };
  }

  async rules(villageId: number, activeOnly = true): Promise<PartyRule[]> {
    return this.dataSource.getRepository(PartyRule).find({
      where: activeOnly ? { villageId, active: true } : { villageId },
      order: { category: 'ASC', id: 'ASC' },
    });
  }

  async createRule(actor: Actor, dto: PartyRuleDto): Promise<PartyRule> {
    const min = dto.minPoints ?? dto.points;
    const max = dto.maxPoints ?? dto.points;
    if (min > max) throw DomainError.validation({ minPoints: '最低分不能高于最高分' });
    if (dto.points < min || dto.points > max)
      throw DomainError.validation({ points: `分值应在 ${min} 到 ${max} 之间` });
    return this.transactions.run(async (manager) => {
      const village = await this.villages.inScope(actor, dto.villageId, manager);
      const rule = await manager.save(
        manager.create(PartyRule, {
          villageId: village.id,
          category: dto.category,
          title: dto.title,
          points: dto.points,
          minPoints: min,
          maxPoints: max,
          active: true,
        }),
      );
      await this.audit.record(
        actor,
        {
          action: 'party.rule_create',
          entityType: 'party_rule',
          entityId: rule.id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: { category: rule.category, title: rule.title, points: rule.points, min, max },
        },
        manager,
      );
      return rule;
    });
  }

  async settingsOf(villageId: number): Promise<{ monthlyBase: number | null; starThresholds: string }> {
    const row = await this.dataSource.getRepository(PartySettings).findOneBy({ villageId });
    return {
      monthlyBase: row?.monthlyBase ?? null,
      starThresholds: row?.starThresholds ?? DEFAULT_THRESHOLDS,
    };
  }

  private async thresholds(villageId: number): Promise<number[]> {
    return thresholdsOf((await this.settingsOf(villageId)).starThresholds);
  }

  async setSettings(actor: Actor, villageId: number, dto: PartySettingsDto) {
    const thresholds = thresholdsOf(dto.starThresholds);
    if (thresholds.some((t, i) => i > 0 && t <= thresholds[i - 1]))
      throw DomainError.validation({ starThresholds: '星级门槛应由低到高排列' });
    return this.transactions.run(async (manager) => {
      const village = await this.villages.inScope(actor, villageId, manager);
      const row = {
        villageId: village.id,
        monthlyBase: dto.monthlyBase ?? null,
        starThresholds: thresholds.join(','),
      };
      await manager.save(manager.create(PartySettings, row));
      await this.audit.record(
        actor,
        {
          action: 'party.settings',
          entityType: 'village',
          entityId: village.id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: { monthlyBase: row.monthlyBase, starThresholds: row.starThresholds },
        },
        manager,
      );
      return { monthlyBase: row.monthlyBase, starThresholds: row.starThresholds };
    });
  }

  /** POST /party-records: a branch member records points for a member (PENDING); never for their own household. */
  async record(actor: Actor, dto: PartyRecordDto): Promise<PartyRecord> {
    if (!isRealDate(dto.occurredOn)) throw DomainError.validation({ occurredOn: '没有这一天' });
    if (dto.occurredOn > this.clock.today()) throw DomainError.validation({ occurredOn: '日期不能晚于今天' });
    return this.transactions.run(async (manager) => {
      const { member, village } = await this.memberInScope(actor, dto.partyMemberId, manager);
      this.refuseOwnHousehold(actor, member, '不能为本户的党员登记积分');
      const rule = await manager.findOneBy(PartyRule, {
        id: dto.ruleId,
        villageId: village.id,
        active: true,
      });
      if (!rule) throw DomainError.validation({ ruleId: '请选择本支部在用的细则' });
      const points = dto.points ?? rule.points;
      if (points < rule.minPoints || points > rule.maxPoints)
        throw DomainError.validation({ points: `分值应在 ${rule.minPoints} 到 ${rule.maxPoints} 之间` });
      const record = await manager.save(
        manager.create(PartyRecord, {
          villageId: village.id,
          partyMemberId: member.id,
          ruleId: rule.id,
          points,
          occurredOn: dto.occurredOn,
          note: dto.note || null,
          status: 'PENDING',
          recordedBy: actor.id,
        }),
      );
      await this.audit.record(
        actor,
        {
          action: 'party.record',
          entityType: 'party_record',
          entityId: record.id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: { member: member.name, rule: rule.title, points, occurredOn: dto.occurredOn },
        },
        manager,
      );
      return record;
    });
  }

  private refuseOwnHousehold(actor: Actor, member: PartyMember, message: string): void {
    if (actor.householdId !== null && actor.householdId === member.householdId)
      throw DomainError.forbidden(message);
  }

  /** Records of the village by status (the branch's queues), newest first, with member and rule named. */
  async records(villageId: number, statuses: PartyRecord['status'][]) {
    const records = await this.dataSource.getRepository(PartyRecord).find({
      where: { villageId, status: In(statuses) },
      order: { id: 'DESC' },
      take: 200,
    });
    const [members, rules, objections] = await Promise.all([
      this.dataSource.getRepository(PartyMember).findBy({ id: In(records.map((r) => r.partyMemberId)) }),
      this.dataSource.getRepository(PartyRule).findBy({ id: In(records.map((r) => r.ruleId)) }),
      this.dataSource.getRepository(PartyObjection).findBy({ recordId: In(records.map((r) => r.id)) }),
    ]);
    const name = new Map(members.map((m) => [m.id, m.name]));
    const title = new Map(rules.map((r) => [r.id, r.title]));
    return records.map((r) => ({
      ...r,
      memberName: name.get(r.partyMemberId) ?? '',
      ruleTitle: title.get(r.ruleId) ?? '',
      objections: objections.filter((o) => o.recordId === r.id),
    }));
  }

  /**
   * A branch member's to-do: records waiting for someone other than their recorder (the member's own are another's to
   * approve), and 党内公示 windows that have ended and wait to post.
   */
  async toDo(actor: Actor, villageId: number): Promise<{ toApprove: number; toPost: number }> {
    const [pending, open] = await Promise.all([
      this.dataSource.getRepository(PartyRecord).find({
        where: { villageId, status: 'PENDING' },
        select: { id: true, recordedBy: true },
      }),
      this.dataSource.getRepository(PartyPublication).find({
        where: { villageId, status: 'OPEN' },
        select: { id: true, endsOn: true },
      }),
    ]);
    const today = this.clock.today();
    return {
      toApprove: pending.filter((r) => r.recordedBy !== actor.id).length,
      toPost: open.filter((p) => p.endsOn < today).length,
    };
  }

  /** Approve (another branch member than the recorder) or reject a PENDING record. */
  async review(
    actor: Actor,
    id: number,
    decision: { approve: true } | { approve: false; reason: string },
  ): Promise<{ record: PartyRecord; repeated: boolean }> {
    return this.transactions.run(async (manager) => {
      const record = await manager.findOneBy(PartyRecord, { id });
      if (!record) throw DomainError.notFound('党员积分记录');
      const { member, village } = await this.memberInScope(actor, record.partyMemberId, manager);
      const target = decision.approve ? 'APPROVED' : 'REJECTED';
      if (record.status === target && record.reviewedBy === actor.id) return { record, repeated: true };
      if (record.status !== 'PENDING') throw new DomainError('INVALID_STATE', '这条记录已审核过');
      if (record.recordedBy === actor.id)
        throw new DomainError('SAME_PERSON', '须由另一位支部成员审核，登记人不能审核自己登记的记录');
      this.refuseOwnHousehold(actor, member, '不能审核本户党员的记录');
      const moved = await manager
        .createQueryBuilder()
        .update(PartyRecord)
        .set({
          status: target,
          reviewedBy: actor.id,
          rejectReason: decision.approve ? null : decision.reason,
        })
        .where('id = :id AND status = :pending', { id, pending: 'PENDING' })
        .execute();
      if (!moved.affected) throw new DomainError('INVALID_STATE', '这条记录已审核过');
      await this.audit.record(
        actor,
        {
          action: decision.approve ? 'party.record_approve' : 'party.record_reject',
          entityType: 'party_record',
          entityId: id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: decision.approve ? { points: record.points } : { reason: decision.reason },
        },
        manager,
      );
      return { record: await manager.findOneByOrFail(PartyRecord, { id }), repeated: false };
    });
  }

  /** POST /party-publications: the village's approved records go into 党内公示 for `days` days. */
  async openPublication(actor: Actor, dto: PartyPublicationDto) {
    if (dto.days < this.settings.publicationMinDays)
      throw DomainError.validation({ days: `公示至少 ${this.settings.publicationMinDays} 天` });
    return this.transactions.run(async (manager) => {
      const village = await this.villages.inScope(actor, dto.villageId, manager);
      const approved = await manager.find(PartyRecord, {
        where: { villageId: village.id, status: 'APPROVED' },
        select: { id: true },
        order: { id: 'ASC' },
      });
      if (approved.length === 0) throw new DomainError('INVALID_STATE', '没有审核通过、待公示的党员积分记录');
      const startsOn = this.clock.today();
      const publication = await manager.save(
        manager.create(PartyPublication, {
          villageId: village.id,
          startsOn,
          endsOn: addDays(startsOn, dto.days - 1),
          status: 'OPEN',
          openedBy: actor.id,
        }),
      );
      const ids = approved.map((r) => r.id);
      await manager
        .createQueryBuilder()
        .update(PartyRecord)
        .set({ status: 'PUBLICIZING', publicationId: publication.id })
        .where('id IN (:...ids) AND status = :approved', { ids, approved: 'APPROVED' })
        .execute();
      await this.audit.record(
        actor,
        {
          action: 'party.publication_open',
          entityType: 'party_publication',
          entityId: publication.id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: { days: dto.days, records: ids.length },
        },
        manager,
      );
      return { ...publication, recordIds: ids };
    });
  }

  async publications(villageId: number): Promise<PartyPublication[]> {
    return this.dataSource
      .getRepository(PartyPublication)
      .find({ where: { villageId }, order: { id: 'DESC' }, take: 20 });
  }

  /** A branch member objects to a record in 党内公示 (one open objection per person per record). */
  async object(actor: Actor, recordId: number, reason: string): Promise<PartyObjection> {
    return this.transactions.run(async (manager) => {
      const record = await manager.findOneBy(PartyRecord, { id: recordId });
      if (!record) throw DomainError.notFound('党员积分记录');
      const village = await this.villages.inScope(actor, record.villageId, manager);
      const publication = record.publicationId
        ? await manager.findOneBy(PartyPublication, { id: record.publicationId })
        : null;
      if (record.status !== 'PUBLICIZING' || !publication || publication.endsOn < this.clock.today())
        throw new DomainError('INVALID_STATE', '这条记录不在公示期内，不能提出异议');
      if (await manager.existsBy(PartyObjection, { recordId, raisedBy: actor.id, status: 'OPEN' }))
        throw DomainError.duplicate('reason', '您对这条记录的异议还在等待答复');
      const objection = await manager.save(
        manager.create(PartyObjection, {
          villageId: village.id,
          recordId,
          raisedBy: actor.id,
          reason,
          status: 'OPEN',
        }),
      );
      await this.audit.record(
        actor,
        {
          action: 'party.objection',
          entityType: 'party_record',
          entityId: recordId,
          townshipId: village.townshipId,
          villageId: village.id,
          details: { reason },
        },
        manager,
      );
      return objection;
    });
  }

  /** The branch answers an objection: upheld withdraws the record (it never posts); dismissed keeps it. */
  async resolve(actor: Actor, objectionId: number, dto: PartyResolveDto): Promise<PartyObjection> {
    return this.transactions.run(async (manager) => {
      const objection = await manager.findOneBy(PartyObjection, { id: objectionId });
      if (!objection) throw DomainError.notFound('异议');
      const village = await this.villages.inScope(actor, objection.villageId, manager);
      if (objection.status !== 'OPEN') throw new DomainError('INVALID_STATE', '这条异议已答复过');
      const status = dto.decision === 'UPHOLD' ? 'UPHELD' : 'DISMISSED';
      const moved = await manager
        .createQueryBuilder()
        .update(PartyObjection)
        .set({ status, answer: dto.reason, answeredBy: actor.id })
        .where('id = :id AND status = :open', { id: objectionId, open: 'OPEN' })
        .execute();
      if (!moved.affected) throw new DomainError('INVALID_STATE', '这条异议已答复过');
      if (status === 'UPHELD')
        await manager
          .createQueryBuilder()
          .update(PartyRecord)
          .set({ status: 'REJECTED', rejectReason: `异议成立：${dto.reason}`.slice(0, 200) })
          .where('id = :id AND status = :publicizing', { id: objection.recordId, publicizing: 'PUBLICIZING' })
          .execute();
      await this.audit.record(
        actor,
        {
          action: status === 'UPHELD' ? 'party.objection_uphold' : 'party.objection_dismiss',
          entityType: 'party_record',
          entityId: objection.recordId,
          townshipId: village.townshipId,
          villageId: village.id,
          details: { reason: dto.reason },
        },
        manager,
      );
      return manager.findOneByOrFail(PartyObjection, { id: objectionId });
    });
  }

  /**
   * Closes a 党内公示 once its last day has passed and every objection is answered: each record still in it posts into
   * its member's book (one entry each, in this transaction). A second close changes nothing (409).
   */
  async closePublication(actor: Actor, id: number) {
    return this.transactions.run(async (manager) => {
      const publication = await manager.findOneBy(PartyPublication, { id });
      if (!publication) throw DomainError.notFound('党内公示');
      const village = await this.villages.inScope(actor, publication.villageId, manager);
      if (publication.status !== 'OPEN') throw new DomainError('INVALID_STATE', '这次公示已结束');
      if (publication.endsOn >= this.clock.today())
        throw new DomainError('PUBLICATION_OPEN', `公示到 ${publication.endsOn} 结束，之后才能入账`);
      const records = await manager.find(PartyRecord, {
        where: { publicationId: id, status: 'PUBLICIZING' },
        order: { id: 'ASC' },
      });
      const open = await manager.countBy(PartyObjection, {
        recordId: In(records.length ? records.map((r) => r.id) : [0]),
        status: 'OPEN',
      });
      if (open > 0) throw new DomainError('INVALID_STATE', `还有 ${open} 条异议没有答复，答复后才能入账`);
      const closed = await manager
        .createQueryBuilder()
        .update(PartyPublication)
        .set({ status: 'CLOSED', closedBy: actor.id })
        .where('id = :id AND status = :open', { id, open: 'OPEN' })
        .execute();
      if (!closed.affected) throw new DomainError('INVALID_STATE', '这次公示已结束');
      const members = new Map(
        (
          await manager.findBy(PartyMember, {
            id: In(records.length ? records.map((r) => r.partyMemberId) : [0]),
          })
        ).map((m) => [m.id, m]),
      );
      const rules = new Map(
        (
          await manager.findBy(PartyRule, { id: In(records.length ? records.map((r) => r.ruleId) : [0]) })
        ).map((r) => [r.id, r]),
      );
      for (const r of records) {
        const member = members.get(r.partyMemberId) as PartyMember;
        const entry = await this.ledger.appendToAccount(manager, member.accountId, {
          amount: r.points,
          kind: 'PARTY_SCORE',
          description: rules.get(r.ruleId)?.title ?? '党员积分',
          occurredOn: r.occurredOn,
          refType: 'party_record',
          refId: r.id,
          createdBy: actor.id,
        });
        await manager.update(PartyRecord, { id: r.id }, { status: 'POSTED', entryId: entry.id });
      }
      await this.audit.record(
        actor,
        {
          action: 'party.publication_close',
          entityType: 'party_publication',
          entityId: id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: { posted: records.length },
        },
        manager,
      );
      return { id, status: 'CLOSED', postedRecordIds: records.map((r) => r.id) };
    });
  }

  /**
   * 每月基础分: posts the month's base to every member of the branch that has not had it (a second run, or a double
   * click, posts nothing more).
   */
  async postMonthlyBase(actor: Actor, villageId: number, month: string) {
    if (month > this.clock.today().slice(0, 7))
      throw DomainError.validation({ month: '不能为以后的月份记基础分' });
    return this.transactions.run(async (manager) => {
      const village = await this.villages.inScope(actor, villageId, manager);
      await this.ledger.lockBook(manager, village.id);
      const settings = await manager.findOneBy(PartySettings, { villageId: village.id });
      if (!settings?.monthlyBase) throw new DomainError('INVALID_STATE', '本支部没有设每月基础分');
      const members = await manager.find(PartyMember, {
        where: { villageId: village.id },
        order: { id: 'ASC' },
      });
      const day = `${month}-01`;
      const posted: number[] = [];
      for (const m of members) {
        const earlier = await this.ledger.entriesFor(manager, 'party_base', m.id);
        if (earlier.some((e) => e.occurredOn === day)) continue;
        await this.ledger.appendToAccount(manager, m.accountId, {
          amount: settings.monthlyBase,
          kind: 'PARTY_BASE',
          description: `${month} 基础分`,
          occurredOn: day,
          refType: 'party_base',
          refId: m.id,
          createdBy: actor.id,
        });
        posted.push(m.id);
      }
      if (posted.length > 0)
        await this.audit.record(
          actor,
          {
            action: 'party.monthly_base',
            entityType: 'village',
            entityId: village.id,
            townshipId: village.townshipId,
            villageId: village.id,
            details: { month, points: settings.monthlyBase, members: posted.length },
          },
          manager,
        );
      return { month, points: settings.monthlyBase, partyMemberIds: posted, repeated: posted.length === 0 };
    });
  }

  /** Monthly (`2026-11`) or yearly (`2026`) ranking of the branch's members, with the year's stars. */
  async ranking(villageId: number, period = this.clock.today().slice(0, 4)): Promise<RankingRow[]> {
    const members = await this.dataSource.getRepository(PartyMember).find({ where: { villageId } });
    const ids = members.map((m) => m.accountId);
    const [points, yearPoints, thresholds] = await Promise.all([
      this.ledger.accountPeriodPoints(ids, period),
      this.ledger.accountPeriodPoints(ids, period.slice(0, 4)),
      this.thresholds(villageId),
    ]);
    const rows = members
      .map((m) => ({
        partyMemberId: m.id,
        name: m.name,
        points: points.get(m.accountId) ?? 0,
        stars: starsFor(yearPoints.get(m.accountId) ?? 0, thresholds),
      }))
      .sort((a, b) => b.points - a.points || a.partyMemberId - b.partyMemberId);
    let rank = 0;
    return rows.map((r, i) => {
      if (i === 0 || r.points !== rows[i - 1].points) rank = i + 1;
      return { rank, ...r };
    });
  }

  async addCommitment(actor: Actor, partyMemberId: number, dto: CommitmentDto): Promise<PartyCommitment> {
    return this.transactions.run(async (manager) => {
      const { member, village } = await this.memberInScope(actor, partyMemberId, manager);
      const row = await manager.save(
        manager.create(PartyCommitment, {
          villageId: village.id,
          partyMemberId: member.id,
          year: dto.year,
          promise: dto.promise,
          createdBy: actor.id,
        }),
      );
      await this.audit.record(
        actor,
        {
          action: 'party.commitment',
          entityType: 'party_member',
          entityId: member.id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: { year: dto.year, promise: dto.promise },
        },
        manager,
      );
      return row;
    });
  }

  /** A commitment in the actor's scope (404 when none, 403 elsewhere). */
  async commitmentInScope(actor: Actor, id: number): Promise<PartyCommitment> {
    const row = await this.dataSource.getRepository(PartyCommitment).findOneBy({ id });
    if (!row) throw DomainError.notFound('承诺');
    await this.villages.inScope(actor, row.villageId);
    return row;
  }

  /** 践诺: the branch records what was done on a commitment (again changes the record, audited). */
  async fulfil(actor: Actor, commitmentId: number, fulfilment: string): Promise<PartyCommitment> {
    return this.transactions.run(async (manager) => {
      const row = await manager.findOneBy(PartyCommitment, { id: commitmentId });
      if (!row) throw DomainError.notFound('承诺');
      const { member, village } = await this.memberInScope(actor, row.partyMemberId, manager);
      await manager.update(PartyCommitment, { id: row.id }, { fulfilment, fulfilledBy: actor.id });
      await this.audit.record(
        actor,
        {
          action: 'party.fulfilment',
          entityType: 'party_member',
          entityId: member.id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: { year: row.year, promise: row.promise, fulfilment },
        },
        manager,
      );
      return manager.findOneByOrFail(PartyCommitment, { id: row.id });
    });
  }

  /** 党员联系农户: links a member to a household of the village by its code. */
  async link(actor: Actor, partyMemberId: number, dto: PartyLinkDto): Promise<PartyLink> {
    return this.transactions.run(async (manager) => {
      const { member, village } = await this.memberInScope(actor, partyMemberId, manager);
      const household = await this.households.withCode(manager, dto.householdCode);
      if (!household || household.villageId !== village.id || household.status !== 'ACTIVE')
        throw DomainError.validation({ householdCode: '请填写本村在册农户的户号' });
      if (await manager.existsBy(PartyLink, { partyMemberId: member.id, householdId: household.id }))
        throw DomainError.duplicate('householdCode', `${household.code} 已是该党员的联系户`);
      const link = await manager.save(
        manager.create(PartyLink, {
          villageId: village.id,
          partyMemberId: member.id,
          householdId: household.id,
          createdBy: actor.id,
        }),
      );
      await this.audit.record(
        actor,
        {
          action: 'party.link',
          entityType: 'party_member',
          entityId: member.id,
          townshipId: village.townshipId,
          villageId: village.id,
          details: { household: household.code },
        },
        manager,
      );
      return link;
    });
  }

  /** What the member's page shows besides the book: commitments by year and the linked households. */
  async memberDetails(member: PartyMember) {
    const [commitments, links] = await Promise.all([
      this.dataSource
        .getRepository(PartyCommitment)
        .find({ where: { partyMemberId: member.id }, order: { year: 'DESC', id: 'ASC' } }),
      this.dataSource
        .getRepository(PartyLink)
        .find({ where: { partyMemberId: member.id }, order: { id: 'ASC' } }),
    ]);
    const labels = await this.households.labels([member.householdId, ...links.map((l) => l.householdId)]);
    return {
      household: labels.get(member.householdId) ?? '',
      commitments,
      links: links.map((l) => ({ householdId: l.householdId, label: labels.get(l.householdId) ?? '' })),
    };
  }

  /** The village a staff page works on (its own, or one chosen in scope). */
  village(actor: Actor, villageId: number): Promise<Village> {
    return this.villages.inScope(actor, villageId);
  }
}

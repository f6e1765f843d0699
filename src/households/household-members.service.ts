import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { villageScope } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import type { Village } from '../villages/village.entity.js';
import { VillagesService } from '../villages/villages.service.js';
import { MemberDto } from './dto/household.dto.js';
import { HouseholdMember } from './household-member.entity.js';
import { Household } from './household.entity.js';

/** 家庭成员: personal data, not ledger data, so a member can be removed (the audit log keeps that it happened). */
@Injectable()
export class HouseholdMembersService {
  /** Features above that keep a member from being removed (a registered party member has a book): why, or null. */
  private readonly keepers: ((manager: EntityManager, memberId: number) => Promise<string | null>)[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly villages: VillagesService,
  ) {}

  list(householdId: number): Promise<HouseholdMember[]> {
    return this.dataSource
      .getRepository(HouseholdMember)
      .find({ where: { householdId }, order: { id: 'ASC' } });
  }

  /** A feature above says when a member must not be removed (its reason is the refusal's message). */
  keepWhile(check: (manager: EntityManager, memberId: number) => Promise<string | null>): void {
    this.keepers.push(check);
  }

  /** One member of any household, read in the caller's transaction (null when there is none). */
  getIn(manager: EntityManager, memberId: number): Promise<HouseholdMember | null> {
    return manager.findOneBy(HouseholdMember, { id: memberId });
  }

  /** The members marked 党员 of a village's households still in the village, with their household (the branch's chooser). */
  async partyMembersOfVillage(
    villageId: number,
  ): Promise<{ id: number; name: string; householdId: number; householdCode: string; headName: string }[]> {
    const rows = await this.dataSource
      .createQueryBuilder(HouseholdMember, 'm')
      .innerJoin(Household, 'h', 'h.id = m.householdId')
      .select([
        'm.id AS id',
        'm.name AS name',
        'h.id AS "householdId"',
        'h.code AS "householdCode"',
        'h.headName AS "headName"',
      ])
      .where('h.villageId = :villageId AND m.partyMember = :yes AND h.status = :active', {
        villageId,
        yes: true,
        active: 'ACTIVE',
      })
      .orderBy('m.id', 'ASC')
      .getRawMany();
    return rows.map((r) => ({ ...r, id: Number(r.id), householdId: Number(r.householdId) }));
  }

  async add(actor: Actor, householdId: number, dto: MemberDto): Promise<HouseholdMember> {
    return this.transactions.run(async (manager) => {
      const village = await this.villageOf(manager, householdId);
      assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
      const member = await manager.save(
        manager.create(HouseholdMember, {
          householdId,
          name: dto.name,
          relation: dto.relation,
          partyMember: dto.partyMember ?? false,
        }),
      );
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action: 'member.add',
          entityType: 'household',
          entityId: householdId,
          townshipId: village.townshipId,
          villageId: village.id,
          details: { ...dto },
        },
        manager,
      );
      return member;
    });
  }

  async remove(actor: Actor, householdId: number, memberId: number): Promise<void> {
    await this.transactions.run(async (manager) => {
      const village = await this.villageOf(manager, householdId);
      assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
      const member = await manager.findOneBy(HouseholdMember, { id: memberId, householdId });
      if (!member) throw DomainError.notFound('家庭成员');
      for (const keeper of this.keepers) {
        const why = await keeper(manager, memberId);
        if (why) throw new DomainError('INVALID_STATE', why);
      }
      await manager.delete(HouseholdMember, { id: memberId });
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action: 'member.remove',
          entityType: 'household',
          entityId: householdId,
          townshipId: village.townshipId,
          villageId: village.id,
          details: { name: member.name, relation: member.relation },
        },
        manager,
      );
    });
  }

  private async villageOf(manager: EntityManager, householdId: number): Promise<Village> {
    const household = await manager.findOneBy(Household, { id: householdId });
    if (!household) throw DomainError.notFound('农户');
    return this.villages.getIn(manager, household.villageId);
  }
}

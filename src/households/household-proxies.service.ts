import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { hashSecret, verifySecret } from '../auth/password.js';
import { SessionsService } from '../auth/sessions.service.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { lockRow } from '../database/locks.js';
import { Transactions } from '../database/transactions.js';
import { VillagesService } from '../villages/villages.service.js';
import type { ProxyDto } from './dto/household.dto.js';
import { HouseholdProxy } from './household-proxy.entity.js';
import { Household } from './household.entity.js';

/** A household names at most this many people to act for it at once. */
export const MAX_PROXIES = 3;

export interface ProxyView {
  id: number;
  householdId: number;
  name: string;
  relation: string;
  createdAt: Date;
  endedAt: Date | null;
}

const view = (p: HouseholdProxy): ProxyView => ({
  id: p.id,
  householdId: p.householdId,
  name: p.name,
  relation: p.relation,
  createdAt: p.createdAt,
  endedAt: p.endedAt,
});

/**
 * 亲属代办 (issue 10): the committee records, at a household's request, a relative or neighbour who may act for it
 * (see its points, declare, object) with a PIN of their own, and ends them when asked. Each action of a proxy is in
 * the audit log under the proxy's own name, and the household sees them.
 */
@Injectable()
export class HouseholdProxiesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
    private readonly villages: VillagesService,
  ) {}

  /** The household's proxies, active first; ended ones stay listed with the day they ended. */
  async list(actor: Actor, householdId: number): Promise<ProxyView[]> {
    await this.householdInScope(actor, householdId);
    const rows = await this.dataSource
      .getRepository(HouseholdProxy)
      .find({ where: { householdId }, order: { id: 'DESC' } });
    return [...rows.filter((p) => !p.endedAt), ...rows.filter((p) => p.endedAt)].map(view);
  }

  /** The household's own view: who may act for it now. */
  async activeOf(householdId: number): Promise<ProxyView[]> {
    const rows = await this.dataSource
      .getRepository(HouseholdProxy)
      .find({ where: { householdId, endedAt: IsNull() }, order: { id: 'ASC' } });
    return rows.map(view);
  }

  async add(actor: Actor, householdId: number, dto: ProxyDto): Promise<ProxyView> {
    const { household } = await this.householdInScope(actor, householdId);
    if (await verifySecret(dto.pin, household.pinHash))
      throw DomainError.validation({ pin: '代办人的密码(PIN)不能与本户的相同' });
    const pinHash = await hashSecret(dto.pin);
    return this.transactions.run(async (manager) => {
      await lockRow(manager, Household, householdId);
      const active = await manager.find(HouseholdProxy, { where: { householdId, endedAt: IsNull() } });
      if (active.length >= MAX_PROXIES)
        throw new DomainError('INVALID_STATE', `每户最多 ${MAX_PROXIES} 位代办人，请先结束一位`);
      if (active.some((p) => p.name === dto.name))
        throw DomainError.duplicate('proxy', `${dto.name} 已经是本户的代办人`);
      for (const p of active)
        if (await verifySecret(dto.pin, p.pinHash))
          throw DomainError.validation({ pin: '这个密码(PIN)本户的另一位代办人在用，请换一个' });
      const proxy = await manager.save(
        manager.create(HouseholdProxy, {
          householdId,
          villageId: household.villageId,
          name: dto.name,
          relation: dto.relation,
          pinHash,
          createdAt: this.clock.now(),
          createdBy: actor.id,
          endedAt: null,
          endedBy: null,
        }),
      );
      await this.audit.record(
        actor,
        {
          action: 'household.proxy_add',
          entityType: 'household',
          entityId: householdId,
          villageId: household.villageId,
          details: { proxyId: proxy.id, name: dto.name, relation: dto.relation },
        },
        manager,
      );
      return view(proxy);
    });
  }

  /** Ends a proxy: their logins stop at once (sessions closed, tokens refused from the next request). */
  async end(actor: Actor, proxyId: number, householdId?: number): Promise<ProxyView> {
    const found = await this.dataSource.getRepository(HouseholdProxy).findOneBy({ id: proxyId });
    if (!found || (householdId !== undefined && found.householdId !== householdId))
      throw DomainError.notFound('代办人');
    const { household } = await this.householdInScope(actor, found.householdId);
    const ended = await this.transactions.run(async (manager) => {
      const proxy = (await lockRow(manager, HouseholdProxy, proxyId)) as HouseholdProxy;
      if (proxy.endedAt) throw new DomainError('INVALID_STATE', '这位代办人已经结束代办');
      proxy.endedAt = this.clock.now();
      proxy.endedBy = actor.id;
      await manager.save(proxy);
      await this.audit.record(
        actor,
        {
          action: 'household.proxy_end',
          entityType: 'household',
          entityId: household.id,
          villageId: household.villageId,
          details: { proxyId, name: proxy.name },
        },
        manager,
      );
      return view(proxy);
    });
    await this.sessions.closeProxy(proxyId);
    return ended;
  }

  private async householdInScope(actor: Actor, householdId: number) {
    const household = await this.dataSource.getRepository(Household).findOneBy({ id: householdId });
    if (!household) throw DomainError.notFound('农户');
    const village = await this.villages.getIn(this.dataSource.manager, household.villageId);
    assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
    return { household, village };
  }
}

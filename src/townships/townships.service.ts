import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { scopeLevel, type Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { definedOnly } from '../common/objects.js';
import { selectRow } from '../database/raw.js';
import { Transactions } from '../database/transactions.js';
import { CreateTownshipDto, UpdateTownshipDto } from './dto/township.dto.js';
import { Township } from './township.entity.js';

@Injectable()
export class TownshipsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
  ) {}

  /** A township's row, read in the caller's transaction (null when there is none): a plain row, read on every dashboard. */
  findIn(manager: EntityManager, id: number): Promise<Township | null> {
    return selectRow(manager, Township, id);
  }

  /** The townships an actor may see: all for the admin, its own for a township or village role. */
  async list(actor: Actor): Promise<Township[]> {
    const repo = this.dataSource.getRepository(Township);
    if (scopeLevel(actor) === 'county') return repo.find({ order: { active: 'DESC', id: 'ASC' } });
    return actor.townshipId ? repo.findBy({ id: actor.townshipId }) : [];
  }

  async get(actor: Actor, id: number): Promise<Township> {
    const township = await this.dataSource.getRepository(Township).findOneBy({ id });
    if (!township) throw DomainError.notFound('乡镇');
    assertInScope(actor, { townshipId: township.id });
    return township;
  }

  async create(actor: Actor, dto: CreateTownshipDto): Promise<Township> {
    return this.transactions.run(async (manager) => {
      if (await manager.existsBy(Township, { code: dto.code })) {
        throw DomainError.duplicate('code', `乡镇代码 ${dto.code} 已被使用`);
      }
      const township = await manager.save(manager.create(Township, { name: dto.name, code: dto.code }));
      this.transactions.changed(manager, { townshipIds: [township.id] });
      await this.audit.record(
        actor,
        {
          action: 'township.create',
          entityType: 'township',
          entityId: township.id,
          townshipId: township.id,
          details: { ...dto },
        },
        manager,
      );
      return township;
    });
  }

  async update(actor: Actor, id: number, dto: UpdateTownshipDto): Promise<Township> {
    return this.transactions.run(async (manager) => {
      const township = await manager.findOneBy(Township, { id });
      if (!township) throw DomainError.notFound('乡镇');
      const changes = definedOnly({ name: dto.name, active: dto.active });
      Object.assign(township, changes);
      await manager.save(township);
      const action =
        dto.active === false
          ? 'township.deactivate'
          : dto.active === true
            ? 'township.activate'
            : 'township.update';
      this.transactions.changed(manager, { townshipIds: [id] });
      await this.audit.record(
        actor,
        { action, entityType: 'township', entityId: id, townshipId: id, details: changes },
        manager,
      );
      return township;
    });
  }

  /** The township sets the most points a household of its villages may carry over from paper (期初积分). */
  async setOpeningCap(actor: Actor, id: number, openingCap: number): Promise<Township> {
    return this.transactions.run(async (manager) => {
      const township = await manager.findOneBy(Township, { id });
      if (!township) throw DomainError.notFound('乡镇');
      assertInScope(actor, { townshipId: id });
      const before = township.openingCap;
      township.openingCap = openingCap;
      await manager.save(township);
      this.transactions.changed(manager, { townshipIds: [id] });
      await this.audit.record(
        actor,
        {
          action: 'township.opening_cap',
          entityType: 'township',
          entityId: id,
          townshipId: id,
          details: { from: before, to: openingCap },
        },
        manager,
      );
      return township;
    });
  }
}

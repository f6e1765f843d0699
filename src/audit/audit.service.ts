import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, Like } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { Clock } from '../common/clock.js';
import { parseMoment } from '../common/dates.js';
import { isPostgres, raw } from '../database/raw.js';
import { Transactions } from '../database/transactions.js';
import { sealAuditLog } from './audit-chain.js';
import { AuditLog } from './audit-log.entity.js';

export interface AuditEntry {
  action: string;
  entityType?: string;
  entityId?: number | null;
  townshipId?: number | null;
  villageId?: number | null;
  details?: Record<string, unknown>;
}

/** The system itself (seeds, scheduled closing), or a visitor who is not logged in (a failed login names the account tried). */
export interface OtherActor {
  kind: 'system' | 'anonymous';
  name: string;
  ip: string | null;
}

export const SYSTEM: OtherActor = { kind: 'system', name: '系统', ip: null };

function actorName(actor: Actor | OtherActor): string {
  if (actor.kind === 'user') return `${actor.displayName}(${actor.username})`;
  if (actor.kind === 'household') return `${actor.displayName}(${actor.code})`;
  return actor.name;
}

/** The entry's details, with the proxy (亲属代办) named when one acted for a household. */
function auditDetails(actor: Actor | OtherActor, details: AuditEntry['details']): string | null {
  const proxy = actor.kind === 'household' && actor.proxy ? { byProxy: actor.proxy } : {};
  return details || proxy.byProxy ? JSON.stringify({ ...(details ?? {}), ...proxy }) : null;
}

/** 操作日志: every write by a person goes through here, inside the same transaction as the write when there is one. */
@Injectable()
export class AuditService implements OnModuleDestroy {
  /** The chaining of new rows, one second after a write (rows are written unchained so no write waits on it). */
  private sealing: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
  ) {}

  async record(actor: Actor | OtherActor, entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const row: Partial<AuditLog> = {
      actorType: actor.kind.toUpperCase(),
      actorId: actor.kind === 'user' || actor.kind === 'household' ? actor.id : null,
      actorName: actorName(actor).slice(0, 60),
      action: entry.action,
      entityType: entry.entityType ?? null,
      entityId: entry.entityId ?? null,
      townshipId: entry.townshipId ?? null,
      villageId: entry.villageId ?? null,
      details: auditDetails(actor, entry.details),
      ip: actor.ip,
    };
    // A plain INSERT (every write makes one), dated by the clock as the database would (SQLite: UTC text).
    const now = this.clock.now();
    const insert = (m: EntityManager) =>
      raw(
        m,
        `INSERT INTO audit_log ("actorType", "actorId", "actorName", action, "entityType", "entityId", "townshipId",
          "villageId", details, ip, "createdAt") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          row.actorType,
          row.actorId,
          row.actorName,
          row.action,
          row.entityType,
          row.entityId,
          row.townshipId,
          row.villageId,
          row.details,
          row.ip,
          isPostgres(m) ? now : now.toISOString().replace('T', ' ').slice(0, 19),
        ],
      );
    if (manager) await insert(manager);
    else await this.transactions.run(insert);
    this.sealSoon();
  }

  /**
   * 操作日志, newest first. `within` limits it to a township (its own rows and its villages') or a village; the other
   * filters narrow by village, person (part of the name), action (a code or its prefix) and China days.
   */
  async list(filter: {
    within?: { townshipId: number; villageIds: number[] } | { villageId: number };
    villageId?: number;
    person?: string;
    action?: string;
    from?: string;
    to?: string;
    page: number;
    pageSize: number;
  }) {
    const qb = this.dataSource.getRepository(AuditLog).createQueryBuilder('a').orderBy('a.id', 'DESC');
    const within = filter.within;
    if (within && 'townshipId' in within)
      qb.andWhere('(a.townshipId = :t OR a.villageId IN (:...vs))', {
        t: within.townshipId,
        vs: [-1, ...within.villageIds],
      });
    if (within && 'villageId' in within) qb.andWhere('a.villageId = :own', { own: within.villageId });
    if (filter.villageId) qb.andWhere('a.villageId = :v', { v: filter.villageId });
    if (filter.person) qb.andWhere('a.actorName LIKE :person', { person: `%${filter.person}%` });
    if (filter.action)
      qb.andWhere('(a.action = :action OR a.action LIKE :prefix)', {
        action: filter.action,
        prefix: `${filter.action}.%`,
      });
    const at = (day: string, plus: number) => {
      const d = new Date(`${day}T00:00:00+08:00`);
      d.setUTCDate(d.getUTCDate() + plus);
      // SQLite keeps these timestamps as UTC text; PostgreSQL compares real timestamps.
      return this.dataSource.options.type === 'postgres' ? d : d.toISOString().replace('T', ' ').slice(0, 19);
    };
    if (filter.from) qb.andWhere('a.createdAt >= :from', { from: at(filter.from, 0) });
    if (filter.to) qb.andWhere('a.createdAt < :to', { to: at(filter.to, 1) });
    const [items, total] = await qb
      .skip((filter.page - 1) * filter.pageSize)
      .take(filter.pageSize)
      .getManyAndCount();
    return { items, total };
  }

  /**
   * The first entry of an action in a village whose details hold `"key":"value"` (an import names its file there),
   * read in the caller's transaction; null when there is none.
   */
  firstWith(
    manager: EntityManager,
    where: { action: string; villageId: number; key: string; value: string },
  ): Promise<AuditLog | null> {
    return manager.findOne(AuditLog, {
      where: {
        action: where.action,
        villageId: where.villageId,
        details: Like(`%"${where.key}":"${where.value}"%`),
      },
      order: { id: 'ASC' },
    });
  }

  /** What people acting for the household (亲属代办) did in its name, newest first: the household sees it. */
  async proxyActionsFor(villageId: number, householdId: number, limit = 20): Promise<AuditLog[]> {
    return this.dataSource
      .getRepository(AuditLog)
      .createQueryBuilder('a')
      .where('a.villageId = :villageId AND a.actorType = :type AND a.actorId = :householdId', {
        villageId,
        type: 'HOUSEHOLD',
        householdId,
      })
      .andWhere('a.details LIKE :proxy', { proxy: '%"byProxy"%' })
      .orderBy('a.id', 'DESC')
      .take(limit)
      .getMany();
  }

  /** Chains the rows written since the last time (also run by ledger:verify and backups before they read it). */
  async seal(): Promise<number> {
    return this.transactions.run((manager) => sealAuditLog(manager));
  }

  private sealSoon(): void {
    if (this.sealing || this.closed) return;
    this.sealing = setTimeout(() => {
      this.sealing = null;
      if (this.closed) return;
      this.seal().catch((error: unknown) =>
        new Logger('操作日志').warn(
          `操作日志上链失败：${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }, 1000);
    this.sealing.unref();
  }

  onModuleDestroy(): void {
    this.closed = true;
    if (this.sealing) clearTimeout(this.sealing);
  }

  async actions(): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(AuditLog)
      .createQueryBuilder('a')
      .select('DISTINCT a.action', 'action')
      .orderBy('action', 'ASC')
      .getRawMany<{ action: string }>();
    return rows.map((r) => r.action);
  }

  /** When each village's log last had a line (ISO text), for the township's 最近操作. */
  async lastActivityByVillage(villageIds: number[]): Promise<Map<number, string | null>> {
    if (villageIds.length === 0) return new Map();
    const rows = await this.dataSource
      .createQueryBuilder()
      .select('a.villageId', 'villageId')
      .addSelect('MAX(a.createdAt)', 'n')
      .from(AuditLog, 'a')
      .where('a.villageId IN (:...ids)', { ids: villageIds })
      .groupBy('a.villageId')
      .getRawMany();
    return new Map(rows.map((r) => [Number(r.villageId), parseMoment(r.n)?.toISOString() ?? null]));
  }
}

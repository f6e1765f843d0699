import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService, SYSTEM } from '../audit/audit.service.js';
import { todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { Transactions } from '../database/transactions.js';
import { Household } from '../households/household.entity.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { Village } from '../villages/village.entity.js';
import { ResetSettingsDto } from './dto/supermarket.dto.js';
import { isYearlyDay, lastOccurrence, nextReset, resetNotice } from './reset-dates.js';

/** The scheduled job's name in Nest's SchedulerRegistry (the tests stop it and call `runDue` themselves). */
export const RESET_JOB = 'supermarket.points-reset';

export interface ResetNotice {
  on: string;
  keep: number;
}

/**
 * 清零: a village may let available points above a kept amount expire once a year. Earned points never expire.
 * Households see the coming reset in their passbook for 30 days before it.
 */
@Injectable()
export class PointsResetService implements OnApplicationShutdown {
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  /** Due resets are looked for every ten minutes. */
  @Interval(RESET_JOB, 10 * 60_000)
  scheduled(): void {
    this.running = this.runDue().catch(() => undefined);
  }

  /** The schedule stops its timer on shutdown; a reset already under way finishes first. */
  async onApplicationShutdown(): Promise<void> {
    await this.running;
  }

  /**
   * Turning the reset on (or moving its day) settles every day up to today: the first reset is the next one ahead,
   * never one that passed before households could be told.
   */
  async updateSettings(actor: Actor, villageId: number, dto: ResetSettingsDto): Promise<Village> {
    if (!isYearlyDay(dto.resetOn))
      throw DomainError.validation({ resetOn: '请选择每年都有的日期（不能是 2 月 29 日）' });
    const village = await this.dataSource.getRepository(Village).findOneBy({ id: villageId });
    if (!village) throw DomainError.notFound('村');
    assertInScope(actor, { townshipId: village.townshipId, villageId });
    const today = todayInChina();
    const settle = dto.resetEnabled && (!village.resetEnabled || village.resetOn !== dto.resetOn);
    const lastResetOn = settle ? lastOccurrence(dto.resetOn, today) : village.lastResetOn;
    return this.transactions.run(async (manager) => {
      await manager.update(
        Village,
        { id: villageId },
        { resetEnabled: dto.resetEnabled, resetOn: dto.resetOn, resetKeep: dto.resetKeep, lastResetOn },
      );
      this.transactions.changed(manager, { villageIds: [villageId] });
      await this.audit.record(
        actor,
        {
          action: 'village.reset-settings',
          entityType: 'village',
          entityId: villageId,
          villageId,
          details: { ...dto },
        },
        manager,
      );
      return manager.findOneByOrFail(Village, { id: villageId });
    });
  }

  /** The coming reset, when the village has one within the notice period. */
  notice(village: Village, today = todayInChina()): ResetNotice | null {
    return resetNotice(village, today);
  }

  /** Carries out every reset that is due by `today`. Returns the villages reset. Safe to run from two servers. */
  async runDue(today = todayInChina()): Promise<number[]> {
    const villages = await this.dataSource.getRepository(Village).findBy({ resetEnabled: true });
    const done: number[] = [];
    for (const village of villages) {
      const on = nextReset(village.resetOn, village.lastResetOn, today);
      if (on <= today && (await this.reset(village.id, on))) done.push(village.id);
    }
    return done;
  }

  private async reset(villageId: number, on: string): Promise<boolean> {
    return this.transactions.run(async (manager) => {
      await this.ledger.lockBook(manager, villageId);
      // Guarded: of two servers (or two ticks) only one moves lastResetOn past this day and resets.
      const claimed = await manager
        .createQueryBuilder()
        .update(Village)
        .set({ lastResetOn: on })
        .where('id = :id AND "resetEnabled" = :on', { id: villageId, on: true })
        .andWhere('("lastResetOn" IS NULL OR "lastResetOn" < :day)', { day: on })
        .execute();
      if (claimed.affected !== 1) return false;
      const village = await manager.findOneByOrFail(Village, { id: villageId });
      const over = await manager
        .createQueryBuilder(Household, 'h')
        .select(['h.id', 'h.available'])
        .where('h.villageId = :villageId AND h.available > :keep', { villageId, keep: village.resetKeep })
        .orderBy('h.id', 'ASC')
        .getMany();
      let expired = 0;
      for (const h of over) {
        const amount = village.resetKeep - h.available;
        await this.ledger.append(manager, {
          householdId: h.id,
          amount,
          kind: 'RESET',
          description: `${on} 年度清零：可用积分保留 ${village.resetKeep} 分（累计积分不变）`,
          occurredOn: on,
          refType: 'village',
          refId: villageId,
        });
        expired -= amount;
      }
      this.transactions.changed(manager, { villageIds: [villageId] });
      await this.audit.record(
        SYSTEM,
        {
          action: 'points.reset',
          entityType: 'village',
          entityId: villageId,
          villageId,
          details: { on, keep: village.resetKeep, households: over.length, expiredPoints: expired },
        },
        manager,
      );
      return true;
    });
  }
}

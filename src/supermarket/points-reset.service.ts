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
import { HouseholdsService } from '../households/households.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { scopeOfVillage } from '../villages/scope-of-village.js';
import { ResetSettingsDto } from './dto/supermarket.dto.js';
import { isYearlyDay, lastOccurrence, nextReset, resetNotice, type ResetSettings } from './reset-dates.js';
import { NoticesService } from '../notices/notices.service.js';
import { noticeText } from '../notices/notice-texts.js';
import { SupermarketSettingsService } from './supermarket-settings.service.js';

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
    private readonly settings: SupermarketSettingsService,
    private readonly notices: NoticesService,
    private readonly households: HouseholdsService,
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
  async updateSettings(
    actor: Actor,
    villageId: number,
    dto: ResetSettingsDto,
  ): Promise<ResetSettings & { villageId: number }> {
    if (!isYearlyDay(dto.resetOn))
      throw DomainError.validation({ resetOn: '请选择每年都有的日期（不能是 2 月 29 日）' });
    assertInScope(actor, await scopeOfVillage(this.dataSource.manager, villageId));
    const before = await this.settings.reset(villageId, { fresh: true });
    const today = todayInChina();
    const settle = dto.resetEnabled && (!before.resetEnabled || before.resetOn !== dto.resetOn);
    const lastResetOn = settle ? lastOccurrence(dto.resetOn, today) : before.lastResetOn;
    return this.transactions.run(async (manager) => {
      const saved = {
        resetEnabled: dto.resetEnabled,
        resetOn: dto.resetOn,
        resetKeep: dto.resetKeep,
        lastResetOn,
      };
      await this.settings.saveReset(manager, villageId, saved);
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
      return { villageId, ...saved };
    });
  }

  /** The village's reset settings, as the settings page shows them. */
  settingsOf(villageId: number): Promise<ResetSettings> {
    return this.settings.reset(villageId, { fresh: true });
  }

  /** The coming reset, when the village has one within the notice period. */
  notice(villageId: number, today = todayInChina()): Promise<ResetNotice | null> {
    return this.settings.resetNotice(villageId, today);
  }

  /** Carries out every reset that is due by `today`. Returns the villages reset. Safe to run from two servers. */
  async runDue(today = todayInChina()): Promise<number[]> {
    const done: number[] = [];
    for (const villageId of await this.settings.resetVillages()) {
      const settings = await this.settings.reset(villageId, { fresh: true });
      const on = nextReset(settings.resetOn, settings.lastResetOn, today);
      const coming = resetNotice(settings, today);
      if (coming && coming.on > today) await this.warn(villageId, coming);
      if (on <= today && (await this.reset(villageId, on))) done.push(villageId);
    }
    return done;
  }

  /** Within 30 days of a reset: each household with points that would lapse gets one notice for that reset. */
  private async warn(villageId: number, coming: ResetNotice): Promise<void> {
    // Once per reset and village (this runs every ten minutes): told when the first household over the kept amount
    // already has its notice, found by the notice's exact key.
    const [first] = await this.households.availableAbove(villageId, coming.keep, { limit: 1 });
    if (!first || (await this.notices.exists(`reset:${villageId}:${coming.on}:${first.id}`))) return;
    const over = await this.households.availableAbove(villageId, coming.keep);
    await this.transactions.run((manager) =>
      this.notices.add(
        manager,
        over.map((h) => ({
          villageId,
          householdId: h.id,
          kind: 'POINTS_EXPIRING' as const,
          text: noticeText.expiring(coming.on, h.available, coming.keep),
          eventKey: `reset:${villageId}:${coming.on}:${h.id}`,
        })),
      ),
    );
  }

  private async reset(villageId: number, on: string): Promise<boolean> {
    return this.transactions.run(async (manager) => {
      await this.ledger.lockBook(manager, villageId);
      if (!(await this.settings.claimReset(manager, villageId, on))) return false;
      const { resetKeep } = await this.settings.reset(villageId, { manager });
      const over = await this.households.availableAbove(villageId, resetKeep, { manager });
      let expired = 0;
      for (const h of over) {
        const amount = resetKeep - h.available;
        await this.ledger.append(manager, {
          householdId: h.id,
          amount,
          kind: 'RESET',
          description: `${on} 年度清零：可用积分保留 ${resetKeep} 分（累计积分不变）`,
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
          details: { on, keep: resetKeep, households: over.length, expiredPoints: expired },
        },
        manager,
      );
      return true;
    });
  }
}

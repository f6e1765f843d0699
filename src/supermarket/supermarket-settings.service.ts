import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { todayInChina } from '../common/dates.js';
import { raw } from '../database/raw.js';
import { ReadCache } from '../database/read-cache.js';
import { resetNotice, type ResetSettings } from './reset-dates.js';
import { SupermarketSettings } from './supermarket-settings.entity.js';

/** What a village without a settings row has: the table's defaults. */
const DEFAULTS: ResetSettings = { resetEnabled: false, resetOn: '12-31', resetKeep: 0, lastResetOn: null };

/** The supermarket's own row per village: the yearly reset's settings and the receipt counter. */
@Injectable()
export class SupermarketSettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: ReadCache,
  ) {}

  /** The village's reset settings; kept in the read cache (passbooks ask) unless `fresh`, or read in `manager`. */
  async reset(
    villageId: number,
    options: { fresh?: boolean; manager?: EntityManager } = {},
  ): Promise<ResetSettings> {
    const read = async (): Promise<ResetSettings> => {
      const row = await (options.manager ?? this.dataSource.manager).findOneBy(SupermarketSettings, {
        villageId,
      });
      return row
        ? {
            resetEnabled: row.resetEnabled,
            resetOn: row.resetOn,
            resetKeep: row.resetKeep,
            lastResetOn: row.lastResetOn,
          }
        : { ...DEFAULTS };
    };
    return options.fresh || options.manager
      ? read()
      : this.cache.get(`supermarket-settings:${villageId}`, { villageIds: [villageId] }, read);
  }

  /** Every column but the key, per village (the village list shows them); defaults for a village without a row. */
  async forVillages(villageIds: number[]): Promise<Map<number, Omit<SupermarketSettings, 'villageId'>>> {
    const rows = villageIds.length
      ? await this.dataSource.getRepository(SupermarketSettings).findBy({ villageId: In(villageIds) })
      : [];
    const byVillage = new Map(rows.map(({ villageId, ...values }) => [villageId, values]));
    return new Map(
      villageIds.map((id) => [id, byVillage.get(id) ?? { receiptDay: '', receiptSeq: 0, ...DEFAULTS }]),
    );
  }

  /** The coming 清零, when the village has one within the notice period (the passbook tells households). */
  async resetNotice(villageId: number, today = todayInChina()) {
    return resetNotice(await this.reset(villageId), today);
  }

  /** Writes the reset settings in `manager`'s transaction (the row is made on first use). */
  async saveReset(manager: EntityManager, villageId: number, settings: ResetSettings): Promise<void> {
    await manager.upsert(SupermarketSettings, { villageId, ...settings }, ['villageId']);
  }

  /** The villages whose reset is on. */
  async resetVillages(): Promise<number[]> {
    const rows = await this.dataSource.getRepository(SupermarketSettings).find({
      select: { villageId: true },
      where: { resetEnabled: true },
    });
    return rows.map((r) => r.villageId);
  }

  /**
   * Claims the reset of `on` for the village: of two servers (or two ticks) only one moves lastResetOn past this day.
   * True when this caller claimed it.
   */
  async claimReset(manager: EntityManager, villageId: number, on: string): Promise<boolean> {
    const claimed = await manager
      .createQueryBuilder()
      .update(SupermarketSettings)
      .set({ lastResetOn: on })
      .where('"villageId" = :id AND "resetEnabled" = :on', { id: villageId, on: true })
      .andWhere('("lastResetOn" IS NULL OR "lastResetOn" < :day)', { day: on })
      .execute();
    return claimed.affected === 1;
  }

  /**
   * The next receipt number of the village's China day (YYYYMMDD): the counter starts again at 1 on a new day. One
   * guarded statement, inside the redemption's transaction.
   */
  async nextReceipt(manager: EntityManager, villageId: number, day: string): Promise<number> {
    const [row] = await raw<{ receiptSeq: number }>(
      manager,
      `INSERT INTO supermarket_settings ("villageId", "receiptDay", "receiptSeq") VALUES ($1, $2, 1)
        ON CONFLICT ("villageId") DO UPDATE SET
          "receiptSeq" = CASE WHEN supermarket_settings."receiptDay" = excluded."receiptDay"
            THEN supermarket_settings."receiptSeq" + 1 ELSE 1 END,
          "receiptDay" = excluded."receiptDay"
        RETURNING "receiptSeq"`,
      [villageId, day],
    );
    return Number(row.receiptSeq);
  }
}

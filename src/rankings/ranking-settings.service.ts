import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { ReadCache } from '../database/read-cache.js';
import { RankingSettings } from './ranking-settings.entity.js';

/** A village's list and star settings as rankings use them. */
export type RankingSettingsValues = Omit<RankingSettings, 'villageId'>;

/** What a village without a settings row has: the table's defaults. */
const DEFAULTS: RankingSettingsValues = {
  starThresholds: '50,100,200,300,500',
  blackListMode: 'NAMED',
  redListSize: 10,
};

/** Rankings' own row per village: star thresholds, how the black list shows, how many the red list proposes. */
@Injectable()
export class RankingSettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: ReadCache,
  ) {}

  /** The village's settings; kept in the read cache unless `fresh` (what is signed or frozen from them). */
  get(villageId: number, options: { fresh?: boolean } = {}): Promise<RankingSettingsValues> {
    const read = async (): Promise<RankingSettingsValues> => {
      const row = await this.dataSource.getRepository(RankingSettings).findOneBy({ villageId });
      return row
        ? {
            starThresholds: row.starThresholds,
            blackListMode: row.blackListMode,
            redListSize: row.redListSize,
          }
        : { ...DEFAULTS };
    };
    return options.fresh
      ? read()
      : this.cache.get(`ranking-settings:${villageId}`, { villageIds: [villageId] }, read);
  }

  /** The settings per village (the village list shows them); defaults for a village without a row. */
  async forVillages(villageIds: number[]): Promise<Map<number, RankingSettingsValues>> {
    const rows = villageIds.length
      ? await this.dataSource.getRepository(RankingSettings).findBy({ villageId: In(villageIds) })
      : [];
    const byVillage = new Map(rows.map(({ villageId, ...values }) => [villageId, values]));
    return new Map(villageIds.map((id) => [id, byVillage.get(id) ?? { ...DEFAULTS }]));
  }

  /** Writes the settings in `manager`'s transaction (the row is made on first use). */
  async save(manager: EntityManager, villageId: number, values: RankingSettingsValues): Promise<void> {
    await manager.upsert(RankingSettings, { villageId, ...values }, ['villageId']);
  }
}

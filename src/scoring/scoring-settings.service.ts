import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { ScoringSettings } from './scoring-settings.entity.js';

export const COUNCIL_QUORUM_DEFAULT = 5;

/**
 * Scoring's own row per village: may villagers declare their own good deeds (申报)? A village without a row has the
 * default (yes). In a module of its own so that the village pages, below scoring, can ask it too.
 */
@Injectable()
export class ScoringSettingsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Read in `manager`'s transaction when given. */
  async declarationsEnabled(villageId: number, manager?: EntityManager): Promise<boolean> {
    const row = await (manager ?? this.dataSource.manager).findOneBy(ScoringSettings, { villageId });
    return row?.declarationsEnabled ?? true;
  }

  /** Per village (the village list shows it). */
  async forVillages(villageIds: number[]): Promise<Map<number, { declarationsEnabled: boolean }>> {
    const rows = villageIds.length
      ? await this.dataSource.getRepository(ScoringSettings).findBy({ villageId: In(villageIds) })
      : [];
    const byVillage = new Map(rows.map((r) => [r.villageId, r.declarationsEnabled]));
    return new Map(villageIds.map((id) => [id, { declarationsEnabled: byVillage.get(id) ?? true }]));
  }

  /** 道德评议会: how many members must vote on a record (default 5). Read in `manager`'s transaction when given. */
  async councilQuorum(villageId: number, manager?: EntityManager): Promise<number> {
    const row = await (manager ?? this.dataSource.manager).findOneBy(ScoringSettings, { villageId });
    return row?.councilQuorum ?? COUNCIL_QUORUM_DEFAULT;
  }

  /** 道德评议会: does 公示 show the voters' names (default no)? Read in `manager`'s transaction when given. */
  async councilShowNames(villageId: number, manager?: EntityManager): Promise<boolean> {
    const row = await (manager ?? this.dataSource.manager).findOneBy(ScoringSettings, { villageId });
    return row?.councilShowNames ?? false;
  }

  /** The villages among these that show the council's voters in 公示. */
  async villagesShowingVoters(villageIds: number[]): Promise<Set<number>> {
    if (villageIds.length === 0) return new Set();
    const rows = await this.dataSource
      .getRepository(ScoringSettings)
      .findBy({ villageId: In([...new Set(villageIds)]), councilShowNames: true });
    return new Set(rows.map((r) => r.villageId));
  }

  async setCouncilShowNames(manager: EntityManager, villageId: number, show: boolean): Promise<void> {
    await manager.upsert(ScoringSettings, { villageId, councilShowNames: show }, ['villageId']);
  }

  async setCouncilQuorum(manager: EntityManager, villageId: number, quorum: number): Promise<void> {
    await manager.upsert(ScoringSettings, { villageId, councilQuorum: quorum }, ['villageId']);
  }

  async setDeclarations(manager: EntityManager, villageId: number, enabled: boolean): Promise<void> {
    await manager.upsert(ScoringSettings, { villageId, declarationsEnabled: enabled }, ['villageId']);
  }
}

import type { DataSource } from 'typeorm';
import type { ReadCache } from '../database/read-cache.js';
import { Village } from './village.entity.js';

/**
 * A village's row as pages read it (name, settings, thresholds), kept in the read cache until a write in the village.
 * Not for writes: a transaction reads the row itself.
 */
export function keptVillage(cache: ReadCache, dataSource: DataSource, id: number): Promise<Village | null> {
  return cache.get(`village:${id}`, { villageIds: [id] }, () =>
    dataSource.getRepository(Village).findOneBy({ id }),
  );
}

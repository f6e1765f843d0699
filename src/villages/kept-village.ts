import type { DataSource } from 'typeorm';
import type { ReadCache } from '../database/read-cache.js';
import { Village } from './village.entity.js';

/**
 * A village's row as pages read it (name, settings, thresholds), kept in the read cache until a write in the village;
 * with `fresh`, read from the database (for what is frozen or signed from it). Not for writes: a transaction reads
 * the row itself.
 */
export function keptVillage(
  cache: ReadCache,
  dataSource: DataSource,
  id: number,
  options: { fresh?: boolean } = {},
): Promise<Village | null> {
  const read = () => dataSource.getRepository(Village).findOneBy({ id });
  return options.fresh ? read() : cache.get(`village:${id}`, { villageIds: [id] }, read);
}

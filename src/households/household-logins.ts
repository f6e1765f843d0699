import type { DataSource } from 'typeorm';
import { raw } from '../database/raw.js';
import { Household } from './household.entity.js';

/**
 * What a household's login reads of `household` and `household_proxy`, for `auth/`: the household by its code, the
 * fields a session or token needs (read on every villager request: one plain query), and the proxies (亲属代办) acting
 * for it. The tables are the households feature's.
 */
export interface HouseholdLoginRow {
  id: number;
  code: string;
  headName: string;
  pinVersion: number;
  villageId: number;
}

export interface ActingProxy {
  id: number;
  name: string;
}

/** The household with this code, with its PIN hash. */
export function householdByCode(db: DataSource, code: string): Promise<Household | null> {
  return db.getRepository(Household).findOneBy({ code });
}

/** What a household's session or token needs of it. */
export async function householdLogin(db: DataSource, id: number): Promise<HouseholdLoginRow | null> {
  const [row] = await raw<HouseholdLoginRow>(
    db,
    `SELECT id, code, "headName", "pinVersion", "villageId" FROM household WHERE id = $1`,
    [id],
  );
  return row ?? null;
}

/** The household's proxies still acting, with their PIN hashes (a household names at most a few). */
export async function actingProxiesWithPins(
  db: DataSource,
  householdId: number,
): Promise<(ActingProxy & { pinHash: string })[]> {
  const rows = await raw<ActingProxy & { pinHash: string }>(
    db,
    `SELECT id, name, "pinHash" FROM household_proxy WHERE "householdId" = $1 AND "endedAt" IS NULL ORDER BY id`,
    [householdId],
  );
  return rows.map((p) => ({ id: Number(p.id), name: p.name, pinHash: p.pinHash }));
}

/** A proxy still acting for the household, or null once the committee ended it. */
export async function actingProxy(
  db: DataSource,
  householdId: number,
  proxyId: number,
): Promise<ActingProxy | null> {
  const [p] = await raw<ActingProxy>(
    db,
    `SELECT id, name FROM household_proxy WHERE id = $1 AND "householdId" = $2 AND "endedAt" IS NULL`,
    [proxyId, householdId],
  );
  return p ? { id: Number(p.id), name: p.name } : null;
}

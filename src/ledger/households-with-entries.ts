import type { EntityManager } from 'typeorm';
import { raw } from '../database/raw.js';

/**
 * The households of a village that have any passbook entry, read in the caller's transaction (a plain function:
 * households' import asks it through scoring/openings.ts, inside its own transaction).
 */
export async function householdsWithEntries(manager: EntityManager, villageId: number): Promise<Set<number>> {
  const rows = await raw<{ householdId: number }>(
    manager,
    'SELECT DISTINCT "householdId" FROM ledger_entry WHERE "villageId" = $1 AND "householdId" IS NOT NULL',
    [villageId],
  );
  return new Set(rows.map((e) => Number(e.householdId)));
}

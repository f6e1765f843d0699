import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../access/actor.js';
import { todayInChina } from '../common/dates.js';
import { insertRow, raw } from '../database/raw.js';
import { householdsWithEntries } from '../ledger/households-with-entries.js';
import { carryOverRule, ruleIdByCode } from '../rules/carry-over-rule.js';
import { ScoreRecord } from './score-record.entity.js';

/**
 * 期初积分 (points carried over from a paper passbook) travel the path of any record: recorded PENDING by one committee
 * member under the village's carry-over rule, approved by another, publicised, then posted as an OPENING entry
 * (earned, but in no period's ranking). The rule is the village's own, kept inactive so that nobody records or
 * declares under it by hand; its code cannot be typed into the rule form (codes there are letters and digits).
 */
export const OPENING_RULE_CODE = '期初结转';
export const OPENING_TITLE = '期初积分（纸质台账结转）';

/** Records that are still on their way to a passbook or already in it (a rejected or revoked one can be made again). */
const LIVE = `('PENDING', 'APPROVED', 'PUBLICIZING', 'OBJECTED', 'POSTED')`;

/** Households of the village that may not get an opening balance: they have passbook entries, or one already. */
export async function householdsNotNew(
  manager: EntityManager,
  villageId: number,
): Promise<{ withEntries: Set<number>; withOpening: Set<number> }> {
  const withEntries = await householdsWithEntries(manager, villageId);
  const ruleId = await ruleIdByCode(manager, villageId, OPENING_RULE_CODE);
  const openings =
    ruleId === null
      ? []
      : await raw<{ householdId: number }>(
          manager,
          `SELECT "householdId" FROM score_record WHERE "villageId" = $1 AND "ruleId" = $2 AND status IN ${LIVE}`,
          [villageId, ruleId],
        );
  return {
    withEntries,
    withOpening: new Set(openings.map((e) => Number(e.householdId))),
  };
}

/** One PENDING record per household under the village's carry-over rule, in the caller's transaction. */
export async function recordOpenings(
  manager: EntityManager,
  actor: StaffActor,
  villageId: number,
  cap: number,
  rows: { householdId: number; amount: number }[],
): Promise<ScoreRecord[]> {
  const { rule, version } = await carryOverRule(
    manager,
    { villageId, code: OPENING_RULE_CODE, category: '其他', title: OPENING_TITLE, cap },
    actor.id,
  );
  const today = todayInChina();
  const records: ScoreRecord[] = [];
  for (const row of rows)
    records.push(
      await insertRow(manager, ScoreRecord, {
        villageId,
        householdId: row.householdId,
        ruleId: rule.id,
        ruleVersionId: version.id,
        points: row.amount,
        occurredOn: today,
        note: OPENING_TITLE,
        status: 'PENDING',
        recordedBy: actor.id,
      }),
    );
  return records;
}

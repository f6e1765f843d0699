import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../access/actor.js';
import { todayInChina } from '../common/dates.js';
import { insertRow, raw } from '../database/raw.js';
import { ScoringRuleVersion } from '../rules/scoring-rule-version.entity.js';
import { ScoringRule } from '../rules/scoring-rule.entity.js';
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
  const entries = await raw<{ householdId: number }>(
    manager,
    'SELECT DISTINCT "householdId" FROM ledger_entry WHERE "villageId" = $1',
    [villageId],
  );
  const openings = await raw<{ householdId: number }>(
    manager,
    `SELECT r."householdId" FROM score_record r JOIN scoring_rule rule ON rule.id = r."ruleId"
      WHERE r."villageId" = $1 AND rule.code = $2 AND r.status IN ${LIVE}`,
    [villageId, OPENING_RULE_CODE],
  );
  return {
    withEntries: new Set(entries.map((e) => Number(e.householdId))),
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
  const { rule, version } = await openingRule(manager, villageId, cap, actor.id);
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

/** The village's carry-over rule, made the first time it is needed; a new version when the township's cap changed. */
async function openingRule(manager: EntityManager, villageId: number, cap: number, by: number) {
  let rule = await manager.findOneBy(ScoringRule, { villageId, code: OPENING_RULE_CODE });
  if (!rule) {
    rule = await manager.save(
      manager.create(ScoringRule, {
        villageId,
        townshipId: null,
        code: OPENING_RULE_CODE,
        category: '其他',
        title: OPENING_TITLE,
        minPoints: 1,
        maxPoints: cap,
        version: 1,
        active: false,
      }),
    );
  } else if (rule.maxPoints !== cap) {
    rule.maxPoints = cap;
    rule.version += 1;
    await manager.save(rule);
  }
  let version = await manager.findOneBy(ScoringRuleVersion, { ruleId: rule.id, version: rule.version });
  if (!version)
    version = await manager.save(
      manager.create(ScoringRuleVersion, {
        ruleId: rule.id,
        version: rule.version,
        title: rule.title,
        minPoints: rule.minPoints,
        maxPoints: rule.maxPoints,
        createdBy: by,
      }),
    );
  return { rule, version };
}

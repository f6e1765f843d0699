import type { EntityManager } from 'typeorm';
import { ScoringRuleVersion } from './scoring-rule-version.entity.js';
import { ScoringRule } from './scoring-rule.entity.js';

/**
 * A village's own rule kept by the code (not the rule form) for what is recorded by machine, such as 期初积分 carried
 * over from paper (scoring/openings.ts): inactive, so that nobody records or declares under it by hand. Plain
 * functions taking the caller's `manager`, as households' import calls them inside its transaction.
 */
export interface CarryOverRule {
  villageId: number;
  code: string;
  category: ScoringRule['category'];
  title: string;
  /** Its points run from 1 to this. */
  cap: number;
}

/** The id of the village's rule with this code, or null when the village has none. */
export async function ruleIdByCode(
  manager: EntityManager,
  villageId: number,
  code: string,
): Promise<number | null> {
  const rule = await manager.findOne(ScoringRule, { where: { villageId, code }, select: { id: true } });
  return rule?.id ?? null;
}

/** The rule and its current version, made the first time it is needed; a new version when the cap changed. */
export async function carryOverRule(
  manager: EntityManager,
  wanted: CarryOverRule,
  by: number,
): Promise<{ rule: ScoringRule; version: ScoringRuleVersion }> {
  const { villageId, code, cap } = wanted;
  let rule = await manager.findOneBy(ScoringRule, { villageId, code });
  if (!rule) {
    rule = await manager.save(
      manager.create(ScoringRule, {
        villageId,
        townshipId: null,
        code,
        category: wanted.category,
        title: wanted.title,
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

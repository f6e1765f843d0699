import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { can, Permission } from '../access/permissions.js';
import { assertInScope, ScopeTarget } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { definedOnly } from '../common/objects.js';
import { raw } from '../database/raw.js';
import { scopeOf, villageScope } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import { TownshipsService } from '../townships/townships.service.js';
import { VillagesService } from '../villages/villages.service.js';
import { CreateRuleDto, UpdateRuleDto } from './dto/rule.dto.js';
import { pointsRange } from './rule-points.js';
import { ScoringRuleVersion } from './scoring-rule-version.entity.js';
import { RULE_CATEGORIES, ScoringRule } from './scoring-rule.entity.js';

export type RuleView = ReturnType<typeof ruleView>;

/** A village's list is the committee's to keep (after the villagers' vote); a template list is the township's. */
function assertMayEdit(actor: Actor, owner: ScopeTarget): void {
  const mayEdit = can(
    actor,
    owner.villageId ? Permission.ScoringRule.EditVillage : Permission.ScoringRule.EditTemplate,
  );
  if (!mayEdit)
    throw DomainError.forbidden(owner.villageId ? '村的积分细则由村两委维护' : '模板细则由乡镇维护');
  assertInScope(actor, owner);
}

/** A rule as the API and pages show it: `points` when fixed, null for a range. */
export function ruleView(rule: ScoringRule) {
  return {
    id: rule.id,
    villageId: rule.villageId,
    townshipId: rule.townshipId,
    code: rule.code,
    category: rule.category,
    title: rule.title,
    points: rule.minPoints === rule.maxPoints ? rule.minPoints : null,
    minPoints: rule.minPoints,
    maxPoints: rule.maxPoints,
    version: rule.version,
    capCount: rule.capCount,
    capPeriod: rule.capPeriod,
    evidenceRequired: rule.evidenceRequired,
    blackList: rule.blackList,
    needsCouncil: rule.needsCouncil,
    active: rule.active,
  };
}

/** A rule as recording checks it, with the id of its current version (plain row: booleans as the database gives them). */
export interface RuleForRecording {
  id: number;
  villageId: number;
  code: string;
  active: unknown;
  minPoints: number;
  maxPoints: number;
  evidenceRequired: unknown;
  capCount: number | null;
  capPeriod: 'month' | 'year' | null;
  versionId: number | null;
}

/** Rules by category, in the order the documents use; categories with no rule left out. */
export function groupByCategory<T extends { category: string }>(rules: T[]) {
  return RULE_CATEGORIES.map((category) => ({
    category,
    rules: rules.filter((r) => r.category === category),
  })).filter((g) => g.rules.length > 0);
}

/** 积分清单: a village's rules (voted by the 村民代表会议), and townships' template lists that villages copy. */
@Injectable()
export class RulesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly villages: VillagesService,
    private readonly townships: TownshipsService,
  ) {}

  async list(filter: { villageId?: number; townshipId?: number }): Promise<RuleView[]> {
    const where = filter.villageId
      ? { villageId: filter.villageId }
      : { townshipId: filter.townshipId, villageId: IsNull() };
    const rules = await this.dataSource.getRepository(ScoringRule).find({ where, order: { code: 'ASC' } });
    return rules.map(ruleView);
  }

  /** The list grouped by category in the order the documents use, for the page and the notice board. */
  async grouped(filter: { villageId?: number; townshipId?: number }) {
    return groupByCategory(await this.list(filter));
  }

  /**
   * The village's rules in force (active ones, rewards and deductions alike), as anyone may read them, and the day
   * the list took effect: the newest creation date of their current versions (a new rule, new points or a new title
   * each make a version). Retiring a rule or changing its cap makes no version, so those leave the date as it was.
   */
  async inForce(villageId: number): Promise<{ items: RuleView[]; effectiveOn: string | null }> {
    const rules = await this.dataSource
      .getRepository(ScoringRule)
      .find({ where: { villageId, active: true }, order: { code: 'ASC' } });
    const versions = rules.length
      ? await this.dataSource.getRepository(ScoringRuleVersion).find({
          where: { ruleId: In(rules.map((r) => r.id)) },
          select: { ruleId: true, version: true, createdAt: true },
        })
      : [];
    const current = new Map(rules.map((r) => [r.id, r.version]));
    const newest = versions
      .filter((v) => current.get(v.ruleId) === v.version)
      .reduce<Date | null>((max, v) => (!max || v.createdAt > max ? v.createdAt : max), null);
    return { items: rules.map(ruleView), effectiveOn: newest ? todayInChina(newest) : null };
  }

  /** The ids of the village's rules, retired ones included, whose posted records make a black-list candidate. */
  async blackListRuleIds(villageId: number): Promise<number[]> {
    const rules = await this.dataSource
      .getRepository(ScoringRule)
      .find({ where: { villageId, blackList: true }, select: { id: true } });
    return rules.map((r) => r.id);
  }

  async get(actor: Actor, id: number): Promise<ScoringRule> {
    const rule = await this.dataSource.getRepository(ScoringRule).findOneBy({ id });
    if (!rule) throw DomainError.notFound('积分细则');
    assertInScope(actor, await this.scopeOf(this.dataSource.manager, rule));
    return rule;
  }

  async create(actor: Actor, dto: CreateRuleDto): Promise<RuleView> {
    return this.transactions.run((manager) => this.createIn(manager, actor, dto));
  }

  /** Edits a rule. New points or a new title make a new version; records keep the version they were made under. */
  async update(actor: Actor, id: number, dto: UpdateRuleDto): Promise<RuleView> {
    return this.transactions.run((manager) => this.updateIn(manager, actor, id, dto));
  }

  /**
   * A rule added inside the caller's transaction. With `revisionId` it is a filed revision's change: the revision's
   * service has checked that the actor (the township) may file it, so the committee's right to edit is not asked.
   */
  async createIn(
    manager: EntityManager,
    actor: Actor,
    dto: CreateRuleDto,
    filed: { revisionId?: number } = {},
  ): Promise<RuleView> {
    const range = pointsRange(dto);
    if ('error' in range) throw DomainError.validation(range.error);
    if (!!dto.capCount !== !!dto.capPeriod)
      throw DomainError.validation({ capPeriod: '次数上限和周期要一起填写' });
    if (!dto.villageId === !dto.townshipId)
      throw DomainError.validation({ villageId: '请指定村（或乡镇模板）' });
    const target = await this.ownerScope(manager, dto);
    if (filed.revisionId === undefined) assertMayEdit(actor, target);
    const duplicate = await manager.existsBy(
      ScoringRule,
      dto.villageId
        ? { code: dto.code, villageId: dto.villageId }
        : { code: dto.code, villageId: IsNull(), townshipId: dto.townshipId },
    );
    if (duplicate) throw DomainError.duplicate('code', `细则编号 ${dto.code} 已存在`);
    const rule = await manager.save(
      manager.create(ScoringRule, {
        villageId: dto.villageId ?? null,
        townshipId: dto.villageId ? null : (dto.townshipId ?? null),
        code: dto.code,
        category: dto.category,
        title: dto.title,
        minPoints: range.min,
        maxPoints: range.max,
        capCount: dto.capCount ?? null,
        capPeriod: dto.capPeriod ?? null,
        evidenceRequired: dto.evidenceRequired ?? false,
        blackList: dto.blackList ?? false,
        needsCouncil: dto.needsCouncil ?? false,
      }),
    );
    await this.saveVersion(manager, rule, actor);
    this.transactions.changed(manager, scopeOf(target.villageId, target.townshipId));
    await this.audit.record(
      actor,
      this.auditEntry('rule.create', rule, target, { ...ruleView(rule), ...filed }),
      manager,
    );
    return ruleView(rule);
  }

  /** A rule changed inside the caller's transaction; `revisionId` as for `createIn`. */
  async updateIn(
    manager: EntityManager,
    actor: Actor,
    id: number,
    dto: UpdateRuleDto,
    filed: { revisionId?: number } = {},
  ): Promise<RuleView> {
    const rule = await manager.findOneBy(ScoringRule, { id });
    if (!rule) throw DomainError.notFound('积分细则');
    const target = await this.scopeOf(manager, rule);
    if (filed.revisionId === undefined) assertMayEdit(actor, target);
    const pointsGiven =
      dto.points !== undefined || dto.minPoints !== undefined || dto.maxPoints !== undefined;
    const range = pointsGiven ? pointsRange(dto) : { min: rule.minPoints, max: rule.maxPoints };
    if ('error' in range) throw DomainError.validation(range.error);
    const capCount = dto.capCount !== undefined ? dto.capCount : rule.capCount;
    const capPeriod = dto.capPeriod !== undefined ? dto.capPeriod : rule.capPeriod;
    if (!!capCount !== !!capPeriod) throw DomainError.validation({ capPeriod: '次数上限和周期要一起填写' });
    const newVersion =
      range.min !== rule.minPoints ||
      range.max !== rule.maxPoints ||
      (dto.title !== undefined && dto.title !== rule.title);
    const changes = definedOnly({
      category: dto.category,
      title: dto.title,
      capCount: dto.capCount,
      capPeriod: dto.capPeriod,
      evidenceRequired: dto.evidenceRequired,
      blackList: dto.blackList,
      needsCouncil: dto.needsCouncil,
      active: dto.active,
    });
    Object.assign(rule, changes, { minPoints: range.min, maxPoints: range.max });
    if (newVersion) rule.version += 1;
    await manager.save(rule);
    if (newVersion) await this.saveVersion(manager, rule, actor);
    const action =
      dto.active === false ? 'rule.retire' : dto.active === true ? 'rule.activate' : 'rule.update';
    this.transactions.changed(manager, scopeOf(target.villageId, target.townshipId));
    await this.audit.record(
      actor,
      this.auditEntry(action, rule, target, {
        ...changes,
        minPoints: range.min,
        maxPoints: range.max,
        version: rule.version,
        ...filed,
      }),
      manager,
    );
    return ruleView(rule);
  }

  /** Copies a township's template rules into a village; codes the village already has are skipped. */
  async copyTemplates(actor: Actor, villageId: number, ruleIds?: number[]): Promise<RuleView[]> {
    return this.transactions.run(async (manager) => {
      const village = await this.villages.findIn(manager, villageId);
      if (!village) throw DomainError.notFound('村');
      assertInScope(actor, { townshipId: village.townshipId, villageId });
      const templates = await manager.find(ScoringRule, {
        where: {
          townshipId: village.townshipId,
          villageId: IsNull(),
          active: true,
          ...(ruleIds?.length ? { id: In(ruleIds) } : {}),
        },
        order: { code: 'ASC' },
      });
      const existing = new Set(
        (await manager.find(ScoringRule, { where: { villageId }, select: { code: true } })).map(
          (r) => r.code,
        ),
      );
      const copied: ScoringRule[] = [];
      for (const t of templates.filter((t) => !existing.has(t.code))) {
        const rule = await manager.save(
          manager.create(ScoringRule, {
            villageId,
            townshipId: null,
            code: t.code,
            category: t.category,
            title: t.title,
            minPoints: t.minPoints,
            maxPoints: t.maxPoints,
            capCount: t.capCount,
            capPeriod: t.capPeriod,
            evidenceRequired: t.evidenceRequired,
            blackList: t.blackList,
            needsCouncil: t.needsCouncil,
          }),
        );
        await this.saveVersion(manager, rule, actor);
        copied.push(rule);
      }
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action: 'rule.copy_templates',
          entityType: 'village',
          entityId: villageId,
          townshipId: village.townshipId,
          villageId,
          details: { codes: copied.map((r) => r.code) },
        },
        manager,
      );
      return copied.map(ruleView);
    });
  }

  async currentVersion(manager: EntityManager, rule: ScoringRule): Promise<ScoringRuleVersion> {
    return manager.findOneByOrFail(ScoringRuleVersion, { ruleId: rule.id, version: rule.version });
  }

  /** A rule and one of its versions by id, read in the caller's transaction (what a record was made under). */
  async ruleAndVersion(
    manager: EntityManager,
    ruleId: number,
    versionId: number,
  ): Promise<{ rule: ScoringRule; version: ScoringRuleVersion }> {
    const rule = await manager.findOneByOrFail(ScoringRule, { id: ruleId });
    const version = await manager.findOneByOrFail(ScoringRuleVersion, { id: versionId });
    return { rule, version };
  }

  /** A rule version by id, read in the caller's transaction (its range and title as a record was made under it). */
  versionIn(manager: EntityManager, versionId: number): Promise<ScoringRuleVersion> {
    return manager.findOneByOrFail(ScoringRuleVersion, { id: versionId });
  }

  /** Each version's title by id, at most 500 ids per statement, in the caller's transaction when one is given. */
  async versionTitles(
    versionIds: number[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<number, string>> {
    const unique = [...new Set(versionIds)];
    const titles = new Map<number, string>();
    for (let start = 0; start < unique.length; start += 500) {
      const rows = await manager.find(ScoringRuleVersion, {
        where: { id: In(unique.slice(start, start + 500)) },
        select: { id: true, title: true },
      });
      for (const v of rows) titles.set(v.id, v.title);
    }
    return titles;
  }

  /** Each rule's code by id, in one statement. */
  async codes(ruleIds: number[]): Promise<Map<number, string>> {
    const unique = [...new Set(ruleIds)];
    if (unique.length === 0) return new Map();
    const rows = await this.dataSource
      .getRepository(ScoringRule)
      .find({ where: { id: In(unique) }, select: { id: true, code: true } });
    return new Map(rows.map((r) => [r.id, r.code]));
  }

  /**
   * A rule with the id of its current version, in one plain statement in the caller's transaction: recording (the
   * busiest write at month end) checks a new record against it. Undefined when there is no such rule.
   */
  async forRecording(manager: EntityManager, ruleId: number): Promise<RuleForRecording | undefined> {
    const [rule] = await raw<RuleForRecording>(
      manager,
      `SELECT r.id, r."villageId", r.code, r.active, r."minPoints", r."maxPoints", r."evidenceRequired", r."capCount",
        r."capPeriod", v.id AS "versionId" FROM scoring_rule r
        LEFT JOIN scoring_rule_version v ON v."ruleId" = r.id AND v.version = r.version WHERE r.id = $1`,
      [ruleId],
    );
    return rule;
  }

  /** Whether records under the rule are the 道德评议会's to decide (false when there is no such rule), in the caller's transaction. */
  async needsCouncil(manager: EntityManager, ruleId: number): Promise<boolean> {
    const rule = await manager.findOne(ScoringRule, {
      where: { id: ruleId },
      select: { needsCouncil: true },
    });
    return rule?.needsCouncil ?? false;
  }

  /** The ids of the village's rules, retired ones included, whose records the 道德评议会 decides. */
  async councilRuleIds(villageId: number): Promise<number[]> {
    const rules = await this.dataSource
      .getRepository(ScoringRule)
      .find({ where: { villageId, needsCouncil: true }, select: { id: true } });
    return rules.map((r) => r.id);
  }

  /** The ids of the village's rules of one category, retired ones included, in the caller's transaction when given. */
  async idsInCategory(
    villageId: number,
    category: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number[]> {
    const rules = await manager.find(ScoringRule, {
      where: { villageId, category: category as ScoringRule['category'] },
      select: { id: true },
    });
    return rules.map((r) => r.id);
  }

  /**
   * The village's active rules of one category, by code: an inspection round's checklist (入户检查). In the caller's
   * transaction when given.
   */
  async activeInCategory(
    villageId: number,
    category: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Pick<ScoringRule, 'id' | 'code' | 'title' | 'minPoints' | 'maxPoints' | 'evidenceRequired'>[]> {
    return manager.find(ScoringRule, {
      where: { villageId, category: category as ScoringRule['category'], active: true },
      select: { id: true, code: true, title: true, minPoints: true, maxPoints: true, evidenceRequired: true },
      order: { code: 'ASC' },
    });
  }

  /** Each rule's category, sorted by category as the database sorts them (then by id), in one statement. */
  async categories(ruleIds: number[]): Promise<{ id: number; category: string }[]> {
    const unique = [...new Set(ruleIds)];
    if (unique.length === 0) return [];
    const rows = await this.dataSource.getRepository(ScoringRule).find({
      where: { id: In(unique) },
      select: { id: true, category: true },
      order: { category: 'ASC', id: 'ASC' },
    });
    return rows.map((r) => ({ id: r.id, category: r.category }));
  }

  private async saveVersion(manager: EntityManager, rule: ScoringRule, actor: Actor): Promise<void> {
    await manager.insert(ScoringRuleVersion, {
      ruleId: rule.id,
      version: rule.version,
      title: rule.title,
      minPoints: rule.minPoints,
      maxPoints: rule.maxPoints,
      createdBy: actor.kind === 'user' ? actor.id : null,
    });
  }

  private async ownerScope(
    manager: EntityManager,
    owner: { villageId?: number; townshipId?: number },
  ): Promise<ScopeTarget> {
    if (owner.villageId) {
      const village = await this.villages.findIn(manager, owner.villageId);
      if (!village) throw DomainError.validation({ villageId: '所选村不存在' });
      return { townshipId: village.townshipId, villageId: village.id };
    }
    const township = owner.townshipId ? await this.townships.findIn(manager, owner.townshipId) : null;
    if (!township) throw DomainError.validation({ townshipId: '所选乡镇不存在' });
    return { townshipId: township.id };
  }

  private scopeOf(manager: EntityManager, rule: ScoringRule): Promise<ScopeTarget> {
    return this.ownerScope(manager, {
      villageId: rule.villageId ?? undefined,
      townshipId: rule.townshipId ?? undefined,
    });
  }

  private auditEntry(action: string, rule: ScoringRule, target: ScopeTarget, details: object) {
    return {
      action,
      entityType: 'rule',
      entityId: rule.id,
      townshipId: target.townshipId,
      villageId: target.villageId ?? null,
      details: { code: rule.code, ...details },
    };
  }
}

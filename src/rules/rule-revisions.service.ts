import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { can, Permission } from '../access/permissions.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { isRealDate, todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { definedOnly } from '../common/objects.js';
import { parseForm } from '../common/validation.js';
import { villageScope } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import type { Village } from '../villages/village.entity.js';
import { VillagesService } from '../villages/villages.service.js';
import { CreateRuleDto, UpdateRuleDto } from './dto/rule.dto.js';
import type { AdoptRuleRevisionDto, RuleChangeDto } from './dto/rule-revision.dto.js';
import { pointsRange } from './rule-points.js';
import { RuleRevision, type RevisionStatus, type StoredRuleChange } from './rule-revision.entity.js';
import { RulesService } from './rules.service.js';
import { ScoringRule } from './scoring-rule.entity.js';

/** A revision's life: each step, the status it leaves and the one it reaches, and what a wrong moment is told. */
export const REVISION_STEPS = {
  adopt: { from: 'DRAFT', to: 'ADOPTED', refused: '只有草稿可以记录村民代表会议的表决' },
  submit: { from: 'ADOPTED', to: 'SUBMITTED', refused: '修订经村民代表会议通过后才能报乡镇备案' },
  file: { from: 'SUBMITTED', to: 'FILED', refused: '只有已报乡镇的修订可以备案' },
  return: { from: 'SUBMITTED', to: 'RETURNED', refused: '只有已报乡镇的修订可以退回' },
} as const satisfies Record<string, { from: RevisionStatus; to: RevisionStatus; refused: string }>;

/** The votes: more for than half of those present (a tie or a failed vote is not an adoption). */
export function adopted(votes: { present: number; votesFor: number }): boolean {
  return votes.votesFor * 2 > votes.present;
}

export type RevisionView = ReturnType<typeof revisionView>;

export function revisionView(r: RuleRevision, villageName?: string) {
  return {
    id: r.id,
    villageId: r.villageId,
    villageName,
    status: r.status,
    changes: JSON.parse(r.changes) as StoredRuleChange[],
    meetingOn: r.meetingOn,
    present: r.present,
    votesFor: r.votesFor,
    votesAgainst: r.votesAgainst,
    votesAbstain: r.votesAbstain,
    minutes: r.minutes,
    submittedAt: r.submittedAt,
    decidedAt: r.decidedAt,
    comment: r.comment,
    createdAt: r.createdAt,
  };
}

/** Fields a CHANGE may carry: retiring and re-activating are their own steps. */
function changeFields(rule: Record<string, unknown>) {
  const { active: _active, villageId: _v, townshipId: _t, code: _c, ...rest } = rule;
  return rest;
}

/** A validation refusal's fields, moved under `changes.<i>.rule.` so the API names the change at fault. */
async function parseUnder<T extends object>(cls: new () => T, body: object, prefix: string): Promise<T> {
  try {
    return await parseForm(cls, body);
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'VALIDATION_FAILED') throw error;
    throw DomainError.validation(
      Object.fromEntries(Object.entries(error.details).map(([k, v]) => [`${prefix}.${k}`, String(v)])),
    );
  }
}

/**
 * 细则修订: the committee drafts a change to its village's rule list, records the 村民代表会议's adoption and submits
 * it; the township files it (备案), which applies the changes through RulesService in the same transaction (new
 * records then use the new versions; records already made keep theirs), or returns it with a comment, which closes
 * it unchanged (the committee drafts again). Only a filed revision changes the list.
 */
@Injectable()
export class RuleRevisionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    private readonly rules: RulesService,
    private readonly clock: Clock,
    private readonly villages: VillagesService,
  ) {}

  async create(actor: Actor, villageId: number, changes: RuleChangeDto[]): Promise<RevisionView> {
    this.assertMay(actor, Permission.RuleRevision.Draft, '细则修订由村两委起草');
    return this.transactions.run(async (manager) => {
      const village = await this.villageInScope(manager, actor, villageId);
      const stored = await this.checkChanges(manager, village.id, changes);
      const revision = await manager.save(
        manager.create(RuleRevision, {
          villageId: village.id,
          status: 'DRAFT',
          changes: JSON.stringify(stored),
          createdBy: actor.kind === 'user' ? actor.id : null,
        }),
      );
      await this.record(manager, actor, 'revision.draft', revision, village, { changes: stored.length });
      return revisionView(revision);
    });
  }

  /** One more change in a draft (the page adds them one at a time). */
  async addChange(actor: Actor, id: number, change: RuleChangeDto): Promise<RevisionView> {
    this.assertMay(actor, Permission.RuleRevision.Draft, '细则修订由村两委起草');
    return this.transactions.run(async (manager) => {
      const { revision, village } = await this.inScope(manager, actor, id);
      if (revision.status !== 'DRAFT')
        throw new DomainError('INVALID_STATE', '只有草稿可以添加修改；已表决的修订不能再改');
      const before = JSON.parse(revision.changes) as StoredRuleChange[];
      const stored = await this.checkChanges(manager, village.id, [...before, change] as RuleChangeDto[]);
      revision.changes = JSON.stringify(stored);
      await manager.save(revision);
      await this.record(manager, actor, 'revision.change', revision, village, { changes: stored.length });
      return revisionView(revision);
    });
  }

  async adopt(actor: Actor, id: number, dto: AdoptRuleRevisionDto): Promise<RevisionView> {
    this.assertMay(actor, Permission.RuleRevision.Draft, '表决结果由村两委登记');
    const wrong = {
      ...(!isRealDate(dto.meetingOn) && { meetingOn: '会议日期不存在，请检查' }),
      ...(isRealDate(dto.meetingOn) &&
        dto.meetingOn > this.clock.today() && { meetingOn: '会议日期不能晚于今天' }),
      ...(dto.votesFor + dto.votesAgainst + dto.votesAbstain > dto.present && {
        votesFor: `赞成、反对、弃权票数之和（${dto.votesFor + dto.votesAgainst + dto.votesAbstain}）不能超过到会人数（${dto.present}）`,
      }),
    };
    if (Object.keys(wrong).length > 0) throw DomainError.validation(wrong);
    if (!adopted(dto))
      throw new DomainError(
        'INVALID_STATE',
        `赞成票 ${dto.votesFor} 票，未超过到会 ${dto.present} 人的半数，修订未获通过`,
        { votesFor: '赞成票应超过到会人数的一半' },
      );
    return this.step(actor, id, 'adopt', {
      meetingOn: dto.meetingOn,
      present: dto.present,
      votesFor: dto.votesFor,
      votesAgainst: dto.votesAgainst,
      votesAbstain: dto.votesAbstain,
      minutes: dto.minutes,
    });
  }

  async submit(actor: Actor, id: number): Promise<RevisionView> {
    this.assertMay(actor, Permission.RuleRevision.Draft, '修订由村两委报乡镇备案');
    return this.step(actor, id, 'submit', { submittedAt: this.clock.now() });
  }

  /** 备案 (the changes apply now, in this transaction) or 退回 (nothing changes; a comment says why). */
  async decide(
    actor: Actor,
    id: number,
    decision: 'file' | 'return',
    comment?: string,
  ): Promise<RevisionView> {
    this.assertMay(actor, Permission.RuleRevision.File, '细则修订由乡镇备案');
    if (decision === 'return' && !comment) throw DomainError.validation({ comment: '退回时请写明原因' });
    return this.step(
      actor,
      id,
      decision,
      {
        decidedAt: this.clock.now(),
        decidedBy: actor.kind === 'user' ? actor.id : null,
        comment: comment || null,
      },
      async (manager, revision) => {
        if (decision !== 'file') return;
        const filed = { revisionId: revision.id };
        for (const change of JSON.parse(revision.changes) as StoredRuleChange[]) {
          if (change.op === 'ADD')
            await this.rules.createIn(
              manager,
              actor,
              { ...(change.rule as object), villageId: revision.villageId } as CreateRuleDto,
              filed,
            );
          else
            await this.rules.updateIn(
              manager,
              actor,
              change.ruleId!,
              (change.op === 'RETIRE' ? { active: false } : change.rule) as UpdateRuleDto,
              filed,
            );
        }
      },
    );
  }

  async get(actor: Actor, id: number): Promise<RevisionView> {
    const { revision, village } = await this.inScope(this.dataSource.manager, actor, id);
    return revisionView(revision, village.name);
  }

  /** A village's revisions, newest first. */
  async ofVillage(actor: Actor, villageId: number): Promise<RevisionView[]> {
    const village = await this.villageInScope(this.dataSource.manager, actor, villageId);
    const rows = await this.dataSource
      .getRepository(RuleRevision)
      .find({ where: { villageId: village.id }, order: { id: 'DESC' } });
    return rows.map((r) => revisionView(r, village.name));
  }

  /** Revisions the villages of a township have submitted and that wait for its filing, oldest first. */
  async waitingFiling(townshipId: number): Promise<RevisionView[]> {
    const villages = await this.villages.names(townshipId);
    if (villages.length === 0) return [];
    const names = new Map(villages.map((v) => [v.id, v.name]));
    const rows = await this.dataSource.getRepository(RuleRevision).find({
      where: { villageId: In([...names.keys()]), status: 'SUBMITTED' },
      order: { id: 'ASC' },
    });
    return rows.map((r) => revisionView(r, names.get(r.villageId)));
  }

  /** What the board says of the list: the last filed revision's meeting and filing days. */
  async lastFiled(villageId: number): Promise<{ adoptedOn: string | null; filedOn: string } | null> {
    const last = await this.dataSource
      .getRepository(RuleRevision)
      .findOne({ where: { villageId, status: 'FILED' }, order: { decidedAt: 'DESC', id: 'DESC' } });
    if (!last?.decidedAt) return null;
    return { adoptedOn: last.meetingOn, filedOn: todayInChina(last.decidedAt) };
  }

  /**
   * The changes checked against the village's list as it stands: each field as POST/PATCH /rules check it, a rule of
   * this village for CHANGE and RETIRE, no code twice, no rule changed twice. Stored with the rule's words for the pages.
   */
  private async checkChanges(
    manager: EntityManager,
    villageId: number,
    changes: RuleChangeDto[],
  ): Promise<StoredRuleChange[]> {
    const rules = await manager.find(ScoringRule, { where: { villageId } });
    const byId = new Map(rules.map((r) => [r.id, r]));
    const codes = new Set(rules.map((r) => r.code));
    const touched = new Set<number>();
    const stored: StoredRuleChange[] = [];
    for (const [i, change] of changes.entries()) {
      const at = `changes.${i}`;
      if (change.op === 'ADD') {
        if (!change.rule)
          throw DomainError.validation({ [`${at}.rule`]: '新增细则请填写编号、类别、内容和分值' });
        const dto = await parseUnder(CreateRuleDto, { ...change.rule, villageId }, `${at}.rule`);
        const range = pointsRange(dto);
        if ('error' in range) throw DomainError.validation(this.under(`${at}.rule`, range.error));
        if (codes.has(dto.code))
          throw DomainError.validation({ [`${at}.rule.code`]: `细则编号 ${dto.code} 已存在` });
        codes.add(dto.code);
        const { villageId: _v, townshipId: _t, ...rule } = definedOnly({ ...dto });
        stored.push({ op: 'ADD', code: dto.code, title: dto.title, rule });
        continue;
      }
      const current = change.ruleId ? byId.get(change.ruleId) : undefined;
      if (!current) throw DomainError.validation({ [`${at}.ruleId`]: '请选择本村的一条细则' });
      if (touched.has(current.id))
        throw DomainError.validation({ [`${at}.ruleId`]: `${current.code} 在这次修订中已有一条修改` });
      if (!current.active) throw DomainError.validation({ [`${at}.ruleId`]: `${current.code} 已停用` });
      touched.add(current.id);
      const base = {
        op: change.op,
        ruleId: current.id,
        code: current.code,
        title: current.title,
        before: { title: current.title, minPoints: current.minPoints, maxPoints: current.maxPoints },
      };
      if (change.op === 'RETIRE') {
        stored.push(base);
        continue;
      }
      const dto = await parseUnder(UpdateRuleDto, changeFields(change.rule ?? {}), `${at}.rule`);
      const rule = definedOnly({ ...dto });
      if (Object.keys(rule).length === 0)
        throw DomainError.validation({ [`${at}.rule`]: '请填写要修改的内容（分值、细则内容等）' });
      if (dto.points !== undefined || dto.minPoints !== undefined || dto.maxPoints !== undefined) {
        const range = pointsRange(dto);
        if ('error' in range) throw DomainError.validation(this.under(`${at}.rule`, range.error));
      }
      stored.push({ ...base, rule });
    }
    return stored;
  }

  private under(prefix: string, fields: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(fields).map(([k, v]) => [`${prefix}.${k}`, v]));
  }

  /** One step of the life: a guarded update from the step's status, the step's own work, the audit row. */
  private step(
    actor: Actor,
    id: number,
    name: keyof typeof REVISION_STEPS,
    set: Partial<RuleRevision>,
    work?: (manager: EntityManager, revision: RuleRevision) => Promise<void>,
  ): Promise<RevisionView> {
    const { from, to, refused } = REVISION_STEPS[name];
    return this.transactions.run(async (manager) => {
      const { revision, village } = await this.inScope(manager, actor, id);
      const done = await manager
        .createQueryBuilder()
        .update(RuleRevision)
        .set({ ...set, status: to })
        .where('id = :id AND status = :from', { id, from })
        .execute();
      if (done.affected !== 1) throw new DomainError('INVALID_STATE', refused);
      Object.assign(revision, set, { status: to });
      await work?.(manager, revision);
      this.transactions.changed(manager, villageScope(village));
      await this.record(manager, actor, `revision.${name}`, revision, village, {
        ...definedOnly({
          ...set,
          minutes: undefined,
          submittedAt: undefined,
          decidedAt: undefined,
          decidedBy: undefined,
        }),
        changes: (JSON.parse(revision.changes) as unknown[]).length,
      });
      return revisionView(revision, village.name);
    });
  }

  private async inScope(manager: EntityManager, actor: Actor, id: number) {
    const revision = await manager.findOneBy(RuleRevision, { id });
    if (!revision) throw DomainError.notFound('细则修订');
    const village = await this.villageInScope(manager, actor, revision.villageId);
    return { revision, village };
  }

  private async villageInScope(manager: EntityManager, actor: Actor, villageId: number): Promise<Village> {
    const village = await this.villages.findIn(manager, villageId);
    if (!village) throw DomainError.notFound('村');
    assertInScope(actor, { townshipId: village.townshipId, villageId: village.id });
    return village;
  }

  private assertMay(actor: Actor, permission: Permission, message: string): void {
    if (!can(actor, permission)) throw DomainError.forbidden(message);
  }

  private record(
    manager: EntityManager,
    actor: Actor,
    action: string,
    revision: RuleRevision,
    village: Village,
    details: Record<string, unknown>,
  ) {
    return this.audit.record(
      actor,
      {
        action,
        entityType: 'rule_revision',
        entityId: revision.id,
        townshipId: village.townshipId,
        villageId: village.id,
        details,
      },
      manager,
    );
  }
}

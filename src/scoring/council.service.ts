import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { isUniqueViolation } from '../common/unique.js';
import { lockRow } from '../database/locks.js';
import { insertRow, raw } from '../database/raw.js';
import { scopeOf } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import { HouseholdsService } from '../households/households.service.js';
import { RulesService } from '../rules/rules.service.js';
import { UsersService } from '../users/users.service.js';
import { scopeOfVillage } from '../villages/scope-of-village.js';
import { councilDecision, tally, tallyLabel, votersLine, type CouncilTally } from './council-decision.js';
import { CouncilVote, type CouncilVoteChoice } from './council-vote.entity.js';
import { ScoreRecord, type RecordStatus } from './score-record.entity.js';
import { ScoringSettingsService } from './scoring-settings.service.js';
import { ScoringService, STATUS_LABELS } from './scoring.service.js';

/** What a vote answers (API.md POST /score-records/:id/votes): where the record stands and the votes so far. */
/** A village's council settings: the quorum, and whether 公示 names the voters. */
export interface CouncilSettings {
  villageId: number;
  quorum: number;
  showNames: boolean;
}

export interface VoteResult extends CouncilTally {
  recordId: number;
  status: RecordStatus;
  quorum: number;
}

/** A record waiting for one council member's vote, as the member's start page lists it. */
export interface Ballot extends CouncilTally {
  recordId: number;
  householdCode: string;
  headName: string;
  ruleCode: string;
  ruleTitle: string;
  points: number;
  occurredOn: string;
  note: string | null;
  hasEvidence: boolean;
  quorum: number;
  /** Whether 公示 shows the voters' names in this village (the member is told before voting). */
  namesShown: boolean;
}

/**
 * 道德评议会: records under a rule that needs judgement are decided by the council's vote. Each member of the village's
 * council (staff accounts with the council role) votes once; the decision (council-decision.ts) moves the record
 * through the same review as the committee's (ScoringService.decideByCouncil).
 */
@Injectable()
export class CouncilService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly scoring: ScoringService,
    private readonly settings: ScoringSettingsService,
    private readonly audit: AuditService,
    private readonly rules: RulesService,
    private readonly households: HouseholdsService,
    private readonly users: UsersService,
  ) {}

  async vote(actor: Actor, recordId: number, vote: CouncilVoteChoice, comment?: string): Promise<VoteResult> {
    if (actor.kind !== 'user') throw DomainError.forbidden('只有评议会成员可以投票');
    return this.transactions
      .run(async (manager) => {
        // Locked: two votes on one record are counted one after the other, so one of them decides, once.
        const record = await lockRow(manager, ScoreRecord, recordId);
        if (!record) throw DomainError.notFound('积分记录');
        assertInScope(actor, await scopeOfVillage(manager, record.villageId));
        if (!(await this.rules.needsCouncil(manager, record.ruleId)))
          throw new DomainError('INVALID_STATE', '这条记录的细则不需要评议会表决，由村两委审核');
        if (record.status !== 'PENDING')
          throw new DomainError(
            'INVALID_STATE',
            `记录当前状态为 ${STATUS_LABELS[record.status]}，评议会表决已结束`,
            { status: record.status },
          );
        if (record.recordedBy === actor.id)
          throw new DomainError('SAME_PERSON', '登记人不能参加自己登记的记录的表决');
        if (actor.householdId === record.householdId)
          throw new DomainError('SAME_PERSON', '不能对自家的记录投票');
        if (await manager.existsBy(CouncilVote, { recordId, userId: actor.id })) throw alreadyVoted();
        await insertRow(manager, CouncilVote, {
          recordId,
          villageId: record.villageId,
          userId: actor.id,
          vote,
          comment: comment || null,
          createdAt: new Date(),
        });
        const votes = tally(await manager.find(CouncilVote, { where: { recordId }, select: { vote: true } }));
        const quorum = await this.settings.councilQuorum(record.villageId, manager);
        this.transactions.changed(manager, scopeOf(record.villageId));
        await this.audit.record(
          actor,
          {
            action: 'council.vote',
            entityType: 'score_record',
            entityId: record.id,
            villageId: record.villageId,
            details: { householdId: record.householdId, vote, ...(comment ? { comment } : {}), ...votes },
          },
          manager,
        );
        const decision = councilDecision(votes, quorum);
        if (decision !== 'PENDING')
          await this.scoring.decideByCouncil(manager, actor, record, decision, { ...votes, quorum });
        return { recordId, status: record.status, ...votes, quorum };
      })
      .catch((error: unknown) => {
        // A double click: both requests passed the check, the unique index let one vote in.
        throw isUniqueViolation(error) ? alreadyVoted() : error;
      });
  }

  /**
   * The committee sets how many members must vote before the council's decision counts and, when `showNames` is
   * given, whether 公示 shows each voter's name with the vote (left as it was when not given).
   */
  async configure(
    actor: Actor,
    villageId: number,
    wanted: { quorum: number; showNames?: boolean },
  ): Promise<CouncilSettings> {
    return this.transactions.run(async (manager) => {
      const scope = await scopeOfVillage(manager, villageId);
      assertInScope(actor, scope);
      const row = (to: Record<string, unknown>, action: string) =>
        this.audit.record(
          actor,
          {
            action,
            entityType: 'village',
            entityId: villageId,
            townshipId: scope.townshipId,
            villageId,
            details: to,
          },
          manager,
        );
      const from = await this.settings.councilQuorum(villageId, manager);
      await this.settings.setCouncilQuorum(manager, villageId, wanted.quorum);
      await row({ from, to: wanted.quorum }, 'council.quorum');
      const shown = await this.settings.councilShowNames(villageId, manager);
      if (wanted.showNames !== undefined && wanted.showNames !== shown) {
        await this.settings.setCouncilShowNames(manager, villageId, wanted.showNames);
        await row({ from: shown, to: wanted.showNames }, 'council.show-names');
      }
      this.transactions.changed(manager, scopeOf(villageId));
      return { villageId, quorum: wanted.quorum, showNames: wanted.showNames ?? shown };
    });
  }

  /** The village's council settings (the review page's form). */
  async settingsOf(villageId: number): Promise<CouncilSettings> {
    return {
      villageId,
      quorum: await this.settings.councilQuorum(villageId),
      showNames: await this.settings.councilShowNames(villageId),
    };
  }

  quorum(villageId: number): Promise<number> {
    return this.settings.councilQuorum(villageId);
  }

  /**
   * What 公示 says of the council's votes on each record: the counts, and each voter's name with the vote only where
   * the village chose to show them (`councilShowNames`). Records nobody voted on are absent.
   */
  async boardLabels(recordIds: number[]): Promise<Map<number, string>> {
    const rows = recordIds.length
      ? await this.dataSource.getRepository(CouncilVote).find({
          where: { recordId: In(recordIds) },
          select: { id: true, recordId: true, villageId: true, userId: true, vote: true },
          order: { id: 'ASC' },
        })
      : [];
    const showing = await this.settings.villagesShowingVoters(rows.map((r) => r.villageId));
    const voters = rows.filter((r) => showing.has(r.villageId)).map((r) => r.userId);
    const names = await this.users.briefs(voters);
    const byRecord = new Map<number, CouncilVote[]>();
    for (const row of rows) byRecord.set(row.recordId, [...(byRecord.get(row.recordId) ?? []), row]);
    return new Map(
      [...byRecord].map(([id, votes]) => {
        const counts = tallyLabel(tally(votes));
        if (!showing.has(votes[0].villageId)) return [id, counts];
        const named = votes.map((v) => ({ vote: v.vote, name: names.get(v.userId)?.displayName ?? '' }));
        return [id, `${counts}（${votersLine(named)}）`];
      }),
    );
  }

  /** The votes cast on each record (counts only, never the voters). Records nobody voted on are absent. */
  async tallies(recordIds: number[], manager: EntityManager = this.dataSource.manager) {
    const rows = recordIds.length
      ? await manager.find(CouncilVote, {
          where: { recordId: In(recordIds) },
          select: { recordId: true, vote: true },
        })
      : [];
    const byRecord = new Map<number, CouncilVote[]>();
    for (const row of rows) byRecord.set(row.recordId, [...(byRecord.get(row.recordId) ?? []), row]);
    return new Map([...byRecord].map(([id, votes]) => [id, tally(votes)]));
  }

  /** The ids of a village's rules that need the council (the review page shows their records as waiting for it). */
  async councilRuleIds(villageId: number): Promise<Set<number>> {
    return new Set(await this.rules.councilRuleIds(villageId));
  }

  /**
   * What waits for this member's vote: the village's PENDING records under council rules that the member has not voted
   * on and may vote on (not recorded by the member, not about the member's household), oldest first.
   */
  async ballots(actor: Actor): Promise<Ballot[]> {
    if (actor.kind !== 'user' || actor.villageId === null) return [];
    const ruleIds = await this.rules.councilRuleIds(actor.villageId);
    if (ruleIds.length === 0) return [];
    const rows = await raw<Record<string, unknown>>(
      this.dataSource.manager,
      `SELECT r.id, r.points, r."occurredOn", r.note, r."evidencePath", r."householdId", r."ruleId", r."ruleVersionId"
        FROM score_record r
        WHERE r."villageId" = $1 AND r.status = 'PENDING'
          AND (r."recordedBy" IS NULL OR r."recordedBy" <> $2) AND r."householdId" <> $3
          AND NOT EXISTS (SELECT 1 FROM council_vote c WHERE c."recordId" = r.id AND c."userId" = $4)
          AND r."ruleId" IN (${ruleIds.map((_, i) => `$${i + 5}`).join(', ')})
        ORDER BY r.id ASC`,
      // Numbered in order of use: SQLite binds them by position.
      [actor.villageId, actor.id, actor.householdId ?? -1, actor.id, ...ruleIds],
    );
    const households = await this.households.codesAndNames(rows.map((r) => Number(r.householdId)));
    const codes = await this.rules.codes(rows.map((r) => Number(r.ruleId)));
    const titles = await this.rules.versionTitles(rows.map((r) => Number(r.ruleVersionId)));
    const tallies = await this.tallies(rows.map((r) => Number(r.id)));
    const quorum = await this.settings.councilQuorum(actor.villageId);
    const namesShown = await this.settings.councilShowNames(actor.villageId);
    return rows.map((r) => ({
      recordId: Number(r.id),
      householdCode: String(households.get(Number(r.householdId))?.code),
      headName: String(households.get(Number(r.householdId))?.headName),
      ruleCode: String(codes.get(Number(r.ruleId))),
      ruleTitle: String(titles.get(Number(r.ruleVersionId))),
      points: Number(r.points),
      occurredOn: String(r.occurredOn),
      note: (r.note as string | null) ?? null,
      hasEvidence: r.evidencePath !== null,
      quorum,
      namesShown,
      ...(tallies.get(Number(r.id)) ?? { yes: 0, no: 0, abstain: 0 }),
    }));
  }
}

function alreadyVoted(): DomainError {
  return DomainError.duplicate('vote', '您已对这条记录投过票，每人只能投一次');
}

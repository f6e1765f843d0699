import { Injectable } from '@nestjs/common';
import type { Actor } from '../access/actor.js';
import { can, Permission as P } from '../access/permissions.js';
import { Clock } from '../common/clock.js';
import { addDays } from '../common/dates.js';
import { currentPeriod, type Period } from '../common/periods.js';
import { PublicationsService } from '../publications/publications.service.js';
import { RankingsService } from '../rankings/rankings.service.js';
import { CouncilService, type Ballot } from '../scoring/council.service.js';
import { CreditGradesService } from '../credit/credit-grades.service.js';
import { HonoursService } from '../honours/honours.service.js';
import { PartyService } from '../party/party.service.js';
import { RuleRevisionsService } from '../rules/rule-revisions.service.js';
import { ScoringService, type RecordedRow } from '../scoring/scoring.service.js';
import { GoodsService } from '../supermarket/goods.service.js';
import { MonthlyStatementsService } from '../supermarket/monthly-statements.service.js';
import { SupervisionService } from '../supervision/supervision.service.js';
import { TownshipService } from '../township/township.service.js';

/** What waits for a person, each count asked of the feature that owns it; absent when the person cannot act on it. */
export interface StartPageFacts {
  pendingRecords?: number;
  openObjections?: number;
  endedPublications?: number;
  returnedRankings?: string[];
  lowStock?: string[];
  counter?: boolean;
  myRecords?: { since: string; rows: RecordedRow[] };
  rankingReviews?: number;
  ruleFilings?: number;
  signals?: { period: Period; count: number };
  /** 超市月度账目 of last month not yet signed and published, past the 5th (the township's to-do). */
  lateStatements?: { month: Period; villages: { id: number; name: string }[] };
  /** 道德评议会: the records waiting for this member's vote. */
  ballots?: Ballot[];
  /** 评选活动: nominations waiting for this council member's vote. */
  honourBallots?: number;
  /** 评选活动 results of the township's villages waiting for its filing. */
  honourFilings?: number;
  /** 信用户评定 submitted by the township's villages and waiting to be filed. */
  creditFilings?: number;
  /** 党员量化积分: records waiting for this branch member's approval, and 党内公示 ended waiting to post. */
  party?: { toApprove: number; toPost: number };
  /** 监督意见 waiting for the committee's answer (the committee's to-do). */
  opinionsToAnswer?: number;
  /** The supervision committee's page: what is on the board now, and its opinions waiting for an answer. */
  supervision?: {
    onBoard: { publicationId: number; startsOn: string; endsOn: string; records: number }[];
    waiting: { id: number; text: string; what: string; href: string }[];
  };
}

/** The start page's to-do: the counts of the work waiting for this person, from each feature's service. */
@Injectable()
export class StartPageService {
  constructor(
    private readonly clock: Clock,
    private readonly scoring: ScoringService,
    private readonly publications: PublicationsService,
    private readonly rankings: RankingsService,
    private readonly goods: GoodsService,
    private readonly township: TownshipService,
    private readonly council: CouncilService,
    private readonly supervision: SupervisionService,
    private readonly ruleRevisions: RuleRevisionsService,
    private readonly honours: HonoursService,
    private readonly statements: MonthlyStatementsService,
    private readonly party: PartyService,
    private readonly credit: CreditGradesService,
  ) {}

  async facts(actor: Actor): Promise<StartPageFacts> {
    const [village, township] = await Promise.all([this.villageFacts(actor), this.townshipFacts(actor)]);
    return { ...village, ...township };
  }

  private async villageFacts(actor: Actor): Promise<StartPageFacts> {
    const villageId = actor.villageId;
    if (villageId === null) return {};
    const when = <T>(allowed: boolean, work: () => Promise<T>) =>
      allowed ? work() : Promise.resolve(undefined);
    const month = currentPeriod('month', this.clock.today());
    // Whoever records but does not review follows their own records; a reviewer sees the village's queue instead.
    const recorder = can(actor, P.ScoreRecord.Record) && !can(actor, P.ScoreRecord.Approve);
    const [
      pendingRecords,
      openObjections,
      ended,
      returned,
      lowStock,
      myRecords,
      ballots,
      opinions,
      supervision,
      honourBallots,
      party,
    ] = await Promise.all([
      when(can(actor, P.ScoreRecord.Approve), () => this.scoring.pendingCount(villageId)),
      when(can(actor, P.Objection.Resolve), () => this.publications.openObjectionCount(villageId)),
      when(can(actor, P.Publication.Close), () => this.publications.endedAwaitingPosting(villageId)),
      when(can(actor, P.Ranking.Submit), () => this.rankings.returnedToResubmit(villageId)),
      when(can(actor, P.Goods.Edit), () => this.goods.lowStock(villageId)),
      when(recorder && actor.kind === 'user', () =>
        this.scoring.recordedBy(actor.id, new Date(`${month.start}T00:00:00+08:00`)),
      ),
      when(can(actor, P.Council.Vote), () => this.council.ballots(actor)),
      when(can(actor, P.Supervision.Answer), () => this.supervision.waiting(villageId)),
      when(can(actor, P.Supervision.Raise), () => this.supervisionFacts(villageId)),
      when(can(actor, P.Council.Vote), () => this.honours.ballotsFor(actor)),
      when(can(actor, P.Party.Record), () => this.party.toDo(actor, villageId)),
    ]);
    return {
      pendingRecords,
      openObjections,
      endedPublications: ended?.length,
      returnedRankings: returned?.map((s) => s.period),
      lowStock: lowStock?.map((g) => g.name),
      // Whoever runs the counter but does not review starts there.
      counter: can(actor, P.Redemption.Create) && !can(actor, P.ScoreRecord.Approve),
      myRecords: myRecords && { since: month.label, rows: myRecords },
      ballots,
      opinionsToAnswer: opinions?.length,
      supervision,
      honourBallots: honourBallots?.length,
      party,
    };
  }

  /** For the supervision committee: the publications whose window still runs, and the opinions not yet answered. */
  private async supervisionFacts(villageId: number): Promise<StartPageFacts['supervision']> {
    const [open, waiting] = await Promise.all([
      this.publications.openInVillage(villageId),
      this.supervision.waiting(villageId),
    ]);
    const about = await this.supervision.described(waiting);
    return {
      onBoard: open
        .filter((p) => !p.ended)
        .map((p) => ({
          publicationId: p.id,
          startsOn: p.startsOn,
          endsOn: p.endsOn,
          records: p.rows.length,
        })),
      waiting: waiting.map((o) => ({ id: o.id, text: o.text, ...about.get(o.id)! })),
    };
  }

  private async townshipFacts(actor: Actor): Promise<StartPageFacts> {
    const townshipId = actor.townshipId;
    if (townshipId === null || actor.villageId !== null) return {};
    // Signals of the last ended month: the running one is still filling up.
    const period = currentPeriod('month', addDays(currentPeriod('month', this.clock.today()).start, -1));
    const [reviews, filings, signals, honourFilings, late, creditFilings] = await Promise.all([
      can(actor, P.Ranking.Review) ? this.rankings.reviewQueue(townshipId) : undefined,
      can(actor, P.RuleRevision.File) ? this.ruleRevisions.waitingFiling(townshipId) : undefined,
      can(actor, P.Township.Overview)
        ? this.township
            .township(actor, townshipId)
            .then(({ villages }) => this.township.fairness(villages, period))
        : undefined,
      can(actor, P.Honour.File) ? this.honours.waitingFiling(townshipId) : undefined,
      can(actor, P.Township.Overview) ? this.statements.late(townshipId) : undefined,
      can(actor, P.CreditGrade.File) ? this.credit.waitingFiling(townshipId) : undefined,
    ]);
    return {
      rankingReviews: reviews?.length,
      ruleFilings: filings?.length,
      honourFilings: honourFilings?.length,
      creditFilings,
      signals: signals && { period, count: signals.length },
      lateStatements: late ?? undefined,
    };
  }
}

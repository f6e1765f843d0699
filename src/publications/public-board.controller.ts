import { Controller, Get, Param, ParseIntPipe, Query, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/decorators.js';
import { partialRenderer } from '../common/view-helpers.js';
import { DomainError } from '../common/domain-error.js';
import { derivedOnce, ReadCache, villageScope } from '../database/read-cache.js';
import { chinaDay, todayInChina } from '../common/dates.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { ListsService } from '../rankings/lists.service.js';
import { parsePeriod, type Period } from '../common/periods.js';
import { RankingsService, snapshotView } from '../rankings/rankings.service.js';
import { RankingSettingsService } from '../rankings/ranking-settings.service.js';
import { StarsService } from '../rankings/stars.service.js';
import { ruleLine, signedPoints } from '../rules/rule-points.js';
import { RuleRevisionsService } from '../rules/rule-revisions.service.js';
import { groupByCategory, RulesService } from '../rules/rules.service.js';
import { HonoursService } from '../honours/honours.service.js';
import { PartyService } from '../party/party.service.js';
import { honoursByStar } from '../honours/honours.presenter.js';
import { GoodsService } from '../supermarket/goods.service.js';
import { MonthlyStatementsService, statementPage } from '../supermarket/monthly-statements.service.js';
import type { Village } from '../villages/village.entity.js';
import { VillagesService } from '../villages/villages.service.js';
import { SupervisionService } from '../supervision/supervision.service.js';
import { PublicationsService } from './publications.service.js';

/**
 * `/public/villages/:id`: the village's notice board, open to anyone with no login, printable on A4. It shows only
 * what is public (household, rule, points); never phones, notes or photos.
 */
const SECTIONS = [
  'publication',
  'ranking',
  'lists',
  'stars',
  'honours',
  'party',
  'catalogue',
  'books',
  'rules',
];

/** How many signed monthly statements the board's 超市账目 shows, newest first. */
const BOOKS_MONTHS = 3;

/**
 * The star households of a kept board (views/partials/star-households.hbs), drawn once per kept board: a village
 * where most households have stars lists hundreds, most of the board's work.
 */
const starHouseholds = partialRenderer('star-households');
const starsHtml = derivedOnce((board: { stars: { households: object[] } }) =>
  starHouseholds({ households: board.stars.households }),
);

@ApiExcludeController()
@Controller('public/villages')
export class PublicBoardController {
  constructor(
    private readonly publications: PublicationsService,
    private readonly goods: GoodsService,
    private readonly rankings: RankingsService,
    private readonly lists: ListsService,
    private readonly stars: StarsService,
    private readonly rankingSettings: RankingSettingsService,
    private readonly villages: VillagesService,
    private readonly ledger: LedgerService,
    private readonly rules: RulesService,
    private readonly ruleRevisions: RuleRevisionsService,
    private readonly cache: ReadCache,
    private readonly supervision: SupervisionService,
    private readonly honours: HonoursService,
    private readonly statements: MonthlyStatementsService,
    private readonly party: PartyService,
  ) {}

  /** `?section=publication|ranking|lists|stars|honours|party|catalogue|books|rules` prints one section on its own A4 sheet. */
  @Public()
  @Get(':id')
  @Render('public/board')
  async board(@Param('id', ParseIntPipe) id: number, @Query('section') section?: string) {
    const village = await this.villages.kept(id);
    if (!village || !village.active) throw DomainError.notFound('村');
    const only = SECTIONS.includes(section ?? '') ? section : null;
    const show = (name: string) => only === null || only === name;
    // Public and read far more than written: kept until a write in the village (or the next day).
    const today = todayInChina();
    const board = await this.cache.get(`board:${id}:${today}`, villageScope(village), () =>
      this.boardOf(village, today),
    );
    return {
      ...board,
      starsHtml: show('stars') ? starsHtml(board) : '',
      only,
      show: Object.fromEntries(SECTIONS.map((s) => [s, show(s)])),
    };
  }

  private async boardOf(village: Village, today: string) {
    const id = village.id;
    const year = Number(today.slice(0, 4));
    const [
      open,
      catalogue,
      approved,
      listPeriod,
      stars,
      settings,
      rules,
      filed,
      honours,
      books,
      shopOpinions,
      partyHouseholds,
    ] = await Promise.all([
      this.publications.openInVillage(id),
      this.goods.catalogue(id),
      this.rankings.latestApproved(id),
      this.lists.latestPublishedPeriod(id),
      this.stars.stars(id, year),
      this.rankingSettings.get(id),
      this.rules.inForce(id),
      this.ruleRevisions.lastFiled(id),
      // 评选荣誉 of the filed campaigns of this year and last.
      this.honours.honours({ villageId: id, sinceYear: year - 1 }),
      this.statements.published(id, BOOKS_MONTHS),
      // The supervision committee's opinions on redemptions and stock movements, with the committee's answers.
      this.supervision.onSupermarket(id),
      // 党员户挂牌: the households with a registered party member.
      this.party.partyHouseholdLabels(id),
    ]);
    // The supervision committee's opinions on the records on the board, with the committee's answers.
    const opinions = await this.supervision.onRecords(open.flatMap((p) => p.rows.map((r) => r.recordId)));
    const listsPeriod = listPeriod ? (parsePeriod(listPeriod) as Period) : null;
    const lists = listsPeriod ? await this.lists.published(id, listsPeriod) : { red: [], black: [] };
    const ranking = approved ? snapshotView(approved) : null;
    return {
      title: `${village.name}公示栏`,
      village,
      // Every printed sheet carries the book's head as it stood (read with the board; kept until the next write).
      bookHead: await this.ledger.bookHead(id),
      catalogue,
      honours: honoursByStar(honours),
      partyHouseholds,
      // 超市月度账目, as the supervision committee signed them.
      books: books.map(statementPage),
      shopOpinions: shopOpinions.map((o) => ({ ...o, raisedOn: chinaDay(o.raisedOn) })),
      rules: {
        effectiveOn: rules.effectiveOn,
        // The last revision the township filed: its 村民代表会议 and filing days.
        adoptedOn: filed?.adoptedOn ?? null,
        filedOn: filed?.filedOn ?? null,
        count: rules.items.length,
        groups: groupByCategory(rules.items.map(ruleLine)),
      },
      ranking: ranking && {
        ...ranking,
        label: parsePeriod(ranking.period)?.label ?? ranking.period,
        top: ranking.rows.filter((r) => r.points > 0).slice(0, 30),
      },
      lists: listsPeriod && {
        label: listsPeriod.label,
        byGroup: settings.blackListMode === 'GROUP',
        ...lists,
      },
      stars: {
        year,
        households: stars.rows
          .filter((r) => r.stars > 0)
          .sort((a, b) => b.stars - a.stars || a.code.localeCompare(b.code))
          .map((r) => ({ ...r, starText: '★'.repeat(r.stars) })),
      },
      publications: open.map((p) => {
        const waiting = new Set(opinions.filter((o) => o.status === 'OPEN').map((o) => o.targetId));
        const byRecord = new Map(p.rows.map((r) => [r.recordId, r]));
        return {
          ...p,
          rows: p.rows.map((r) => ({
            ...r,
            pointsLabel: signedPoints(r.points),
            objected: r.status === 'OBJECTED' && !waiting.has(r.recordId),
            supervised: r.status === 'OBJECTED' && waiting.has(r.recordId),
          })),
          opinions: opinions
            .filter((o) => byRecord.has(o.targetId))
            .map((o) => {
              const r = byRecord.get(o.targetId)!;
              return {
                id: o.id,
                what: `${r.householdCode} ${r.headName} · ${r.ruleTitle} ${signedPoints(r.points)}`,
                text: o.text,
                answer: o.answer,
              };
            }),
        };
      }),
    };
  }
}

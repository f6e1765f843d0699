import {
  Body,
  Controller,
  Get,
  Param,
  ParseIntPipe,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../access/actor.js';
import { safeNext } from '../auth/auth.controller.js';
import { consentLines } from '../bank/bank.presenter.js';
import { ConsentCodesService } from '../bank/consent-codes.service.js';
import { AuthService } from '../auth/auth.service.js';
import { loginClient } from '../auth/cookies.js';
import { Allow } from '../access/allow.js';
import { Permission } from '../access/permissions.js';
import { CurrentActor, Public } from '../auth/decorators.js';
import { VillagerLoginDto } from '../auth/dto/login.dto.js';
import { SessionsService } from '../auth/sessions.service.js';
import { chinaTime, todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { markRepeated } from '../common/idempotency.js';
import { submitForm } from '../common/forms.js';
import { parseForm } from '../common/validation.js';
import { GradeObjectionDto } from '../credit/dto/credit-grade.dto.js';
import { CreditGradesService } from '../credit/credit-grades.service.js';
import { HonourObjectionDto, NominateDto } from '../honours/dto/honour.dto.js';
import { campaignPage } from '../honours/honours.presenter.js';
import { HonoursService } from '../honours/honours.service.js';
import { HouseholdsService } from '../households/households.service.js';
import { PassbookQuery } from '../passbook/dto/passbook.dto.js';
import { PASSBOOK_PAGE, passbookLines, passbookView } from '../passbook/passbook.controller.js';
import { StarsService } from '../rankings/stars.service.js';
import { PassbookService } from '../passbook/passbook.service.js';
import { ObjectionDto } from '../publications/dto/publication.dto.js';
import { PublicationsService } from '../publications/publications.service.js';
import { pointsLabel, signedPoints } from '../rules/rule-points.js';
import { RulesService } from '../rules/rules.service.js';
import { DeclarationDto } from '../scoring/dto/score-record.dto.js';
import { EvidenceStore } from '../scoring/evidence.store.js';
import { uploadRefusal } from '../common/upload.interceptor.js';
import { PhotoUploadInterceptor } from '../scoring/photo-upload.interceptor.js';
import { ScoringSettingsService } from '../scoring/scoring-settings.service.js';
import { ScoringService } from '../scoring/scoring.service.js';
import { VillagesService } from '../villages/villages.service.js';
import { noticeLines, objectionLines, recordLines } from './villager.presenter.js';
import { VillagerService } from './villager.service.js';

/** What the household's page lists before its "more" links. */
const HOME_ENTRIES = 10;
const HOME_RECORDS = 5;
const HOME_NOTICES = 5;

/** `/villager`: the household's own page, made for an elderly person on a phone. */
@ApiExcludeController()
@Controller('villager')
export class VillagerController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly passbooks: PassbookService,
    private readonly publications: PublicationsService,
    private readonly scoring: ScoringService,
    private readonly rules: RulesService,
    private readonly evidence: EvidenceStore,
    private readonly stars: StarsService,
    private readonly scoringSettings: ScoringSettingsService,
    private readonly households: HouseholdsService,
    private readonly villages: VillagesService,
    private readonly villager: VillagerService,
    private readonly honourCampaigns: HonoursService,
    private readonly credit: CreditGradesService,
    private readonly consents: ConsentCodesService,
  ) {}

  @Public()
  @Get()
  async home(@Req() req: Request, @Res() res: Response, @Query('code') code?: string) {
    if (req.actor?.kind !== 'household') {
      return res.render('villager/login', { title: '村民登录', values: { householdCode: code ?? '' } });
    }
    res.render('villager/home', await this.homeContext(req.actor));
  }

  @Public()
  @Post('login')
  async login(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, string>) {
    await submitForm(
      res,
      { view: 'villager/login', context: () => ({ title: '村民登录' }), values: body },
      async () => {
        const dto = await parseForm(VillagerLoginDto, body);
        const { household, proxyId, actor } = await this.auth.loginHousehold(
          dto.householdCode,
          dto.pin,
          loginClient(req, res),
        );
        await this.sessions.startIn(req, res, { householdId: household.id, proxyId });
        const greeting = actor.proxy
          ? `${actor.proxy.name}，您好：您在代${household.headName}家办理`
          : `${household.headName}家，您好`;
        return { redirect: safeNext(body.next, '/villager'), message: greeting };
      },
    );
  }

  /** 异议 from the villager page, on a record of the village's open publication. */
  @Post('objections/:recordId')
  @Allow(Permission.Objection.FileAsHousehold)
  async object(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('recordId', ParseIntPipe) recordId: number,
    @Body() body: Record<string, string>,
  ) {
    const form = {
      view: 'villager/publicity',
      context: () => this.publicityContext(actor),
      values: body,
      fieldNames: { reason: `reason${recordId}` },
    };
    await submitForm(res, form, async () => {
      const dto = await parseForm(ObjectionDto, { reason: body.reason });
      await this.publications.object(actor, recordId, dto.reason);
      return {
        redirect: '/villager#my-objections',
        message: '您的异议已提交，村两委会核实处理，结果会通知您',
      };
    });
  }

  /** 评选活动: the household nominates itself for a star, or objects to a result in 公示. */
  @Get('honours')
  @Allow(Permission.Honour.TakePart)
  async honours(@CurrentActor() actor: Actor, @Res() res: Response) {
    res.render('villager/honours', await this.honoursContext(actor));
  }

  @Post('honours/:id/nominations')
  @Allow(Permission.Honour.TakePart)
  async nominateSelf(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string>,
  ) {
    const form = {
      view: 'villager/honours',
      context: () => this.honoursContext(actor),
      values: body,
      fieldNames: { starId: `star${id}`, reason: `reason${id}` },
    };
    await submitForm(res, form, async () => {
      const dto = await parseForm(NominateDto, {
        householdId: actor.id,
        starId: body.starId,
        reason: body.reason,
      });
      const n = await this.honourCampaigns.nominate(actor, id, dto);
      return { redirect: '/villager/honours', message: `已自荐“${n.starName}”，结果公示时可以在这里看到` };
    });
  }

  @Post('honours/:id/objections')
  @Allow(Permission.Honour.TakePart)
  async objectToHonour(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, string>,
  ) {
    const form = {
      view: 'villager/honours',
      context: () => this.honoursContext(actor),
      values: body,
      fieldNames: { reason: `objection${body.nominationId ?? ''}` },
    };
    await submitForm(res, form, async () => {
      const dto = await parseForm(HonourObjectionDto, {
        nominationId: body.nominationId,
        reason: body.reason,
      });
      await this.honourCampaigns.object(actor, id, dto);
      return { redirect: '/villager/honours', message: '您的异议已提交，村两委会核实答复' };
    });
  }

  /** 信用户评定: the household objects to its own grade during the grades' 公示. */
  @Post('credit-grade/objection')
  @Allow(Permission.CreditGrade.Object)
  async objectToGrade(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string>,
  ) {
    const form = {
      view: 'villager/home',
      context: () => this.homeContext(actor),
      values: body,
      fieldNames: { reason: 'creditReason' },
    };
    await submitForm(res, form, async () => {
      const dto = await parseForm(GradeObjectionDto, { year: body.year, reason: body.creditReason });
      markRepeated(res, (await this.credit.object(actor, actor.villageId as number, dto)).repeated);
      return { redirect: '/villager#credit-grade', message: '您对信用等级的异议已提交，村两委会核实答复' };
    });
  }

  /** 授权银行查询: the household makes a code for a bank's loan officer; the digits are shown this once. */
  @Post('consents')
  @Allow(Permission.Consent.ManageOwn)
  async createConsent(@CurrentActor() actor: Actor, @Res() res: Response) {
    const form = { view: 'villager/home', context: () => this.homeContext(actor), values: {} };
    await submitForm(res, form, async () => {
      const { code, expiresOn } = await this.consents.create(actor, actor.id);
      return {
        redirect: '/villager#bank-consents',
        message: `您的授权码是 ${code}，到 ${expiresOn} 前有效。请只告诉要给您办积分贷的银行信贷员；这个号码只显示这一次，请记下来。`,
      };
    });
  }

  @Post('consents/:id/revoke')
  @Allow(Permission.Consent.ManageOwn)
  async revokeConsent(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Param('id', ParseIntPipe) id: number,
  ) {
    const form = { view: 'villager/home', context: () => this.homeContext(actor), values: {} };
    await submitForm(res, form, async () => {
      const consent = await this.consents.revoke(actor, actor.id, { id });
      return {
        redirect: '/villager#bank-consents',
        message: `尾号 ${consent.lastDigits} 的授权码已撤销，银行不能再凭它查询`,
      };
    });
  }

  /** The village's open 公示, the household's own records first, each with its objection box. */
  @Get('publicity')
  @Allow(Permission.Household.ReadOwn)
  async publicity(@CurrentActor() actor: Actor, @Res() res: Response) {
    res.render('villager/publicity', await this.publicityContext(actor));
  }

  @Get('notices')
  @Allow(Permission.Notice.ReadOwn)
  async notices(@CurrentActor() actor: Actor, @Res() res: Response) {
    res.render('villager/notices', await this.noticesContext(actor));
  }

  @Post('notices/read')
  @Allow(Permission.Notice.ReadOwn)
  async readNotices(
    @CurrentActor() actor: Actor,
    @Res() res: Response,
    @Body() body: Record<string, string>,
  ) {
    const form = { view: 'villager/notices', context: () => this.noticesContext(actor), values: body };
    await submitForm(res, form, async () => {
      const ids = String(body.ids ?? '')
        .split(',')
        .map(Number)
        .filter((n) => Number.isSafeInteger(n) && n > 0 && n <= 2147483647)
        .slice(0, 500);
      await this.villager.markRead(actor, ids);
      return { redirect: '/villager/notices', message: '通知已全部标为已读' };
    });
  }

  /** The whole passbook of the household, with the same filters as the staff page. */
  @Get('passbook')
  @Allow(Permission.Passbook.ReadOwn)
  async passbook(@CurrentActor() actor: Actor, @Res() res: Response, @Query() query: Record<string, string>) {
    const filter = await parseForm(PassbookQuery, {
      from: query.from,
      to: query.to,
      kind: query.kind,
      page: query.page,
    });
    const book = await this.passbooks.passbook(actor, actor.id, filter, PASSBOOK_PAGE);
    res.render(
      'ledger/passbook',
      await passbookView({ stars: this.stars, honours: this.honourCampaigns }, book, filter, {
        title: '我家的积分存折',
        path: '/villager/passbook',
        back: { href: '/villager', label: '返回我的积分' },
      }),
    );
  }

  @Get('declare')
  @Allow(Permission.ScoreRecord.Declare)
  async declareForm(@CurrentActor() actor: Actor, @Res() res: Response) {
    res.render('villager/declare', {
      ...(await this.declareContext(actor)),
      values: { occurredOn: todayInChina() },
    });
  }

  /** 申报好人好事: multipart (the photo), so the CSRF token comes in the action URL. */
  @Post('declare')
  @Allow(Permission.ScoreRecord.Declare)
  @UseInterceptors(PhotoUploadInterceptor)
  async declare(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: Record<string, string>,
    @UploadedFile() photo?: { buffer: Buffer; size: number },
  ) {
    await submitForm(
      res,
      { view: 'villager/declare', context: () => this.declareContext(actor), values: body },
      async () => {
        const refusal = uploadRefusal(req);
        if (refusal) throw refusal;
        const dto = await parseForm(DeclarationDto, {
          ruleId: body.ruleId,
          occurredOn: body.occurredOn,
          note: body.note,
        });
        const evidencePath = await this.evidence.save(photo);
        await this.scoring.declare(actor, { ...dto, evidencePath }).catch(async (error: unknown) => {
          await this.evidence.discard(evidencePath);
          throw error;
        });
        return { redirect: '/villager', message: '申报已提交，村两委审核后会公示' };
      },
    );
  }

  private async homeContext(actor: Actor) {
    const me = await this.villager.me(actor);
    const household = await this.households.get(actor, actor.id);
    const village = await this.villages.kept(household.villageId);
    if (!village) throw DomainError.notFound('村');
    const book = await this.passbooks.passbook(actor, household.id, {}, HOME_ENTRIES);
    const publicizing = await this.publicizing(village.id, household.code);
    return {
      title: '我的积分',
      me,
      household,
      village,
      starText: '★'.repeat(me.stars),
      lines: passbookLines(book.entries),
      moreEntries: book.hasOlder,
      records: recordLines((await this.villager.records(actor)).slice(0, HOME_RECORDS)),
      objections: objectionLines((await this.villager.objections(actor)).slice(0, HOME_RECORDS)),
      notices: noticeLines((await this.villager.noticeList(actor)).items.slice(0, HOME_NOTICES)),
      actingAs: actor.kind === 'household' ? (actor.proxy ?? null) : null,
      proxies: await this.proxyLines(actor),
      publicizingCount: publicizing.length,
      publicizingMine: publicizing.filter((r) => r.mine).length,
      declarationsEnabled: await this.scoringSettings.declarationsEnabled(village.id),
      resetNotice: book.resetNotice,
      credit: await this.credit.ownGrade(actor),
      consents: consentLines(await this.consents.ofHousehold(household.id)),
    };
  }

  private async honoursContext(actor: Actor) {
    const campaigns = await this.honourCampaigns.openIn(actor.villageId as number);
    const today = this.honourCampaigns.today();
    return {
      title: '评选活动',
      campaigns: campaigns.map((c) => {
        const page = campaignPage(c, actor, today);
        return {
          ...page,
          open: c.status === 'OPEN',
          starOptions: c.stars.map((s) => ({ value: s.id, label: `${s.name}（${s.criteria}）` })),
          mine: page.nominations.filter((n) => n.ownHousehold),
          awarded: page.inWindow ? page.nominations.filter((n) => n.status === 'AWARDED') : [],
        };
      }),
    };
  }

  private async proxyLines(actor: Actor) {
    const { active, actions } = await this.villager.proxies(actor);
    return {
      active,
      actions: actions.map((a) => ({ ...a, time: chinaTime(a.at) })),
      any: active.length > 0 || actions.length > 0,
    };
  }

  private async noticesContext(actor: Actor) {
    const { items } = await this.villager.noticeList(actor);
    return {
      title: '我家的通知',
      notices: noticeLines(items),
      unreadIds: items
        .filter((n) => n.readAt === null)
        .map((n) => n.id)
        .join(','),
    };
  }

  private async publicityContext(actor: Actor) {
    const household = await this.households.get(actor, actor.id);
    return {
      title: '正在公示的积分',
      rows: await this.publicizing(household.villageId, household.code),
    };
  }

  /** The records on the village's open boards, the household's own first. */
  private async publicizing(villageId: number, householdCode: string) {
    const open = await this.publications.openInVillage(villageId);
    const rows = open
      .filter((p) => !p.ended)
      .flatMap((p) =>
        p.rows.map((r) => ({
          ...r,
          endsOn: p.endsOn,
          pointsLabel: signedPoints(r.points),
          mine: r.householdCode === householdCode,
        })),
      );
    return [...rows.filter((r) => r.mine), ...rows.filter((r) => !r.mine)];
  }

  private async declareContext(actor: Actor) {
    const villageId = actor.villageId as number;
    const rules = (await this.rules.list({ villageId })).filter((r) => r.active && r.minPoints > 0);
    return {
      title: '申报好人好事',
      enabled: await this.scoringSettings.declarationsEnabled(villageId),
      ruleOptions: rules.map((r) => ({ value: r.id, label: `${r.title}（${pointsLabel(r)}）` })),
    };
  }
}

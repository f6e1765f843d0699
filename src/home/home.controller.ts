import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { scopeLevel, type Actor } from '../access/actor.js';
import { can, Permission as P } from '../access/permissions.js';
import { ROLE_LABELS } from '../access/role.js';
import { Public } from '../auth/decorators.js';
import { ballotView } from '../scoring/council.presenter.js';
import { myRecordsView, todoItems } from './start-page.presenter.js';
import { StartPageService } from './start-page.service.js';

interface StartLink {
  href: string;
  label: string;
  hint: string;
  shows: (actor: Actor) => boolean;
}

const inVillage = (actor: Actor) => actor.villageId !== null;

/** What a person does first, on the start page: the tiles of what they may do, in this order. */
const START_LINKS: StartLink[] = [
  {
    shows: (a) => can(a, P.Township.Manage),
    href: '/admin/townships',
    label: '乡镇',
    hint: '新建、修改、停用乡镇',
  },
  {
    shows: (a) => can(a, P.Village.Create),
    href: '/admin/villages',
    label: '村和村民小组',
    hint: '新建村，维护村民小组',
  },
  {
    shows: (a) => can(a, P.Group.Manage) && !can(a, P.Village.Create) && !inVillage(a),
    href: '/admin/villages',
    label: '本乡镇的村',
    hint: '查看各村，维护村民小组',
  },
  {
    shows: (a) => can(a, P.Group.Manage) && inVillage(a),
    href: '/admin/villages/:villageId',
    label: '本村和村民小组',
    hint: '查看本村，维护村民小组',
  },
  // A reviewer starts with the review; whoever only records starts with recording.
  {
    shows: (a) => can(a, P.ScoreRecord.Record) && !can(a, P.ScoreRecord.Approve),
    href: '/scoring/new',
    label: '登记积分',
    hint: '为一户登记好人好事或违规行为，可拍照',
  },
  {
    shows: (a) => can(a, P.ScoreRecord.Record) && !can(a, P.ScoreRecord.Approve),
    href: '/scoring/batch',
    label: '批量登记',
    hint: '检查后为多户登记同一条细则',
  },
  {
    shows: (a) => can(a, P.ScoreRecord.Approve),
    href: '/scoring/review',
    label: '审核',
    hint: '审核组长登记和村民申报的积分',
  },
  {
    shows: (a) => can(a, P.Council.Vote),
    href: '/council',
    label: '评议会表决',
    hint: '对需要评议的积分记录投票：赞成、反对或弃权',
  },
  {
    shows: (a) => can(a, P.Publication.Read) && !can(a, P.Publication.Open) && inVillage(a),
    href: '/publications',
    label: '公示',
    hint: '本村正在公示的积分和评议会票数',
  },
  {
    shows: (a) => can(a, P.Publication.Open),
    href: '/publications',
    label: '公示',
    hint: '公示已审核的积分，处理异议，期满入账',
  },
  {
    shows: (a) => can(a, P.Supervision.Raise),
    href: '/publications',
    label: '公示监督',
    hint: '查看公示中的记录，有疑问提出监督意见',
  },
  {
    shows: (a) => can(a, P.Household.Create),
    href: '/households',
    label: '农户',
    hint: '建档、成员、导入导出、重设密码',
  },
  {
    shows: (a) => can(a, P.Household.Read) && !can(a, P.Household.Create) && inVillage(a),
    href: '/households',
    label: '农户',
    hint: '按户号、姓名或电话查找',
  },
  {
    shows: (a) => can(a, P.ScoringRule.EditVillage),
    href: '/rules',
    label: '积分细则',
    hint: '维护本村积分清单，可从乡镇模板复制',
  },
  {
    shows: (a) => can(a, P.ScoringRule.Read) && !can(a, P.ScoringRule.EditVillage) && inVillage(a),
    href: '/rules',
    label: '积分细则',
    hint: '本村的积分清单',
  },
  {
    shows: (a) => can(a, P.CreditGrade.Configure),
    href: '/credit-grades',
    label: '信用户评定',
    hint: '按本村表决的标准评定信用等级，公示，报乡镇备案',
  },
  {
    shows: (a) => can(a, P.CreditGrade.File),
    href: '/credit-grades',
    label: '信用户评定备案',
    hint: '各村报来的信用等级：备案或退回',
  },
  {
    shows: (a) => can(a, P.Supermarket.Operate) && !can(a, P.Goods.Edit),
    href: '/supermarket/reports',
    label: '超市账目',
    hint: '兑换、入库、库存的报表和明细',
  },
  {
    shows: (a) => can(a, P.Bank.Lookup),
    href: '/bank',
    label: '积分贷查询',
    hint: '凭农户给的授权码查看信用等级和积分，记录贷款结果',
  },
  {
    shows: (a) => can(a, P.AuditLog.Read) && inVillage(a),
    href: '/audit',
    label: '操作日志',
    hint: '本村谁在什么时候做了什么',
  },
  {
    shows: (a) => can(a, P.User.Manage) && scopeLevel(a) === 'county',
    href: '/admin/users',
    label: '账号',
    hint: '为乡镇和各村开设工作人员账号',
  },
  {
    shows: (a) => can(a, P.User.Manage) && scopeLevel(a) === 'township',
    href: '/admin/users',
    label: '账号',
    hint: '为各村开设工作人员账号',
  },
  // 党员量化积分: the branch (and the committee) on the branch's page; a member starts with their own book.
  {
    shows: (a) => can(a, P.Party.Read) && !can(a, P.Party.ReadOwn),
    href: '/party',
    label: '党员量化积分',
    hint: '党员登记、积分审核、党内公示、排名和五星党员',
  },
  {
    shows: (a) => can(a, P.Party.ReadOwn),
    href: '/party/me',
    label: '我的党员积分',
    hint: '积分存折、承诺践诺和联系户',
  },
  {
    shows: (a) => can(a, P.Party.ReadOwn),
    href: '/party',
    label: '党内公示和排名',
    hint: '支部公示中的记录（可提异议）和党员排名',
  },
  {
    shows: (a) => can(a, P.User.Manage) && scopeLevel(a) === 'village',
    href: '/admin/users',
    label: '组长和超市管理员账号',
    hint: '开设、停用本村工作人员账号',
  },
];

@ApiExcludeController()
@Controller()
export class HomeController {
  constructor(private readonly startPage: StartPageService) {}

  /** `/`: the start page of a logged-in person (their to-do, then the tiles), or the login page for a visitor (API.md). */
  @Public()
  @Get()
  async home(@Req() req: Request, @Res() res: Response) {
    const actor = req.actor;
    if (!actor) return res.render('auth/login', { title: '登录', next: '' });
    if (actor.kind === 'household') return res.redirect(303, '/villager');
    const links = START_LINKS.filter((l) => l.shows(actor)).map(({ href, label, hint }) => ({
      label,
      hint,
      href: href.replace(':villageId', String(actor.villageId)),
    }));
    const facts = await this.startPage.facts(actor);
    res.render('home/index', {
      title: '首页',
      roleLabel: ROLE_LABELS[actor.role],
      todo: todoItems(facts),
      myRecords: myRecordsView(facts.myRecords),
      // A council member sees the section even when nothing waits ("没有等待您表决的记录").
      council: facts.ballots !== undefined,
      ballots: facts.ballots?.map(ballotView),
      opinions: facts.supervision?.waiting,
      links,
    });
  }
}

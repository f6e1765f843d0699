import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ROLE_LABELS } from '../access/role.js';
import { Public } from '../auth/decorators.js';

/** What each role does first, on its start page. */
const START_LINKS: Record<string, { href: string; label: string; hint: string }[]> = {
  ADMIN: [
    { href: '/admin/townships', label: '乡镇', hint: '新建、修改、停用乡镇' },
    { href: '/admin/villages', label: '村和村民小组', hint: '新建村，维护村民小组' },
    { href: '/admin/users', label: '账号', hint: '为乡镇和各村开设工作人员账号' },
  ],
  TOWNSHIP: [
    { href: '/admin/villages', label: '本乡镇的村', hint: '查看各村，维护村民小组' },
    { href: '/admin/users', label: '账号', hint: '为各村开设工作人员账号' },
  ],
  VILLAGE_ADMIN: [
    { href: '/admin/villages/:villageId', label: '本村和村民小组', hint: '查看本村，维护村民小组' },
    { href: '/scoring/review', label: '审核', hint: '审核组长登记和村民申报的积分' },
    { href: '/publications', label: '公示', hint: '公示已审核的积分，处理异议，期满入账' },
    { href: '/households', label: '农户', hint: '建档、成员、导入导出、重设密码' },
    { href: '/rules', label: '积分细则', hint: '维护本村积分清单，可从乡镇模板复制' },
    { href: '/admin/users', label: '组长和超市管理员账号', hint: '开设、停用本村工作人员账号' },
  ],
  SCORER: [
    { href: '/scoring/new', label: '登记积分', hint: '为一户登记好人好事或违规行为，可拍照' },
    { href: '/scoring/batch', label: '批量登记', hint: '检查后为多户登记同一条细则' },
    { href: '/households', label: '农户', hint: '按户号、姓名或电话查找' },
    { href: '/rules', label: '积分细则', hint: '本村的积分清单' },
  ],
  CLERK: [
    { href: '/households', label: '农户', hint: '按户号、姓名或电话查找' },
    { href: '/rules', label: '积分细则', hint: '本村的积分清单' },
  ],
};

@ApiExcludeController()
@Controller()
export class HomeController {
  /** `/`: the start page of a logged-in person, or the login page for a visitor (API.md). */
  @Public()
  @Get()
  home(@Req() req: Request, @Res() res: Response) {
    const actor = req.actor;
    if (!actor) return res.render('auth/login', { title: '登录', next: '' });
    if (actor.kind === 'household') return res.redirect(303, '/villager');
    const links = (START_LINKS[actor.role] ?? []).map((l) => ({
      ...l,
      href: l.href.replace(':villageId', String(actor.villageId)),
    }));
    res.render('home/index', { title: '首页', roleLabel: ROLE_LABELS[actor.role], links });
  }
}

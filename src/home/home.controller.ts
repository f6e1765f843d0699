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
    { href: '/admin/users', label: '组长和超市管理员账号', hint: '开设、停用本村工作人员账号' },
  ],
  SCORER: [],
  CLERK: [],
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

import { Injectable } from '@nestjs/common';
import type { Actor } from '../access/actor.js';
import { can, Permission } from '../access/permissions.js';
import { pager, type PageQuery } from '../common/pagination.js';
import { TownshipsService } from '../townships/townships.service.js';
import { VillagesService } from './villages.service.js';

/** One group name a line, as a committee would write them down. */
export function groupLines(text: unknown): string[] {
  return typeof text === 'string'
    ? text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line.length > 0)
    : [];
}

/** The village pages' view models: rows with their township's name, the choices of the forms, what may be done. */
@Injectable()
export class VillagesPresenter {
  constructor(
    private readonly villages: VillagesService,
    private readonly townships: TownshipsService,
  ) {}

  async listPage(actor: Actor, query: PageQuery) {
    const { items, total } = await this.villages.list(actor, { page: query.page, pageSize: query.pageSize });
    const townships = new Map((await this.townships.list(actor)).map((t) => [t.id, t.name]));
    return {
      title: '村',
      villages: items.map((v) => ({ ...v, townshipName: townships.get(v.townshipId) ?? '' })),
      pager: pager(query.page, query.pageSize, total),
      canCreate: can(actor, Permission.Village.Create),
    };
  }

  async newPage(actor: Actor) {
    const townships = (await this.townships.list(actor)).filter((t) => t.active);
    return { title: '新建村', townshipOptions: townships.map((t) => ({ value: t.id, label: t.name })) };
  }

  async showPage(actor: Actor, id: number) {
    const village = await this.villages.get(actor, id);
    return {
      title: village.name,
      village,
      canEdit: can(actor, Permission.Village.Update),
      isCommittee: can(actor, Permission.Village.SetDeclarations),
    };
  }
}

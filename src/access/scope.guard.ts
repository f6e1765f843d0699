import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { raw } from '../database/raw.js';
import { assertInScope, ScopeTarget } from './scope-policy.js';

export type ScopeKind = 'township' | 'village' | 'user' | keyof typeof IN_VILLAGE;
type Source = `${'params' | 'body' | 'query'}.${string}`;

const SCOPE_KEY = 'vp:scope';
const NAMES: Record<ScopeKind, string> = {
  township: '乡镇',
  village: '村',
  group: '村民小组',
  household: '农户',
  user: '账号',
  record: '积分记录',
  publication: '公示',
  objection: '异议',
  goods: '商品',
  redemption: '兑换单',
  snapshot: '排名快照',
  listEntry: '红黑榜条目',
  certificate: '积分证明',
  opinion: '监督意见',
  movement: '库存变动',
  revision: '细则修订',
  campaign: '评选活动',
  honourObjection: '评选异议',
  statement: '超市月度账目',
  grid: '网格',
  gridAffair: '网格事务',
  activity: '志愿服务活动',
  inspectionRound: '入户检查',
  partyMember: '党员',
  partyRecord: '党员积分记录',
  partyPublication: '党内公示',
  partyObjection: '异议',
  partyCommitment: '承诺',
};

/** Things that live in a village, with their table: the scope check joins them to their village. */
const IN_VILLAGE = {
  group: 'village_group',
  household: 'household',
  record: 'score_record',
  publication: 'publication',
  objection: 'objection',
  goods: 'goods',
  redemption: 'redemption',
  snapshot: 'ranking_snapshot',
  listEntry: 'list_entry',
  certificate: 'credit_certificate',
  opinion: 'supervision_opinion',
  movement: 'stock_movement',
  revision: 'rule_revision',
  campaign: 'honour_campaign',
  honourObjection: 'honour_objection',
  statement: 'monthly_statement',
  grid: 'grid',
  gridAffair: 'grid_affair',
  activity: 'activity',
  inspectionRound: 'inspection_round',
  partyMember: 'party_member',
  partyRecord: 'party_record',
  partyPublication: 'party_publication',
  partyObjection: 'party_objection',
  partyCommitment: 'party_commitment',
} as const;

/** The route acts on the `kind` whose id is at `source` (e.g. `params.id`): the ScopeGuard checks it is in scope. */
export const InScope = (kind: ScopeKind, source: Source) => SetMetadata(SCOPE_KEY, { kind, source });

/**
 * The one guard that decides scope for routes that name their target. A target that does not exist is 404; one in
 * another village or township is 403. The rule itself is `inScope` in scope-policy.ts.
 */
@Injectable()
export class ScopeGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const meta = this.reflector.get<{ kind: ScopeKind; source: Source } | undefined>(
      SCOPE_KEY,
      context.getHandler(),
    );
    if (!meta) return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (!req.actor) throw new DomainError('UNAUTHENTICATED', '请先登录');
    const [where, field] = meta.source.split('.') as ['params' | 'body' | 'query', string];
    const given = (req[where] as Record<string, unknown> | undefined)?.[field];
    const id =
      typeof given === 'number' ? given : /^\d{1,9}$/.test(String(given ?? '')) ? Number(given) : NaN;
    if (!Number.isInteger(id) || id <= 0) {
      if (where === 'params') throw DomainError.notFound(NAMES[meta.kind]);
      throw DomainError.validation({ [field]: `请选择${NAMES[meta.kind]}` });
    }
    const target = await this.resolve(meta.kind, id);
    if (!target) throw DomainError.notFound(NAMES[meta.kind]);
    assertInScope(req.actor, target);
    return true;
  }

  /** Where a thing lives, in one query. */
  async resolve(kind: ScopeKind, id: number): Promise<ScopeTarget | null> {
    const sql =
      kind === 'township'
        ? 'SELECT t.id AS "townshipId", NULL AS "villageId" FROM township t WHERE t.id = $1'
        : kind === 'village'
          ? 'SELECT v."townshipId" AS "townshipId", v.id AS "villageId" FROM village v WHERE v.id = $1'
          : kind === 'user'
            ? 'SELECT u."townshipId" AS "townshipId", u."villageId" AS "villageId" FROM app_user u WHERE u.id = $1'
            : `SELECT v."townshipId" AS "townshipId", v.id AS "villageId" FROM ${IN_VILLAGE[kind]} x JOIN village v ON v.id = x."villageId" WHERE x.id = $1`;
    const rows = await raw<ScopeTarget>(this.dataSource, sql, [id]);
    if (rows.length === 0) return null;
    // A user with no township (the admin) lives nowhere: only the admin may act on it.
    return { townshipId: rows[0].townshipId ?? -1, villageId: rows[0].villageId };
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuditLog } from './audit-log.entity.js';
import { auditRefs, type AuditNames } from './audit-log.presenter.js';

/**
 * The names behind a page of 操作日志 entries: households, goods, rules, accounts, groups, townships and score
 * records, one query per kind for the ids the page mentions. Read by table and column, as the ledger reads the
 * tables of the features above it, so the audit log imports no feature's entities.
 */
@Injectable()
export class AuditLogService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async names(rows: AuditLog[], villages: Map<number, string>): Promise<AuditNames> {
    const refs = auditRefs(rows);
    const records = new Map(
      (
        await this.select<{ id: number; householdId: number; ruleId: number }>(
          'score_record',
          ['id', 'householdId', 'ruleId'],
          refs.records,
        )
      ).map((r) => [Number(r.id), { householdId: Number(r.householdId), ruleId: Number(r.ruleId) }]),
    );
    for (const r of records.values()) {
      refs.households.add(r.householdId);
      refs.rules.add(r.ruleId);
    }
    const townshipIds = new Set(rows.map((r) => r.townshipId).filter((id): id is number => id !== null));
    const [households, goods, rules, users, groups, townships] = await Promise.all([
      this.select<{ id: number; code: string; headName: string }>(
        'household',
        ['id', 'code', 'headName'],
        refs.households,
      ),
      this.select<{ id: number; name: string }>('goods', ['id', 'name'], refs.goods),
      this.select<{ id: number; code: string; title: string }>(
        'scoring_rule',
        ['id', 'code', 'title'],
        refs.rules,
      ),
      this.select<{ id: number; displayName: string; username: string; role: string }>(
        'app_user',
        ['id', 'displayName', 'username', 'role'],
        refs.users,
      ),
      this.select<{ id: number; name: string }>('village_group', ['id', 'name'], refs.groups),
      this.select<{ id: number; name: string }>('township', ['id', 'name'], townshipIds),
    ]);
    const byId = <T extends { id: number }, V>(list: T[], value: (t: T) => V) =>
      new Map(list.map((t) => [Number(t.id), value(t)]));
    return {
      households: byId(households, (h) => ({ code: h.code, headName: h.headName })),
      goods: byId(goods, (g) => g.name),
      rules: byId(rules, (r) => ({ code: r.code, title: r.title })),
      users: byId(users, (u) => ({ displayName: u.displayName, username: u.username, role: u.role })),
      groups: byId(groups, (g) => g.name),
      villages,
      townships: byId(townships, (t) => t.name),
      records,
    };
  }

  private async select<T>(table: string, columns: string[], ids: Set<number>): Promise<T[]> {
    if (ids.size === 0) return [];
    return this.dataSource
      .createQueryBuilder()
      .select(columns.map((c) => `t."${c}" AS "${c}"`))
      .from(table, 't')
      .where('t.id IN (:...ids)', { ids: [...ids] })
      .getRawMany<T>();
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { Actor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { todayInChina } from '../common/dates.js';
import { DomainError } from '../common/domain-error.js';
import { Transactions } from '../database/transactions.js';
import { LedgerEntry } from '../ledger/ledger-entry.entity.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { Group } from '../villages/group.entity.js';
import { Village } from '../villages/village.entity.js';
import { Household } from './household.entity.js';
import { HouseholdsService } from './households.service.js';
import { readSheet, rowsByHeader } from './spreadsheet.js';

/** The columns of the household spreadsheet, import and export alike (export adds the code and balances). */
export const IMPORT_COLUMNS = ['户主姓名', '村民小组', '家庭人口', '联系电话'];
export const EXPORT_COLUMNS = ['户号', ...IMPORT_COLUMNS, '可用积分', '累计积分', '状态'];
export const OPENING_COLUMNS = ['户号', '期初积分'];

const PHONE = /^[0-9+\- ]{5,20}$/;

/** "All rows or none": every wrong row is named, and nothing is written. */
function refuse(problems: string[]): never {
  throw new DomainError(
    'VALIDATION_FAILED',
    `文件中有 ${problems.length} 处错误，没有导入任何一行，请改正后重新上传`,
    {
      rows: problems.slice(0, 200),
    },
  );
}

/**
 * 农户名册 in and out of spreadsheets, and 期初积分 for a village moving from paper. Households imported this way
 * get no PIN: the committee sets one per household (shown once), because hashing thousands of PINs with scrypt
 * would take minutes and a printed list of PINs is a risk of its own.
 */
@Injectable()
export class HouseholdSheetsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly households: HouseholdsService,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  async importHouseholds(actor: Actor, villageId: number, file: Buffer) {
    const rows = rowsByHeader(await readSheet(file), ['户主姓名', '家庭人口']);
    if (rows.length === 0) throw DomainError.validation({ file: '文件里没有农户' });
    if (rows.length > 20_000) throw DomainError.validation({ file: '一次最多导入 20000 户' });
    return this.transactions.run(async (manager) => {
      const village = await this.villageInScope(actor, villageId);
      const groups = new Map(
        (await manager.findBy(Group, { villageId, active: true })).map((g) => [g.name, g.id]),
      );
      const problems: string[] = [];
      const valid = rows.map(({ line, cells }) => {
        const wrong: string[] = [];
        const headName = cells['户主姓名'];
        if (!headName) wrong.push('户主姓名没有填');
        else if (headName.length > 40) wrong.push('户主姓名超过 40 个字');
        const groupName = cells['村民小组'] ?? '';
        const groupId = groupName ? groups.get(groupName) : null;
        if (groupId === undefined) wrong.push(`本村没有“${groupName}”这个村民小组`);
        const members = Number(cells['家庭人口']);
        if (!/^\d+$/.test(cells['家庭人口'] ?? '') || members < 1 || members > 99)
          wrong.push('家庭人口应为 1–99 的整数');
        const phone = cells['联系电话'] ?? '';
        if (phone && !PHONE.test(phone)) wrong.push('联系电话应为 5–20 位数字');
        if (wrong.length > 0) problems.push(`第 ${line} 行：${wrong.join('；')}`);
        return {
          groupId: groupId ?? null,
          headName,
          memberCount: members,
          phone: phone || null,
          pinHash: null,
        };
      });
      if (problems.length > 0) refuse(problems);
      const created: Household[] = [];
      for (const fields of valid) created.push(await this.households.insert(manager, village, fields));
      await this.audit.record(
        actor,
        {
          action: 'household.import',
          entityType: 'village',
          entityId: villageId,
          townshipId: village.townshipId,
          villageId,
          details: {
            count: created.length,
            first: created[0]?.code,
            last: created[created.length - 1]?.code,
          },
        },
        manager,
      );
      return created.map((h) => ({ id: h.id, code: h.code, headName: h.headName }));
    });
  }

  /** The same columns as the import, plus the code, the balances and the status: never a PIN. */
  async exportRows(actor: Actor, villageId: number): Promise<(string | number)[][]> {
    await this.villageInScope(actor, villageId);
    const groups = new Map(
      (await this.dataSource.getRepository(Group).findBy({ villageId })).map((g) => [g.id, g.name]),
    );
    const households = await this.dataSource
      .getRepository(Household)
      .find({ where: { villageId }, order: { code: 'ASC' } });
    return [
      EXPORT_COLUMNS,
      ...households.map((h) => [
        h.code,
        h.headName,
        (h.groupId && groups.get(h.groupId)) || '',
        h.memberCount,
        h.phone ?? '',
        h.available,
        h.earned,
        h.status === 'MOVED_OUT' ? '已迁出' : '在册',
      ]),
    ];
  }

  /** 期初积分: one OPENING entry per household, all rows or none, never twice for a household. */
  async importOpening(actor: Actor, villageId: number, file: Buffer) {
    const rows = rowsByHeader(await readSheet(file), OPENING_COLUMNS);
    if (rows.length === 0) throw DomainError.validation({ file: '文件里没有数据' });
    return this.transactions.run(async (manager) => {
      const village = await this.villageInScope(actor, villageId);
      const codes = rows.map((r) => r.cells['户号'].toUpperCase());
      const households = new Map(
        (await manager.findBy(Household, { villageId, code: In(codes.filter(Boolean)) })).map((h) => [
          h.code,
          h,
        ]),
      );
      const opened = new Set(
        (
          await manager.find(LedgerEntry, {
            where: { villageId, kind: 'OPENING' },
            select: { householdId: true },
          })
        ).map((e) => e.householdId),
      );
      const seen = new Set<string>();
      const problems: string[] = [];
      const entries = rows.map(({ line, cells }, i) => {
        const code = codes[i];
        const household = households.get(code);
        const wrong: string[] = [];
        if (!household) wrong.push(`本村没有户号“${cells['户号']}”`);
        else if (opened.has(household.id)) wrong.push(`${code} 已经有期初积分，不能重复结转`);
        if (seen.has(code)) wrong.push(`${code} 在文件里出现了两次`);
        seen.add(code);
        const amount = Number(cells['期初积分']);
        if (!/^\d{1,7}$/.test(cells['期初积分'] ?? '')) wrong.push('期初积分应为 0 或正整数');
        if (wrong.length > 0) problems.push(`第 ${line} 行：${wrong.join('；')}`);
        return { household, amount };
      });
      if (problems.length > 0) refuse(problems);
      const today = todayInChina();
      let carried = 0;
      for (const { household, amount } of entries) {
        if (!household || amount === 0) continue;
        await this.ledger.append(manager, {
          householdId: household.id,
          amount,
          kind: 'OPENING',
          description: '期初积分（纸质台账结转）',
          occurredOn: today,
          refType: 'import',
          createdBy: actor.id,
        });
        carried += 1;
      }
      await this.audit.record(
        actor,
        {
          action: 'household.opening_import',
          entityType: 'village',
          entityId: villageId,
          townshipId: village.townshipId,
          villageId,
          details: {
            rows: entries.length,
            entries: carried,
            total: entries.reduce((n, e) => n + e.amount, 0),
          },
        },
        manager,
      );
      return { rows: entries.length, entries: carried };
    });
  }

  private async villageInScope(actor: Actor, villageId: number): Promise<Village> {
    const village = await this.dataSource.getRepository(Village).findOneBy({ id: villageId });
    if (!village) throw DomainError.notFound('村');
    assertInScope(actor, { townshipId: village.townshipId, villageId });
    if (!village.active) throw DomainError.validation({ villageId: '该村已停用' });
    return village;
  }
}

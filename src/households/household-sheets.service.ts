import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Actor, StaffActor } from '../access/actor.js';
import { assertInScope } from '../access/scope-policy.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { villageScope } from '../database/read-cache.js';
import { Transactions } from '../database/transactions.js';
import type { Village } from '../villages/village.entity.js';
import { VillagesService } from '../villages/villages.service.js';
import { householdsNotNew, recordOpenings } from '../scoring/openings.js';
import { TownshipsService } from '../townships/townships.service.js';
import { householdCode } from './household-code.js';
import { Household } from './household.entity.js';
import {
  checkHouseholdRows,
  EXPORT_COLUMNS,
  ImportRow,
  PIN_COLUMN,
  REQUIRED_COLUMNS,
} from './household-rows.js';
import { HouseholdsService } from './households.service.js';
import { hashPins, newPin } from './pin.js';
import { readSheet, rowsByHeader } from './spreadsheet.js';

export const OPENING_COLUMNS = ['户号', '期初积分'];

/** More rows than any village has households: a bigger file is a mistake (a whole county, a wrong sheet). */
const MAX_ROWS = 20_000;
/** PINs hashed in one import: about 50 ms of CPU each (scrypt), so 500 take 15–40 s on a two-core server. */
export const MAX_PINS = 500;
/** Row problems listed in one answer: enough to fix a file, not a page of thousands. */
const MAX_PROBLEMS = 200;

/** "All rows or none": every wrong row is named, and nothing is written. */
function refuse(problems: string[]): never {
  const listed = problems.slice(0, MAX_PROBLEMS);
  if (problems.length > MAX_PROBLEMS) listed.push(`……另有 ${problems.length - MAX_PROBLEMS} 行有错误`);
  throw new DomainError(
    'VALIDATION_FAILED',
    `文件中有 ${problems.length} 行有错误，没有导入任何一行，请改正后重新上传`,
    { rows: listed },
  );
}

/** An imported household as the answer shows it; `pin` only when it was made up here (shown this once). */
export interface ImportedHousehold {
  id: number;
  code: string;
  headName: string;
  /** A PIN has been set: without one the villager cannot log in yet. */
  canLogIn: boolean;
  pin?: string;
}

/**
 * Rows that look like a household the village already has (or like an earlier row of the file): refused and named
 * (`refuse`, the default), left out (`skip`), or imported all the same once the committee says they are different
 * households (`add`).
 */
export const DUPLICATE_CHOICES = ['refuse', 'skip', 'add'] as const;
export type DuplicateChoice = (typeof DUPLICATE_CHOICES)[number];

export interface ImportResult {
  households: ImportedHousehold[];
  /** Rows left out as households the village already has. */
  skipped: number;
  /** This very file was imported before: nothing was created, and `households` are those of that import. */
  alreadyImportedAt?: Date;
}

/** The same 户主, 小组 and phone: what a committee would call "the same household". */
const sameHousehold = (h: { headName: string; groupId: number | null; phone: string | null }) =>
  JSON.stringify([h.headName, h.groupId ?? null, h.phone ?? null]);

/** The audit row of an import carries the file's hash: an upload of the same bytes to the same village is a repeat. */
const fileHash = (file: Buffer) => createHash('sha256').update(file).digest('hex');

/** 农户名册 in and out of spreadsheets, and 期初积分 for a village moving from paper. */
@Injectable()
export class HouseholdSheetsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly households: HouseholdsService,
    private readonly audit: AuditService,
    private readonly villages: VillagesService,
    private readonly townships: TownshipsService,
  ) {}

  /**
   * All rows or none, in one transaction, with codes from HouseholdsService.insert as for a single household.
   *
   * Once only: the file's SHA-256 goes into the import's audit row, and the same file uploaded again to the village
   * (a second click, a reloaded result page) creates nothing and answers with the first import's households. Rows
   * with the 户主, 小组 and phone of a household of the village, or of an earlier row, are refused by name unless
   * the committee chooses to skip them or to add them anyway (`duplicates`).
   *
   * PINs: a PIN costs about 50 ms of CPU to hash (scrypt), so 10,000 of them would take minutes. A file without a
   * PIN column therefore imports households without one (they cannot log in until the committee sets a PIN on the
   * household page), which keeps 10,000 rows to seconds. A file with the column gives each household the PIN typed,
   * or six random digits when the cell is empty, returned this once; those are hashed two at a time before the
   * transaction opens (so other writes do not queue behind it), and one file may carry at most MAX_PINS of them.
   */
  async importHouseholds(
    actor: Actor,
    villageId: number,
    file: Buffer,
    duplicates: DuplicateChoice = 'refuse',
  ): Promise<ImportResult> {
    const hash = fileHash(file);
    const village = await this.villageInScope(actor, villageId);
    const earlier = await this.earlierImport(this.dataSource.manager, village, hash);
    if (earlier) return earlier;
    const rows = rowsByHeader(await readSheet(file), REQUIRED_COLUMNS);
    if (rows.length === 0) throw DomainError.validation({ file: '文件里没有农户' });
    if (rows.length > MAX_ROWS) throw DomainError.validation({ file: `一次最多导入 ${MAX_ROWS} 户` });
    // Groups are never deleted, only retired: a name found here stays a group of this village.
    const groupRows = await this.villages.groups(villageId);
    const groups = new Map(groupRows.filter((g) => g.active).map((g) => [g.name, g.id]));
    const checked = checkHouseholdRows(rows, groups);
    if (checked.problems.length > 0) refuse(checked.problems);
    let decided: Awaited<ReturnType<HouseholdSheetsService['decideDuplicates']>>;
    try {
      decided = await this.decideDuplicates(
        village,
        checked.households,
        new Map(groupRows.map((g) => [g.id, g.name])),
        duplicates,
      );
    } catch (e) {
      // The same file sent twice at once: the first may have committed its rows since the check above, and they
      // look like households of the village. That is the first import, not a duplicate.
      const repeat = await this.earlierImport(this.dataSource.manager, village, hash);
      if (repeat) return repeat;
      throw e;
    }
    const { households, skipped } = decided;
    const withPin = households.filter((h) => h.wantsPin).length;
    if (withPin > MAX_PINS)
      throw DomainError.validation({
        file: `一次最多为 ${MAX_PINS} 户设置密码(PIN)，这个文件有 ${withPin} 户。请分批导入，或删去“${PIN_COLUMN}”列，导入后在各户页面设置密码`,
      });
    const pins = households.map((h) => h.pin ?? (h.wantsPin ? newPin() : null));
    const pinHashes = await hashPins(pins);
    return this.transactions.run(async (manager) => {
      // The same file sent twice at once: the second waits here, then finds the first's audit row.
      await this.villages.lockIn(manager, villageId);
      const repeat = await this.earlierImport(manager, village, hash);
      if (repeat) return repeat;
      const created = await this.households.insert(
        manager,
        village,
        households.map(({ headName, groupId, memberCount, phone }, i) => ({
          headName,
          groupId,
          memberCount,
          phone,
          pinHash: pinHashes[i],
        })),
      );
      const made = households.filter((h) => h.wantsPin && h.pin === null).length;
      this.transactions.changed(manager, villageScope(village));
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
            first: created[0].code,
            last: created[created.length - 1].code,
            pins: withPin,
            generatedPins: made,
            ...(skipped > 0 ? { skipped } : {}),
            ...(duplicates === 'add' ? { duplicatesAdded: true } : {}),
            file: hash,
          },
        },
        manager,
      );
      return {
        skipped,
        households: created.map((h, i) => ({
          id: h.id,
          code: h.code,
          headName: h.headName,
          canLogIn: h.pinHash !== null,
          ...(households[i].pin === null && pins[i] !== null ? { pin: pins[i] } : {}),
        })),
      };
    });
  }

  /** The import of this very file into the village, if there was one: its households as they are now, no PINs. */
  private async earlierImport(
    manager: EntityManager,
    village: Village,
    hash: string,
  ): Promise<ImportResult | null> {
    const audit = await this.audit.firstWith(manager, {
      action: 'household.import',
      villageId: village.id,
      key: 'file',
      value: hash,
    });
    if (!audit) return null;
    const { first, last, skipped } = JSON.parse(audit.details as string) as {
      first: string;
      last: string;
      skipped?: number;
    };
    const number = (code: string) => Number(code.slice(code.lastIndexOf('-') + 1));
    const codes: string[] = [];
    for (let n = number(first); n <= number(last); n++) codes.push(householdCode(village.code, n));
    const found: Household[] = [];
    for (let start = 0; start < codes.length; start += 500)
      found.push(
        ...(await manager.findBy(Household, {
          villageId: village.id,
          code: In(codes.slice(start, start + 500)),
        })),
      );
    found.sort((a, b) => number(a.code) - number(b.code));
    return {
      alreadyImportedAt: audit.createdAt,
      skipped: skipped ?? 0,
      households: found.map((h) => ({
        id: h.id,
        code: h.code,
        headName: h.headName,
        canLogIn: h.pinHash !== null,
      })),
    };
  }

  /**
   * Rows like a household of the village (same 户主, 小组 and phone) or like an earlier row of the file: named and
   * refused, left out, or kept, as the committee chose. Moved-out households count too: a family that comes back is
   * the committee's call.
   */
  private async decideDuplicates(
    village: Village,
    rows: ImportRow[],
    groupNames: Map<number, string>,
    choice: DuplicateChoice,
  ): Promise<{ households: ImportRow[]; skipped: number }> {
    if (choice === 'add') return { households: rows, skipped: 0 };
    const existing = new Map(
      (
        await this.dataSource.getRepository(Household).find({
          where: { villageId: village.id },
          select: { code: true, headName: true, groupId: true, phone: true },
          order: { id: 'ASC' },
        })
      ).map((h) => [sameHousehold(h), h.code]),
    );
    const inFile = new Map<string, number>();
    const named: string[] = [];
    const kept = rows.filter((row) => {
      const key = sameHousehold(row);
      const code = existing.get(key);
      const line = inFile.get(key);
      if (line === undefined) inFile.set(key, row.line);
      if (code === undefined && line === undefined) return true;
      const who = [row.headName, row.groupId ? groupNames.get(row.groupId) : null, row.phone].filter(Boolean);
      named.push(
        `第 ${row.line} 行：${who[0]}（${who.slice(1).join('，') || '没有小组和电话'}）` +
          (code !== undefined ? `与本村已有农户 ${code} 相同` : `与第 ${line} 行相同`),
      );
      return false;
    });
    if (named.length === 0) return { households: rows, skipped: 0 };
    if (choice === 'refuse') {
      const listed = named.slice(0, MAX_PROBLEMS);
      if (named.length > MAX_PROBLEMS) listed.push(`……另有 ${named.length - MAX_PROBLEMS} 行`);
      throw new DomainError(
        'DUPLICATE',
        `文件中有 ${named.length} 行与已有的农户相同（户主姓名、村民小组、联系电话都一样），没有导入任何一行。` +
          '请选择“跳过这些行”，或确认它们是不同的农户后选择“照样导入”，再上传一次',
        { rows: listed, duplicates: named.length },
      );
    }
    if (kept.length === 0)
      throw DomainError.validation({ file: `文件里的 ${named.length} 户本村都已有，没有新的农户可导入` });
    return { households: kept, skipped: named.length };
  }

  /** The same columns as the import, plus the code, the balances and the status: never a PIN. */
  async exportRows(actor: Actor, villageId: number): Promise<(string | number)[][]> {
    await this.villageInScope(actor, villageId);
    const groups = new Map((await this.villages.groupNames(villageId)).map((g) => [g.id, g.name]));
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

  /**
   * 期初积分: one record per household for review and 公示 (posted as an OPENING entry), all rows or none, only for
   * households with no points in the book yet, never twice, within the township's cap.
   */
  async importOpening(actor: Actor, villageId: number, file: Buffer) {
    const rows = rowsByHeader(await readSheet(file), OPENING_COLUMNS);
    if (rows.length === 0) throw DomainError.validation({ file: '文件里没有数据' });
    if (rows.length > MAX_ROWS) throw DomainError.validation({ file: `一次最多导入 ${MAX_ROWS} 户` });
    return this.transactions.run(async (manager) => {
      const village = await this.villageInScope(actor, villageId, manager);
      // Two imports at once (PostgreSQL) would both find a household not yet opened: the second waits here.
      await this.villages.lockIn(manager, villageId);
      const codes = rows.map((r) => r.cells['户号'].toUpperCase());
      const households = new Map(
        (await manager.findBy(Household, { villageId, code: In(codes.filter(Boolean)) })).map((h) => [
          h.code,
          h,
        ]),
      );
      const township = await this.townships.findIn(manager, village.townshipId);
      if (!township) throw DomainError.notFound('乡镇');
      const cap = township.openingCap;
      if (cap < 1)
        throw new DomainError('INVALID_STATE', '乡镇还没有设定期初积分上限，暂不能结转期初积分，请联系乡镇');
      // Only for a household that joins with a paper passbook: none of its points are in the book yet.
      const { withEntries, withOpening } = await householdsNotNew(manager, villageId);
      const seen = new Set<string>();
      const problems: string[] = [];
      const entries: { householdId: number; amount: number }[] = [];
      rows.forEach(({ line, cells }, i) => {
        const code = codes[i];
        const household = households.get(code);
        const wrong: string[] = [];
        if (!code) wrong.push('户号没有填');
        else if (!household) wrong.push(`本村没有户号“${cells['户号']}”`);
        else if (withOpening.has(household.id)) wrong.push(`${code} 已经有期初积分，不能重复结转`);
        else if (withEntries.has(household.id))
          wrong.push(`${code} 的存折已有明细，期初积分只用于刚加入、还没有积分的农户`);
        if (code && seen.has(code)) wrong.push(`${code} 在文件里出现了两次`);
        seen.add(code);
        const amount = Number(cells['期初积分']);
        if (!/^\d{1,7}$/.test(cells['期初积分'] ?? '') || amount < 1 || amount > cap)
          wrong.push(`期初积分应为 1 到 ${cap} 之间的整数（乡镇设定的上限）`);
        if (wrong.length > 0) problems.push(`第 ${line} 行：${wrong.join('；')}`);
        else if (household) entries.push({ householdId: household.id, amount });
      });
      if (problems.length > 0) refuse(problems);
      const total = entries.reduce((n, e) => n + e.amount, 0);
      // Nothing reaches a passbook here: each row is a record for another committee member to review, then 公示.
      const records = await recordOpenings(manager, actor as StaffActor, villageId, cap, entries);
      this.transactions.changed(manager, villageScope(village));
      await this.audit.record(
        actor,
        {
          action: 'household.opening_import',
          entityType: 'village',
          entityId: villageId,
          townshipId: village.townshipId,
          villageId,
          details: { entries: entries.length, total, recordIds: records.map((r) => r.id) },
        },
        manager,
      );
      return { entries: entries.length, total, recordIds: records.map((r) => r.id) };
    });
  }

  private async villageInScope(
    actor: Actor,
    villageId: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Village> {
    const village = await this.villages.findIn(manager, villageId);
    if (!village) throw DomainError.notFound('村');
    assertInScope(actor, { townshipId: village.townshipId, villageId });
    if (!village.active) throw DomainError.validation({ villageId: '该村已停用' });
    return village;
  }
}

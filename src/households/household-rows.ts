import type { NewHousehold } from './households.service.js';
import { PIN_PATTERN, PIN_RULE } from './pin.js';

/** The optional column of PINs; `密码` alone is read as the same column. */
export const PIN_COLUMN = '密码(PIN)';
const PIN_COLUMNS = [PIN_COLUMN, '密码'];

/** The columns of the household spreadsheet, import and export alike (export adds the code and balances, never a PIN). */
export const IMPORT_COLUMNS = ['户主姓名', '村民小组', '家庭人口', '联系电话', PIN_COLUMN];
export const REQUIRED_COLUMNS = ['户主姓名', '家庭人口'];
export const EXPORT_COLUMNS = [
  '户号',
  ...IMPORT_COLUMNS.filter((c) => c !== PIN_COLUMN),
  '可用积分',
  '累计积分',
  '状态',
];

const PHONE = /^[0-9+\- ]{5,20}$/;

/** One row of the file, checked: the household to insert and its PIN as the file gives it. */
export interface ImportRow extends Omit<NewHousehold, 'pinHash'> {
  line: number;
  /** The PIN typed in the file, if any. */
  pin: string | null;
  /** The file has a PIN column: an empty cell means "make one up". */
  wantsPin: boolean;
}

/**
 * Checks every row of a household import against the village's group names (name → id). Every problem of every row
 * is named, "第 N 行：…" with N the spreadsheet's own row number, so that the committee can fix the file in one go.
 */
export function checkHouseholdRows(
  rows: { line: number; cells: Record<string, string> }[],
  groups: Map<string, number>,
): { households: ImportRow[]; problems: string[] } {
  const pinColumn = PIN_COLUMNS.find((c) => rows.length > 0 && c in rows[0].cells);
  const problems: string[] = [];
  const households = rows.map(({ line, cells }) => {
    const wrong: string[] = [];
    const headName = cells['户主姓名'] ?? '';
    if (!headName) wrong.push('户主姓名没有填');
    else if (headName.length > 40) wrong.push('户主姓名超过 40 个字');
    const groupName = cells['村民小组'] ?? '';
    const groupId = groupName ? groups.get(groupName) : null;
    if (groupId === undefined) wrong.push(`本村没有“${groupName}”这个村民小组`);
    const members = cells['家庭人口'] ?? '';
    const memberCount = Number(members);
    if (!/^\d+$/.test(members) || memberCount < 1 || memberCount > 99) wrong.push('家庭人口应为 1–99 的整数');
    const phone = cells['联系电话'] ?? '';
    if (phone && !PHONE.test(phone)) wrong.push('联系电话应为 5–20 位数字');
    const pin = pinColumn ? cells[pinColumn] : '';
    if (pin && !PIN_PATTERN.test(pin)) wrong.push(PIN_RULE);
    if (wrong.length > 0) problems.push(`第 ${line} 行：${wrong.join('；')}`);
    return {
      line,
      headName,
      groupId: groupId ?? null,
      memberCount,
      phone: phone || null,
      pin: pin || null,
      wantsPin: pinColumn !== undefined,
    };
  });
  return { households, problems };
}

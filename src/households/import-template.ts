import { IMPORT_COLUMNS, PIN_COLUMN } from './household-rows.js';
import { toCsv } from './spreadsheet.js';
import { newWorkbook } from './workbook.js';

/** The example row, by column: the group is left empty (each village names its own) and so is the PIN (made up). */
const EXAMPLE: Record<string, string> = { 户主姓名: '张三', 家庭人口: '4', 联系电话: '13800000000' };

/**
 * The household import's template: the header row the importer reads, then one example row to overwrite or delete.
 */
export const TEMPLATE_ROWS: string[][] = [
  [...IMPORT_COLUMNS],
  IMPORT_COLUMNS.map((column) => EXAMPLE[column] ?? ''),
];

/** Columns Excel must keep as typed: a phone number or a PIN loses its leading 0 as a number. */
const TEXT_COLUMNS = new Set(['联系电话', PIN_COLUMN]);

/** The template as CSV (UTF-8 with a BOM, as the exports). */
export function templateCsv(): Buffer {
  return toCsv(TEMPLATE_ROWS);
}

/** The template as .xlsx, the phone and PIN columns formatted as text so that Excel keeps their leading zeros. */
export async function templateXlsx(): Promise<Buffer> {
  const book = await newWorkbook();
  const sheet = book.addWorksheet('导入农户');
  sheet.columns = IMPORT_COLUMNS.map((column) => ({
    width: 14,
    style: TEXT_COLUMNS.has(column) ? { numFmt: '@' } : {},
  }));
  for (const row of TEMPLATE_ROWS) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}

import ExcelJS from 'exceljs';
import type { Request, Response } from 'express';
import iconv from 'iconv-lite';
import { DomainError } from '../common/domain-error.js';

/** A sheet as rows of trimmed text: what a committee's spreadsheet holds, whatever saved it. */
export type Sheet = string[][];

/** Excel 97–2003 (.xls) files are OLE compound documents. */
const isOldExcel = (bytes: Buffer) =>
  bytes.length > 8 &&
  bytes.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
const isZip = (bytes: Buffer) =>
  bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/**
 * Reads an uploaded table: `.xlsx` (by its bytes, a zip), or CSV in UTF-8 (with or without BOM) or GBK, which is
 * what Excel saves in China. Anything else is refused with a message, never a crash.
 */
export async function readSheet(bytes: Buffer): Promise<Sheet> {
  if (bytes.length === 0) throw DomainError.validation({ file: '文件是空的' });
  if (isOldExcel(bytes))
    throw DomainError.validation({
      file: '不支持旧版 Excel（.xls），请在 Excel 里另存为 .xlsx 或 CSV 后再上传',
    });
  if (isZip(bytes)) {
    const book = new ExcelJS.Workbook();
    try {
      await book.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch {
      throw DomainError.validation({ file: '无法读取这个 Excel 文件，请另存为 .xlsx 或 CSV 后再试' });
    }
    const sheet = book.worksheets[0];
    if (!sheet) throw DomainError.validation({ file: 'Excel 文件里没有工作表' });
    const rows: Sheet = [];
    sheet.eachRow({ includeEmpty: true }, (row, number) => {
      const cells: string[] = [];
      for (let c = 1; c <= sheet.columnCount; c++) cells.push(cellText(row.getCell(c).value));
      rows[number - 1] = cells;
    });
    return Array.from(rows, (r) => r ?? []);
  }
  // Text has no NUL bytes; a picture, a PDF or a Word file does (and so does UTF-16, which Excel calls "Unicode 文本").
  if (bytes.subarray(0, 8192).includes(0))
    throw DomainError.validation({ file: '无法识别这个文件，请上传 Excel 工作簿（.xlsx）或 CSV 文件' });
  return parseCsv(decodeText(bytes));
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if ('richText' in value)
      return value.richText
        .map((t) => t.text)
        .join('')
        .trim();
    if ('result' in value) return String(value.result ?? '').trim();
    if ('text' in value) return String(value.text).trim();
    if (value instanceof Date) return value.toISOString().slice(0, 10);
  }
  return String(value).trim();
}

/** UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), otherwise GBK. */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return iconv.decode(bytes, 'gbk');
  }
}

/** RFC 4180 CSV: commas, quoted fields with "" for a quote, CRLF or LF. */
export function parseCsv(text: string): Sheet {
  const rows: Sheet = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field.trim());
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field.trim());
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field.trim());
    rows.push(row);
  }
  return rows;
}

/** A header cell as typed: full-width brackets (a Chinese keyboard's) and spaces do not matter. */
const headerName = (cell: string) =>
  cell
    .replace(/^\uFEFF/, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/\s+/g, '')
    .toUpperCase();

/** The rows under a header row, as objects keyed by the header names; blank rows are skipped (with their numbers kept). */
export function rowsByHeader(
  sheet: Sheet,
  required: string[],
): { line: number; cells: Record<string, string> }[] {
  const header = (sheet[0] ?? []).map(headerName);
  const missing = required.filter((name) => !header.includes(name));
  if (missing.length > 0)
    throw DomainError.validation({ file: `第 1 行（表头）缺少列：${missing.join('、')}` });
  return sheet
    .slice(1)
    .map((cells, i) => ({
      line: i + 2,
      cells: Object.fromEntries(header.map((h, c) => [h, (cells[c] ?? '').trim()])),
    }))
    .filter((r) => Object.values(r.cells).some((v) => v !== ''));
}

/**
 * A cell Excel would run as a formula (`=`, `+`, `-`, `@` first, e.g. a name typed as `=HYPERLINK(…)`) is written
 * with a leading apostrophe, so that opening an export never runs what somebody typed. Plain numbers stay numbers.
 */
export function neutraliseFormula(value: string | number): string | number {
  if (typeof value !== 'string' || !/^[=+\-@\t\r]/.test(value) || /^[+-]?\d+(\.\d+)?$/.test(value))
    return value;
  return `'${value}`;
}

const csvField = (value: string | number) => {
  const text = String(neutraliseFormula(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** CSV in UTF-8 with a BOM, so that Excel opens the Chinese correctly. */
export function toCsv(rows: (string | number)[][]): Buffer {
  return Buffer.from('\uFEFF' + rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n', 'utf8');
}

export async function toXlsx(name: string, rows: (string | number)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(name);
  for (const row of rows) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A download as the path asks: `….csv` (UTF-8 with BOM) or `….xlsx` (the sheet named, at most 31 characters). */
export async function sendSheet(
  req: Request,
  res: Response,
  file: string,
  sheet: string,
  rows: (string | number)[][],
): Promise<void> {
  if (req.path.endsWith('.csv')) {
    res.type('text/csv; charset=utf-8').attachment(`${file}.csv`).send(toCsv(rows));
    return;
  }
  res
    .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .attachment(`${file}.xlsx`)
    .send(await toXlsx(sheet.slice(0, 31), rows));
}

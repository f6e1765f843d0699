import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Request, Response } from 'express';
import iconv from 'iconv-lite';
import { DomainError } from '../common/domain-error.js';
import { projectRoot } from '../common/paths.js';
import { readXlsx, SheetLimits, SheetRefusal } from './xlsx-reader.js';
import { newWorkbook } from './workbook.js';

/** A sheet as rows of trimmed text: what a committee's spreadsheet holds, whatever saved it. */
export type Sheet = string[][];

/** Excel 97–2003 (.xls) files are OLE compound documents. */
const isOldExcel = (bytes: Buffer) =>
  bytes.length > 8 &&
  bytes.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
const isZip = (bytes: Buffer) =>
  bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/**
 * What an uploaded sheet may hold: the header and 20,000 households (the import's own limit), and 30 columns (the
 * household and opening-balance sheets use at most 8). Anything beyond is refused before it is read.
 */
export const SHEET_LIMITS: SheetLimits = { rows: 20_001, columns: 30 };
/** How long one .xlsx may take to read; its worker is then stopped and the file refused. */
export const SHEET_TIME_BUDGET_MS = 10_000;
/** A worker's heap: a sheet within the limits needs a few tens of MB. */
const WORKER_HEAP_MB = 256;

const unreadableXlsx = '无法读取这个 Excel 文件，请另存为 .xlsx 或 CSV 后再试';

/**
 * The compiled worker: beside this file when running from dist/, or in dist/ when the tests run the .ts sources
 * (`npm test` builds first). Without it (a test run before any build) the sheet is read in-process: its size checks
 * bound the work all the same, only the time budget is lost.
 */
function workerFile(): URL | null {
  const here = new URL('./sheet-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = join(projectRoot(), 'dist/src/households/sheet-worker.js');
  return existsSync(built) ? pathToFileURL(built) : null;
}

/** An .xlsx read in a worker thread within the time budget, so that no upload can hold the event loop. */
export function readXlsxOffThread(
  bytes: Buffer,
  limits: SheetLimits = SHEET_LIMITS,
  budgetMs = SHEET_TIME_BUDGET_MS,
): Promise<Sheet> {
  const file = workerFile();
  if (!file)
    try {
      return Promise.resolve(readXlsx(bytes, limits));
    } catch (error) {
      return Promise.reject(
        DomainError.validation({ file: error instanceof SheetRefusal ? error.message : unreadableXlsx }),
      );
    }
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, {
      workerData: { bytes, limits },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    let settled = false;
    const settle = (rows: Sheet | null, message?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (rows) resolve(rows);
      else reject(DomainError.validation({ file: message ?? unreadableXlsx }));
    };
    const timer = setTimeout(
      () =>
        settle(
          null,
          `这个 Excel 文件 ${Math.round(budgetMs / 1000)} 秒内没有读完，已停止读取。请只保留农户数据，另存为 .xlsx 或 CSV 后再上传`,
        ),
      budgetMs,
    );
    worker.on('message', (answer: { rows?: Sheet; refusal?: string | null }) =>
      settle(answer.rows ?? null, answer.refusal ?? undefined),
    );
    worker.on('error', () => settle(null));
    worker.on('exit', () => settle(null));
  });
}

/**
 * Reads an uploaded table: `.xlsx` (by its bytes, a zip), or CSV in UTF-8 (with or without BOM) or GBK, which is
 * what Excel saves in China. Anything else is refused with a message, never a crash; so is a sheet beyond the limits.
 */
export async function readSheet(bytes: Buffer, limits: SheetLimits = SHEET_LIMITS): Promise<Sheet> {
  if (bytes.length === 0) throw DomainError.validation({ file: '文件是空的' });
  if (isOldExcel(bytes))
    throw DomainError.validation({
      file: '不支持旧版 Excel（.xls），请在 Excel 里另存为 .xlsx 或 CSV 后再上传',
    });
  if (isZip(bytes)) return readXlsxOffThread(bytes, limits);
  // Text has no NUL bytes; a picture, a PDF or a Word file does (and so does UTF-16, which Excel calls "Unicode 文本").
  if (bytes.subarray(0, 8192).includes(0))
    throw DomainError.validation({ file: '无法识别这个文件，请上传 Excel 工作簿（.xlsx）或 CSV 文件' });
  return parseCsv(decodeText(bytes), limits);
}

/** UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), otherwise GBK. */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return iconv.decode(bytes, 'gbk');
  }
}

/**
 * RFC 4180 CSV: commas, quoted fields with "" for a quote, CRLF or LF. With limits, a file with more rows, or a
 * filled cell beyond the last column, is refused (empty cells beyond it, as some programs write, are dropped).
 */
export function parseCsv(text: string, limits?: SheetLimits): Sheet {
  const rows: Sheet = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    const cell = field.trim();
    if (limits && row.length >= limits.columns) {
      if (cell !== '')
        throw DomainError.validation({
          file: `第 ${rows.length + 1} 行超过 ${limits.columns} 列，导入最多读 ${limits.columns} 列。请删除多余的列后再上传`,
        });
    } else row.push(cell);
    field = '';
  };
  const endRow = () => {
    endField();
    if (limits && rows.length >= limits.rows)
      throw DomainError.validation({
        file: `文件超过 ${limits.rows} 行，导入最多读 ${limits.rows} 行（含表头）。请分批上传`,
      });
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else field += ch;
  }
  if (field !== '' || row.length > 0) endRow();
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
  const book = await newWorkbook();
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

import type { Workbook } from 'exceljs';

/**
 * A new exceljs workbook, exceljs loaded the first time a sheet is written: it is the heaviest library the app uses
 * (0.55 s to load, more than TypeORM), and only the downloads of an .xlsx need it. Loaded at start-up it cost every
 * start of the server and every test file that boots the app.
 */
export async function newWorkbook(): Promise<Workbook> {
  const { default: ExcelJS } = await import('exceljs');
  return new ExcelJS.Workbook();
}

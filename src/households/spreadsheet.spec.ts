import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import {
  decodeText,
  neutraliseFormula,
  parseCsv,
  readSheet,
  readXlsxOffThread,
  rowsByHeader,
  toCsv,
  toXlsx,
} from './spreadsheet.js';
import { readXlsx } from './xlsx-reader.js';

describe('spreadsheets', () => {
  it('should read GBK, UTF-8 and UTF-8 with a BOM alike', () => {
    const text = '户主姓名,家庭人口\r\n李大山,4\r\n';
    expect(decodeText(iconv.encode(text, 'gbk'))).toBe(text);
    expect(decodeText(Buffer.from(text, 'utf8'))).toBe(text);
    expect(decodeText(Buffer.from('\uFEFF' + text, 'utf8'))).toBe(text);
  });

  it('should parse quoted fields with commas, quotes and line breaks', () => {
    expect(parseCsv('a,"b, c","d ""e"""\n"x\ny",z')).toEqual([
      ['a', 'b, c', 'd "e"'],
      ['x\ny', 'z'],
    ]);
  });

  it('should key rows by the header, keep spreadsheet row numbers and skip blank rows', () => {
    const rows = rowsByHeader(parseCsv('户主姓名,家庭人口\n李大山,4\n,\n王秀英,2'), ['户主姓名']);
    expect(rows).toEqual([
      { line: 2, cells: { 户主姓名: '李大山', 家庭人口: '4' } },
      { line: 4, cells: { 户主姓名: '王秀英', 家庭人口: '2' } },
    ]);
    expect(() => rowsByHeader(parseCsv('姓名\n李'), ['户主姓名'])).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it('should refuse an old .xls file with a message that says what to do', async () => {
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    await expect(readSheet(xls)).rejects.toMatchObject({
      details: { file: expect.stringContaining('另存为 .xlsx') },
    });
  });

  it('should write CSV that reads back the same, with a BOM for Excel', () => {
    const csv = toCsv([
      ['户号', '说明'],
      ['TY-0001', '含,逗号'],
    ]);
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(parseCsv(decodeText(csv))).toEqual([
      ['户号', '说明'],
      ['TY-0001', '含,逗号'],
    ]);
  });

  it('should write a cell that Excel would run as a formula with a leading apostrophe, and leave numbers alone', () => {
    expect(neutraliseFormula('=HYPERLINK("http://x","点我")')).toBe('\'=HYPERLINK("http://x","点我")');
    expect(neutraliseFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseFormula('-2+3')).toBe("'-2+3");
    expect(neutraliseFormula('-15')).toBe('-15');
    expect(neutraliseFormula('+10')).toBe('+10');
    expect(neutraliseFormula(-15)).toBe(-15);
    expect(neutraliseFormula('王秀英')).toBe('王秀英');
    expect(toCsv([['=1+1']]).toString('utf8')).toBe("\uFEFF'=1+1\r\n");
  });

  it('should read the first sheet of an .xlsx as text: shared strings, numbers, empty cells kept in place', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('农户').addRows([
      ['户主姓名', '村民小组', '家庭人口', '联系电话'],
      ['李大山 ', null, 4, 13900001111],
      ['王&<秀英>', '第一组', 2.5, '0571-8888'],
    ]);
    book.addWorksheet('别的表').addRow(['不读']);
    const bytes = Buffer.from(await book.xlsx.writeBuffer());
    expect(readXlsx(bytes, { rows: 10, columns: 5 })).toEqual([
      ['户主姓名', '村民小组', '家庭人口', '联系电话'],
      ['李大山', '', '4', '13900001111'],
      ['王&<秀英>', '第一组', '2.5', '0571-8888'],
    ]);
    expect(await readSheet(await toXlsx('x', [['户号'], ['TY-0001']]))).toEqual([['户号'], ['TY-0001']]);
  });

  it('should refuse a CSV with more rows or filled columns than the limits, and drop empty cells beyond them', () => {
    expect(parseCsv('a,b,,,\nc,d,,,', { rows: 2, columns: 2 })).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(() => parseCsv('a\nb\nc', { rows: 2, columns: 2 })).toThrow(
      expect.objectContaining({ details: { file: expect.stringContaining('文件超过 2 行') } }),
    );
    expect(() => parseCsv('a,b,c', { rows: 2, columns: 2 })).toThrow(
      expect.objectContaining({ details: { file: expect.stringContaining('第 1 行超过 2 列') } }),
    );
  });

  it('should stop reading an .xlsx and refuse it when its time budget runs out', async () => {
    const bytes = await toXlsx('x', [['户主姓名'], ['李大山']]);
    await expect(readXlsxOffThread(bytes, { rows: 10, columns: 5 }, 1)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { file: expect.stringContaining('秒内没有读完，已停止读取') },
    });
    await expect(readXlsxOffThread(bytes, { rows: 10, columns: 5 })).resolves.toEqual([
      ['户主姓名'],
      ['李大山'],
    ]);
  });
});

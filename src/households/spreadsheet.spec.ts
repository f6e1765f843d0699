import iconv from 'iconv-lite';
import { decodeText, neutraliseFormula, parseCsv, readSheet, rowsByHeader, toCsv } from './spreadsheet.js';

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
});

import { inflateRawSync } from 'node:zlib';

/**
 * A bounded reader of the first worksheet of an .xlsx, for uploads.
 *
 * exceljs is not used to read uploads: its full reader builds every cell of a sheet's declared ranges (an 8 KB file
 * with one cell at XFD1 among a few rows, or a data validation over `A1:XFD1048576`, held the event loop for minutes
 * and took gigabytes; a validation over one whole column alone costs it 2 s and 240 MB), and its streaming reader
 * takes worksheets in zip order rather than the workbook's and spills them to temporary files. Here every size is
 * checked before the work it would cost: the zip's entries are inflated with a cap on their total, the sheet's
 * `<dimension ref>` and each row and cell reference must lie within the limits, and only the cell values are read.
 */
export interface SheetLimits {
  /** Rows, the header included. */
  rows: number;
  columns: number;
}

/** A refusal meant for the person who uploaded the file (Simplified Chinese). */
export class SheetRefusal extends Error {}

/** What a zip of a 5 MB upload may inflate to in all: a household register is a few MB of XML at most. */
const MAX_INFLATED = 64 * 1024 * 1024;

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  offset: number;
}

const unreadable = () => new SheetRefusal('无法读取这个 Excel 文件，请另存为 .xlsx 或 CSV 后再试');

/** The central directory of a zip (no ZIP64: an upload is at most a few MB). */
function zipEntries(bytes: Buffer): Map<string, ZipEntry> {
  const from = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let i = bytes.length - 22; i >= from; i--)
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  if (end < 0) throw unreadable();
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const entries = new Map<string, ZipEntry>();
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50) throw unreadable();
    const nameLength = bytes.readUInt16LE(at + 28);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    entries.set(name, {
      name,
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      size: bytes.readUInt32LE(at + 24),
      offset: bytes.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return entries;
}

/** A zip's entries as text, inflated within one budget for the whole file (a declared size may lie). */
class ZipText {
  private budget = MAX_INFLATED;
  private readonly entries: Map<string, ZipEntry>;

  constructor(private readonly bytes: Buffer) {
    this.entries = zipEntries(bytes);
    const declared = [...this.entries.values()].reduce((n, e) => n + e.size, 0);
    if (declared > MAX_INFLATED) throw tooBig();
  }

  has(name: string) {
    return this.entries.has(name);
  }

  text(name: string): string {
    const entry = this.entries.get(name);
    if (!entry) throw unreadable();
    const at = entry.offset;
    if (at + 30 > this.bytes.length || this.bytes.readUInt32LE(at) !== 0x04034b50) throw unreadable();
    const start = at + 30 + this.bytes.readUInt16LE(at + 26) + this.bytes.readUInt16LE(at + 28);
    const data = this.bytes.subarray(start, start + entry.compressedSize);
    let out: Buffer;
    if (entry.method === 0) out = data;
    else if (entry.method === 8) {
      try {
        out = inflateRawSync(data, { maxOutputLength: Math.max(1, this.budget) });
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooBig();
        throw unreadable();
      }
    } else throw unreadable();
    this.budget -= out.length;
    if (this.budget < 0) throw tooBig();
    return out.toString('utf8');
  }
}

const tooBig = () =>
  new SheetRefusal('这个 Excel 文件解压后太大，请只保留农户数据，另存为 .xlsx 或 CSV 后再上传');

/** `AB12` → column 28, row 12; `$A$1` alike. */
function cellRef(ref: string): { column: number; row: number } | null {
  const match = /^\$?([A-Z]{1,3})\$?(\d{1,7})$/i.exec(ref);
  if (!match) return null;
  let column = 0;
  for (const ch of match[1].toUpperCase()) column = column * 26 + (ch.charCodeAt(0) - 64);
  return { column, row: Number(match[2]) };
}

const columnName = (column: number) => {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
};

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const unescapeXml = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, e: string) =>
    e[0] === '#'
      ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)))
      : ENTITIES[e.toLowerCase()],
  );

/** A tag of the XML, with the text since the tag before it. */
interface Tag {
  close: boolean;
  name: string;
  attrs: string;
  empty: boolean;
  textBefore: string;
}

/**
 * The tags of an XML text in order, namespace prefixes dropped: one pass, so a file with unclosed elements costs no
 * more than its length (a pattern matching `<row>…</row>` would rescan to the end for each unclosed row).
 */
function* tags(xml: string): Generator<Tag> {
  const pattern = /<(\/?)(?:[\w.-]+:)?([\w.-]+)([^>]*?)(\/?)>/g;
  let last = 0;
  for (let m = pattern.exec(xml); m; m = pattern.exec(xml)) {
    yield {
      close: m[1] === '/',
      name: m[2],
      attrs: m[3],
      empty: m[4] === '/',
      textBefore: xml.slice(last, m.index),
    };
    last = pattern.lastIndex;
  }
}

const attr = (attrs: string, name: string) => new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs)?.[1];

/** Shared strings: the text runs of each `<si>`, phonetic hints (`<rPh>`) left out. */
function sharedStrings(xml: string): string[] {
  const strings: string[] = [];
  let text = '';
  let inPhonetic = false;
  for (const tag of tags(xml)) {
    if (tag.name === 'rPh') inPhonetic = !tag.close && !tag.empty;
    else if (tag.name === 't' && tag.close && !inPhonetic) text += unescapeXml(tag.textBefore);
    else if (tag.name === 'si' && !tag.close) text = '';
    if (tag.name === 'si' && (tag.close || tag.empty)) strings.push(text);
  }
  return strings;
}

/** The first worksheet in the workbook's own order (what Excel shows first), as a path inside the zip. */
function firstSheetPath(zip: ZipText): string {
  const fallback = 'xl/worksheets/sheet1.xml';
  if (!zip.has('xl/workbook.xml') || !zip.has('xl/_rels/workbook.xml.rels')) return fallback;
  const sheet = /<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]+)"/.exec(zip.text('xl/workbook.xml'));
  if (!sheet) throw new SheetRefusal('Excel 文件里没有工作表');
  for (const rel of zip.text('xl/_rels/workbook.xml.rels').matchAll(/<Relationship\b[^>]*>/g)) {
    if (!rel[0].includes(`Id="${sheet[1]}"`)) continue;
    const target = /Target="([^"]+)"/.exec(rel[0])?.[1] ?? '';
    return target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
  }
  return fallback;
}

/**
 * The first worksheet of an .xlsx as rows of trimmed text. A sheet whose declared size (its `<dimension>`) or any
 * row or cell lies beyond the limits is refused before its cells are read, naming the cell.
 */
export function readXlsx(bytes: Buffer, limits: SheetLimits): string[][] {
  const zip = new ZipText(bytes);
  const path = firstSheetPath(zip);
  if (!zip.has(path)) throw new SheetRefusal('Excel 文件里没有工作表');
  const xml = zip.text(path);
  const beyond = (ref: string) => {
    const cell = cellRef(ref);
    return cell !== null && (cell.row > limits.rows || cell.column > limits.columns);
  };
  const refuse = (ref: string) =>
    new SheetRefusal(
      `表格超出范围：第一个工作表用到了 ${ref} 单元格，导入最多读 ${limits.rows} 行、${limits.columns} 列（${columnName(limits.columns)} 列）。` +
        '请删除多余的行和列（或把农户数据复制到一个新表），另存后再上传',
    );
  const dimension = /<(?:\w+:)?dimension\b[^>]*?\bref="([^"]+)"/.exec(xml)?.[1];
  for (const ref of dimension?.split(':') ?? []) if (beyond(ref)) throw refuse(ref);

  let shared: string[] | null = null;
  const sharedString = (index: number) => {
    shared ??= zip.has('xl/sharedStrings.xml') ? sharedStrings(zip.text('xl/sharedStrings.xml')) : [];
    return shared[index] ?? '';
  };

  const rows: string[][] = [];
  let cells: string[] = [];
  let rowNumber = 0;
  let column = 0;
  let type = 'n';
  let value: string | undefined;
  let inline = '';
  let inCell = false;
  const endCell = () => {
    let text: string;
    if (type === 'inlineStr') text = inline;
    else if (value === undefined) text = '';
    else if (type === 's') text = sharedString(Number(value));
    else if (type === 'b') text = value === '1' ? 'TRUE' : 'FALSE';
    else if (type === 'n') text = String(Number(value));
    else text = unescapeXml(value);
    while (cells.length < column - 1) cells.push('');
    cells[column - 1] = text.trim();
    inCell = false;
  };
  for (const tag of tags(xml)) {
    if (tag.name === 'row' && !tag.close) {
      const r = attr(tag.attrs, 'r');
      rowNumber = r ? Number(r) : rowNumber + 1;
      if (!Number.isSafeInteger(rowNumber) || rowNumber > limits.rows) throw refuse(`A${rowNumber}`);
      cells = [];
      rows[rowNumber - 1] = cells;
      column = 0;
    } else if (tag.name === 'c' && !tag.close) {
      const ref = attr(tag.attrs, 'r');
      column = ref ? (cellRef(ref)?.column ?? column + 1) : column + 1;
      if (column > limits.columns || (ref && beyond(ref)))
        throw refuse(ref ?? `${columnName(column)}${rowNumber}`);
      type = attr(tag.attrs, 't') ?? 'n';
      value = undefined;
      inline = '';
      inCell = true;
      if (tag.empty) endCell();
    } else if (!inCell) continue;
    else if (tag.name === 'v' && tag.close) value = tag.textBefore;
    else if (tag.name === 't' && tag.close) inline += unescapeXml(tag.textBefore);
    else if (tag.name === 'c' && tag.close) endCell();
  }
  return Array.from(rows, (r) => r ?? []);
}

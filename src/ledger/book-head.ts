import QRCode from 'qrcode';
import type { DataSource, EntityManager } from 'typeorm';
import { raw } from '../database/raw.js';
import { shortHead } from './witness.js';

/** What a printed sheet shows of a village's book (views/partials/book-head.hbs). */
export interface BookHeadView {
  villageId: number;
  seq: number;
  short: string;
  /** `村编号:序号:哈希`, what `npm run ledger:verify -- --head` takes; the QR code holds it with the whole hash. */
  typed: string;
  qr: string;
}

/**
 * The head of a village's book as it stands, for a printed board sheet or statement: whoever keeps the paper can
 * later check that the book still holds that entry unchanged (`npm run ledger:verify -- --head …`).
 */
export async function bookHeadView(
  runner: DataSource | EntityManager,
  villageId: number,
): Promise<BookHeadView> {
  const [row] = await raw<{ seq: number; head: string }>(
    runner,
    'SELECT seq, head FROM ledger_book WHERE "villageId" = $1',
    [villageId],
  );
  const seq = Number(row?.seq ?? 0);
  const hash = row?.head || '0'.repeat(64);
  const typed = `${villageId}:${seq}:${shortHead(hash)}`;
  const qr = await QRCode.toString(`${villageId}:${seq}:${hash}`, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 1,
  });
  return { villageId, seq, short: shortHead(hash), typed, qr };
}

import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '../common/domain-error.js';
import { uploadRefusal } from '../common/upload.interceptor.js';
import { Settings } from '../config/settings.js';

export const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024;

/** What the bytes say the file is (never the name or the browser's word): JPEG or PNG, else null. */
export function imageType(bytes: Buffer): 'jpg' | 'png' | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'png';
  return null;
}

/**
 * Evidence photos under data/uploads, stored under generated names (never the uploader's), checked by their first
 * bytes, and read back only through a record the reader may see.
 */
@Injectable()
export class EvidenceStore {
  private readonly dir: string;

  constructor(settings: Settings) {
    this.dir = resolve(settings.dataDir, 'uploads');
    mkdirSync(this.dir, { recursive: true });
  }

  async save(file: { buffer: Buffer; size: number } | undefined): Promise<string | null> {
    if (!file || file.size === 0) return null;
    if (file.size > MAX_EVIDENCE_BYTES) throw DomainError.validation({ photo: '照片不能超过 5 MB' });
    const type = imageType(file.buffer);
    if (!type) throw DomainError.validation({ photo: '照片只能是 JPEG 或 PNG 图片' });
    const name = `${randomBytes(16).toString('hex')}.${type}`;
    await writeFile(join(this.dir, name), file.buffer, { flag: 'wx' });
    return name;
  }

  /**
   * A write with the request's photo (or none): the photo is checked and saved first (refused in words when multer
   * refused it, or when it is no JPEG or PNG, or too large), handed to `write`, and removed again when the write is
   * refused or keeps nothing (`kept` false: the same request again). No photo is left behind that nothing names.
   */
  async keepWith<T>(
    req: Request,
    file: { buffer: Buffer; size: number } | undefined,
    write: (photoPath: string | null) => Promise<T>,
    kept: (result: T) => boolean,
  ): Promise<T> {
    const refusal = uploadRefusal(req);
    if (refusal) throw refusal;
    const path = await this.save(file);
    let result: T;
    try {
      result = await write(path);
    } catch (error) {
      await this.discard(path);
      throw error;
    }
    if (!kept(result)) await this.discard(path);
    return result;
  }

  /** Removes a photo that no record kept (the record was refused, or was a repeat). */
  async discard(name: string | null): Promise<void> {
    if (name && /^[0-9a-f]{32}\.(jpg|png)$/.test(name)) await rm(join(this.dir, name), { force: true });
  }

  async read(name: string): Promise<{ bytes: Buffer; contentType: string }> {
    if (!/^[0-9a-f]{32}\.(jpg|png)$/.test(name)) throw DomainError.notFound('照片');
    const bytes = await readFile(join(this.dir, name)).catch(() => {
      throw DomainError.notFound('照片');
    });
    return { bytes, contentType: name.endsWith('.png') ? 'image/png' : 'image/jpeg' };
  }
}

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'express';
import type { Settings } from '../config/settings.js';
import { EvidenceStore, imageType } from './evidence.store.js';

describe('imageType', () => {
  it('should know JPEG and PNG by their first bytes', () => {
    expect(imageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toBe('jpg');
    expect(imageType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('png');
  });

  it('should refuse a file that only claims to be a picture', () => {
    expect(imageType(Buffer.from('<script>alert(1)</script>'))).toBeNull();
    expect(imageType(Buffer.from('GIF89a'))).toBeNull();
    expect(imageType(Buffer.alloc(0))).toBeNull();
  });
});

describe('EvidenceStore.keepWith', () => {
  const png = { buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), size: 9 };
  const req = {} as Request;
  let dir: string;
  let store: EvidenceStore;
  const photos = () => readdirSync(join(dir, 'uploads'));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'evidence-'));
    store = new EvidenceStore({ dataDir: dir } as Settings);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should keep the photo a new write names, and leave none behind a refused or repeated one', async () => {
    const kept = await store.keepWith(
      req,
      png,
      async (path) => ({ path, created: true }),
      (r) => r.created,
    );
    expect(photos()).toEqual([kept.path]);
    await store.keepWith(
      req,
      png,
      async (path) => ({ path, created: false }),
      (r) => r.created,
    );
    await expect(
      store.keepWith(
        req,
        png,
        async () => {
          throw new Error('refused');
        },
        () => true,
      ),
    ).rejects.toThrow('refused');
    expect(photos()).toEqual([kept.path]);
  });

  it('should refuse what is not a picture before the write runs', async () => {
    let ran = false;
    await expect(
      store.keepWith(
        req,
        { buffer: Buffer.from('GIF89a'), size: 6 },
        async () => (ran = true),
        () => true,
      ),
    ).rejects.toMatchObject({ details: { photo: '照片只能是 JPEG 或 PNG 图片' } });
    expect(ran).toBe(false);
    expect(photos()).toEqual([]);
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_NAME_BYTES, safeFileName, storeUploadStream, UploadError } from '../app/_server/uploads';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-uploads-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A body that arrives in chunks, as a browser upload does. */
function body(...parts: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });
}

describe('uploads', () => {
  it('streams the body into DATA_DIR/uploads and returns the path an ingest node takes', async () => {
    const stored = await storeUploadStream(dataDir, 'sales.csv', body('a,b\n', '1,2\n', '3,4\n'));
    expect(stored.bytes).toBe(12);
    expect(stored.file).toMatch(/^uploads\/[0-9a-f-]{36}\/sales\.csv$/);
    expect(readFileSync(path.join(dataDir, stored.file), 'utf8')).toBe('a,b\n1,2\n3,4\n');
  });

  it('keeps only the base name, so a name cannot climb out of the uploads folder', async () => {
    const stored = await storeUploadStream(dataDir, '../../etc/passwd', body('x'));
    expect(stored.file).toMatch(/^uploads\/[0-9a-f-]{36}\/passwd$/);
  });

  it('refuses an empty file and one over the limit, leaving nothing behind', async () => {
    const before = readdirSync(path.join(dataDir, 'uploads')).length;
    await expect(storeUploadStream(dataDir, 'empty.csv', body())).rejects.toThrow('empty.csv is empty');
    const tooBig = storeUploadStream(dataDir, 'big.csv', body('0123456789', '0123456789'), {
      maxBytes: 15,
    });
    await expect(tooBig).rejects.toBeInstanceOf(UploadError);
    await expect(tooBig).rejects.toMatchObject({ status: 413 });
    expect(readdirSync(path.join(dataDir, 'uploads'))).toHaveLength(before);
  });

  it('caps a long name in bytes, not characters, and keeps its extension', async () => {
    // 100 CJK characters are 300 bytes of UTF-8: more than a file system allows in one name.
    const cjk = `${'数'.repeat(100)}.csv`;
    const shortened = safeFileName(cjk);
    expect(shortened).toBe(`${'数'.repeat(65)}.csv`);
    expect(Buffer.byteLength(shortened)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    const stored = await storeUploadStream(dataDir, cjk, body('a\n1\n'));
    expect(path.basename(stored.file)).toBe(shortened);
    expect(readFileSync(path.join(dataDir, stored.file), 'utf8')).toBe('a\n1\n');

    const long = `${'x'.repeat(300)}.parquet`;
    expect(safeFileName(long)).toBe(`${'x'.repeat(MAX_NAME_BYTES - '.parquet'.length)}.parquet`);
    // An emoji (4 bytes, two UTF-16 units) is never cut in half.
    expect(safeFileName(`${'😀'.repeat(60)}.csv`)).toBe(`${'😀'.repeat(49)}.csv`);
    expect(safeFileName('short name.csv')).toBe('short name.csv');
  });

  it('answers a file-system failure with a status and a message instead of throwing it raw', async () => {
    // DATA_DIR/uploads is a file, not a folder: mkdir and readdir fail with ENOTDIR. (Permission
    // errors map to 507 the same way, but a test running as root cannot provoke them.)
    const broken = mkdtempSync(path.join(os.tmpdir(), 'pipewright-uploads-broken-'));
    writeFileSync(path.join(broken, 'uploads'), 'not a folder');
    try {
      for (const limits of [{}, { quotaBytes: 100 }]) {
        const attempt = storeUploadStream(broken, 'sales.csv', body('a,b\n'), limits);
        await expect(attempt).rejects.toBeInstanceOf(UploadError);
        await expect(attempt).rejects.toMatchObject({
          status: 507,
          message:
            "The server's uploads folder (DATA_DIR/uploads) is not a folder, so sales.csv was not stored; ask whoever runs Pipewright to check DATA_DIR",
        });
      }
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('keeps all uploads within the quota: 413 for a file that does not fit, 507 once it is used up', async () => {
    const quotaDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-uploads-quota-'));
    try {
      const first = await storeUploadStream(quotaDir, 'a.csv', body('0123456789'), { quotaBytes: 25 });
      expect(first.bytes).toBe(10);
      // Announced too large: refused before a byte is written.
      await expect(
        storeUploadStream(quotaDir, 'b.csv', body('x'), { quotaBytes: 25, declaredBytes: 16 }),
      ).rejects.toMatchObject({
        status: 413,
        message:
          'b.csv does not fit in what is left of the upload quota of 25 bytes (PIPEWRIGHT_UPLOAD_QUOTA_BYTES): 15 bytes free',
      });
      // Not announced (chunked): refused when the stream passes what is left, leaving nothing behind.
      await expect(
        storeUploadStream(quotaDir, 'c.csv', body('0123456789', '0123456789'), { quotaBytes: 25 }),
      ).rejects.toMatchObject({ status: 413 });
      expect(readdirSync(path.join(quotaDir, 'uploads'))).toHaveLength(1);
      await storeUploadStream(quotaDir, 'd.csv', body('0123456789', '01234'), { quotaBytes: 25 });
      await expect(storeUploadStream(quotaDir, 'e.csv', body('x'), { quotaBytes: 25 })).rejects.toMatchObject(
        {
          status: 507,
          message:
            'Uploads already take 25 bytes, all of the upload quota of 25 bytes (PIPEWRIGHT_UPLOAD_QUOTA_BYTES): delete files under DATA_DIR/uploads or raise the quota',
        },
      );
    } finally {
      rmSync(quotaDir, { recursive: true, force: true });
    }
  });
});

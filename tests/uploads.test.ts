import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storeUploadStream, UploadError } from '../app/_server/uploads';

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
    const tooBig = storeUploadStream(dataDir, 'big.csv', body('0123456789', '0123456789'), 15);
    await expect(tooBig).rejects.toBeInstanceOf(UploadError);
    await expect(tooBig).rejects.toMatchObject({ status: 413 });
    expect(readdirSync(path.join(dataDir, 'uploads'))).toHaveLength(before);
  });
});

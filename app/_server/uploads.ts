import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The largest upload accepted, in bytes (2 GB). */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

export class UploadError extends Error {
  override name = 'UploadError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Streams an upload to DATA_DIR/uploads/<id>/<name> chunk by chunk, never holding the file in
 * memory, and returns its path relative to DATA_DIR (what an ingest node's `file` takes).
 */
export async function storeUploadStream(
  dataDir: string,
  fileName: string,
  body: ReadableStream<Uint8Array>,
  maxBytes = MAX_UPLOAD_BYTES,
): Promise<{ file: string; bytes: number }> {
  const name = safeFileName(fileName);
  const relative = path.join('uploads', randomUUID(), name);
  const target = path.join(dataDir, relative);
  await mkdir(path.dirname(target), { recursive: true });
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes)
        callback(new UploadError(`${name} is larger than the ${formatBytes(maxBytes)} limit`, 413));
      else callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.from(chunks(body)), limit, createWriteStream(target));
  } catch (error) {
    await rm(path.dirname(target), { recursive: true, force: true });
    throw error;
  }
  if (bytes === 0) {
    await rm(path.dirname(target), { recursive: true, force: true });
    throw new UploadError(`${name} is empty`, 400);
  }
  return { file: relative, bytes };
}

/** The body's chunks as an async iterable, read one at a time (the pipeline applies backpressure). */
async function* chunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** The base name only, without path separators or control characters. */
function safeFileName(fileName: string): string {
  const base = path
    .basename(fileName.replaceAll('\\', '/'))
    .replace(/\p{Cc}/gu, '')
    .trim();
  if (!base || base === '.' || base === '..') throw new UploadError('The upload needs a file name', 400);
  return base.slice(0, 200);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${bytes / 1024 ** 3} GB` : `${Math.round(bytes / 1024 ** 2)} MB`;
}

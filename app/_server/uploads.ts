import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cutToBytes } from '../../db/queries/text-caps';

/** The largest upload accepted, in bytes (2 GB). */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

/** Longest stored file name in bytes: file systems allow 255, and a little room is kept. */
export const MAX_NAME_BYTES = 200;

/** Longest extension kept whole when a name is shortened; a longer "extension" is just part of the name. */
const MAX_EXTENSION_BYTES = 32;

export class UploadError extends Error {
  override name = 'UploadError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface UploadLimits {
  /** The largest single file, in bytes. */
  maxBytes?: number;
  /** What all uploads together may take, in bytes; unlimited when absent. */
  quotaBytes?: number;
  /** The size the client announced (Content-Length), so an upload that cannot fit is refused up front. */
  declaredBytes?: number;
}

/**
 * Streams an upload to DATA_DIR/uploads/<id>/<name> chunk by chunk, never holding the file in
 * memory, and returns its path relative to DATA_DIR (what an ingest node's `file` takes).
 */
export async function storeUploadStream(
  dataDir: string,
  fileName: string,
  body: ReadableStream<Uint8Array>,
  limits: UploadLimits = {},
): Promise<{ file: string; bytes: number }> {
  const name = safeFileName(fileName);
  const uploadsDir = path.join(dataDir, 'uploads');
  const { maxBytes, quotaMessage } = await allowance(uploadsDir, name, limits).catch((error: unknown) => {
    throw asUploadError(error, name);
  });
  const relative = path.join('uploads', randomUUID(), name);
  const target = path.join(dataDir, relative);
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) callback(new UploadError(quotaMessage, 413));
      else callback(null, chunk);
    },
  });
  try {
    await mkdir(path.dirname(target), { recursive: true });
    await pipeline(Readable.from(chunks(body)), limit, createWriteStream(target));
  } catch (error) {
    await removeQuietly(path.dirname(target));
    throw asUploadError(error, name);
  }
  if (bytes === 0) {
    await removeQuietly(path.dirname(target));
    throw new UploadError(`${name} is empty`, 400);
  }
  return { file: relative, bytes };
}

/** Removes a half-written upload; a failure here must not hide the error that made it half-written. */
async function removeQuietly(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}

/** How many bytes this upload may take, and what to say when it takes more. */
async function allowance(
  uploadsDir: string,
  name: string,
  limits: UploadLimits,
): Promise<{ maxBytes: number; quotaMessage: string }> {
  const fileLimit = limits.maxBytes ?? MAX_UPLOAD_BYTES;
  const tooLarge = `${name} is larger than the ${formatBytes(fileLimit)} limit`;
  if (limits.declaredBytes !== undefined && limits.declaredBytes > fileLimit)
    throw new UploadError(tooLarge, 413);
  if (limits.quotaBytes === undefined) return { maxBytes: fileLimit, quotaMessage: tooLarge };
  const used = await folderBytes(uploadsDir);
  const left = Math.max(0, limits.quotaBytes - used);
  const quota = `the upload quota of ${formatBytes(limits.quotaBytes)} (PIPEWRIGHT_UPLOAD_QUOTA_BYTES)`;
  if (left === 0) {
    throw new UploadError(
      `Uploads already take ${formatBytes(used)}, all of ${quota}: delete files under DATA_DIR/uploads or raise the quota`,
      507,
    );
  }
  const doesNotFit = `${name} does not fit in what is left of ${quota}: ${formatBytes(left)} free`;
  if (limits.declaredBytes !== undefined && limits.declaredBytes > left)
    throw new UploadError(doesNotFit, 413);
  return left < fileLimit
    ? { maxBytes: left, quotaMessage: doesNotFit }
    : { maxBytes: fileLimit, quotaMessage: tooLarge };
}

/** Total size of the files under a folder (0 when it does not exist yet). */
async function folderBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  });
  const sizes = await Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map((entry) =>
        stat(path.join(entry.parentPath, entry.name)).then(
          (info) => info.size,
          () => 0,
        ),
      ),
  );
  return sizes.reduce((sum, size) => sum + size, 0);
}

/** A file-system failure as an answer the user can act on; anything else passes through unchanged. */
function asUploadError(error: unknown, name: string): unknown {
  switch (errorCode(error)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new UploadError(`The server's disk is full, so ${name} was not stored`, 507);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new UploadError(
        `The server may not write to its uploads folder, so ${name} was not stored; ask whoever runs Pipewright to check DATA_DIR`,
        507,
      );
    case 'ENOTDIR':
    case 'EEXIST':
      return new UploadError(
        `The server's uploads folder (DATA_DIR/uploads) is not a folder, so ${name} was not stored; ask whoever runs Pipewright to check DATA_DIR`,
        507,
      );
    case 'ENAMETOOLONG':
    case 'EILSEQ':
    case 'EINVAL':
      return new UploadError(
        `The file system cannot store a file named ${name}; rename it and upload again`,
        400,
      );
    default:
      return error;
  }
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
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

/**
 * The base name only, without path separators or control characters, at most MAX_NAME_BYTES bytes
 * of UTF-8 (file systems count bytes, and CJK characters take three): a longer name is shortened
 * before its extension, which ingest uses to tell the format.
 */
export function safeFileName(fileName: string): string {
  const base = path
    .basename(fileName.replaceAll('\\', '/'))
    .replace(/\p{Cc}/gu, '')
    .trim();
  if (!base || base === '.' || base === '..') throw new UploadError('The upload needs a file name', 400);
  if (byteLength(base) <= MAX_NAME_BYTES) return base;
  const extension = path.extname(base);
  const keep = extension && byteLength(extension) <= MAX_EXTENSION_BYTES ? extension : '';
  return cutToBytes(base.slice(0, base.length - keep.length), MAX_NAME_BYTES - byteLength(keep)) + keep;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${Number((bytes / 1024 ** 3).toFixed(1))} GB`;
  if (bytes >= 1024 ** 2) return `${Number((bytes / 1024 ** 2).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}

import { randomBytes } from 'node:crypto';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Artifact files are written whole or not at all. A file is written under a temporary name beside
 * its final one, flushed to disk, renamed into place, and the folder flushed so the rename itself
 * survives a power cut. A crash mid-write leaves only a temporary file, which no row names and
 * the orphan sweep removes (see isTemporaryName); never a half file under a name a row may point to.
 */

/** Temporary names are hidden files ending in this mark and 12 hex digits: `.data.parquet.tmp-0a1b2c3d4e5f`. */
const TEMPORARY_NAME = /^\..+\.tmp-[0-9a-f]{12}$/;

/** A fresh temporary name in the same folder as `file` (a rename across file systems is not atomic). */
export function temporaryPathFor(file: string): string {
  const suffix = randomBytes(6).toString('hex');
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp-${suffix}`);
}

/** Whether a file name is one `temporaryPathFor` makes: a write that never finished. */
export function isTemporaryName(name: string): boolean {
  return TEMPORARY_NAME.test(name);
}

/**
 * Writes `file` atomically: `write` fills the temporary path it is given (with fs, a stream, or a
 * DuckDB COPY); the result is flushed and renamed to `file`. On failure the temporary file is removed
 * and `file` is left as it was.
 */
export async function writeAtomically(
  file: string,
  write: (temporaryPath: string) => Promise<unknown>,
): Promise<void> {
  const temporary = temporaryPathFor(file);
  try {
    await write(temporary);
    await flushToDisk(temporary);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await flushToDisk(path.dirname(file));
}

/** writeFile, atomically. */
export function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  return writeAtomically(file, (temporary) => writeFile(temporary, data, { flag: 'wx' }));
}

/**
 * fsync of a file or a folder (a folder's fsync makes the names in it durable: a new file, a
 * rename). Opened read-only: fsync needs no write access.
 */
export async function flushToDisk(target: string): Promise<void> {
  const handle = await open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

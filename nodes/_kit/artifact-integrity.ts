import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isTemporaryName } from './atomic-file';

/**
 * A file a step wrote beside one of its artifacts and that later steps read with it, recorded in
 * the artifact's row (artifacts.companions) when the step succeeds. The name is a bare file name in
 * the artifact's folder: a row naming anything else is refused, not followed.
 */
export const companionFileSchema = z.object({
  name: z
    .string()
    .regex(/^[^/\\]+$/)
    .refine((name) => name !== '.' && name !== '..'),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export const companionFilesSchema = z.array(companionFileSchema);
export type CompanionFile = z.infer<typeof companionFileSchema>;

/** What the artifacts row recorded about a file when the step that wrote it succeeded. */
export interface RecordedFile {
  uri: string;
  bytes: number;
  sha256: string;
  /** The files beside it (none on rows written before they were recorded). */
  companions?: CompanionFile[];
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * The files beside `file` that travel with it: the same stem and any further extension
 * (data.parquet → data.transforms.json, model.json → model.arrays.bin), less the files in `exclude`
 * (recorded in rows of their own, like model.onnx) and temporary files of unfinished writes.
 */
export async function companionFiles(file: string, exclude: ReadonlySet<string>): Promise<CompanionFile[]> {
  const folder = path.dirname(file);
  const stem = `${path.basename(file, path.extname(file))}.`;
  const entries = await readdir(folder, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isFile() && entry.name.startsWith(stem))
    .map((entry) => entry.name)
    .filter((name) => name !== path.basename(file) && !exclude.has(name) && !isTemporaryName(name))
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const companion = path.join(folder, name);
      const [{ size }, sha256] = await Promise.all([stat(companion), sha256File(companion)]);
      return { name, bytes: size, sha256 };
    }),
  );
}

/**
 * Why a stored file can no longer stand for what its row recorded (gone, another size, other
 * bytes), or one of the files beside it, in words for the run's log; undefined when all still
 * match. The size is checked first: it is free, and hashing a large dataset is not. Files not on
 * this server (non-file URIs) are taken as they are.
 */
export async function fileMismatch(recorded: RecordedFile): Promise<string | undefined> {
  if (!recorded.uri.startsWith('file:')) return undefined;
  const file = fileURLToPath(recorded.uri);
  const mismatch = await oneFileMismatch(file, recorded);
  if (mismatch) return mismatch;
  for (const companion of recorded.companions ?? []) {
    const beside = await oneFileMismatch(path.join(path.dirname(file), companion.name), companion);
    if (beside) return `${beside} (it goes with ${path.basename(file)})`;
  }
  return undefined;
}

async function oneFileMismatch(
  file: string,
  recorded: { bytes: number; sha256: string },
): Promise<string | undefined> {
  const name = path.basename(file);
  const found = await stat(file).catch(() => undefined);
  if (!found?.isFile()) return `its stored file ${name} is gone`;
  if (found.size !== recorded.bytes)
    return `its stored file ${name} is ${found.size} bytes, but was ${recorded.bytes} bytes when written`;
  const sha256 = await sha256File(file);
  if (sha256 !== recorded.sha256)
    return `its stored file ${name} has changed since it was written (sha256 ${sha256.slice(0, 12)}…, recorded ${recorded.sha256.slice(0, 12)}…)`;
  return undefined;
}

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the artifacts row recorded about a file when the step that wrote it succeeded. */
export interface RecordedFile {
  uri: string;
  bytes: number;
  sha256: string;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * Why a stored file can no longer stand for what its row recorded (gone, another size, other
 * bytes), in words for the run's log; undefined when it still matches. The size is checked first:
 * it is free, and hashing a large dataset is not. Files not on this server (non-file URIs) are
 * taken as they are.
 */
export async function fileMismatch(recorded: RecordedFile): Promise<string | undefined> {
  if (!recorded.uri.startsWith('file:')) return undefined;
  const file = fileURLToPath(recorded.uri);
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

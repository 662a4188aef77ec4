import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { NodeInputError } from '../_kit/errors';

/** Where nodes may read files: DATA_DIR/uploads, and the folders the operator listed. */
export interface ReadableFolders {
  dataDir: string;
  /** PIPEWRIGHT_DATA_FOLDERS, resolved. */
  dataFolders: readonly string[];
}

/**
 * A server-side file a user named, which must lie in DATA_DIR/uploads or in one of the data folders.
 * Relative paths are taken from DATA_DIR. The rest of DATA_DIR (logs, services.json, the databases,
 * artifacts) is never readable, even when a data folder contains DATA_DIR. A path outside is refused
 * before looking at the file system, so the answer never tells whether a file exists there; `..` and
 * symbolic links are judged by where they lead.
 */
export function resolveReadableFile(folders: ReadableFolders, requested: string, field: string): string {
  const dataDir = realOrResolved(folders.dataDir);
  const uploads = path.join(dataDir, 'uploads');
  const extra = folders.dataFolders.map(realOrResolved);
  const allowed = (file: string) =>
    inside(file, uploads) || extra.some((folder) => inside(file, folder) && !inside(file, dataDir));
  const outside = () =>
    new NodeInputError(
      // The folders themselves are not listed: the message reaches every user of the run.
      `${requested} is outside the folders nodes may read: uploads, and the folders in PIPEWRIGHT_DATA_FOLDERS${extra.length ? '' : ' (none set)'}`,
      { field },
    );
  const candidate = path.resolve(dataDir, requested);
  if (!allowed(candidate)) throw outside();
  if (!existsSync(candidate)) throw new NodeInputError(`No file at ${requested}`, { field });
  const real = realpathSync(candidate);
  if (!allowed(real)) throw outside();
  return real;
}

function inside(file: string, folder: string): boolean {
  return file === folder || file.startsWith(folder + path.sep);
}

/** The folder with symbolic links resolved, when it exists (a data folder may not yet). */
function realOrResolved(folder: string): string {
  const resolved = path.resolve(folder);
  return existsSync(resolved) ? realpathSync(resolved) : resolved;
}

import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { NodeInputError } from '../_kit/errors';

/**
 * A server-side file a user named, which must lie inside DATA_DIR: relative paths are taken from
 * DATA_DIR, and `..` or a symbolic link that leads outside is refused.
 */
export function resolveInsideDataDir(dataDir: string, requested: string, field: string): string {
  const root = realpathSync(dataDir);
  const candidate = path.resolve(root, requested);
  if (!existsSync(candidate))
    throw new NodeInputError(`No file at ${requested} (looked in ${candidate})`, { field });
  const real = realpathSync(candidate);
  if (real !== root && !real.startsWith(root + path.sep)) {
    throw new NodeInputError(
      `${requested} is outside the data folder; only files inside DATA_DIR (${root}) can be read`,
      { field },
    );
  }
  return real;
}

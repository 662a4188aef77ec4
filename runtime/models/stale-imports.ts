import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { IMPORTS_FOLDER, importIdSchema } from '../../workflows/model-import/import-files';

/** An upload not imported within a day is dropped: the dialog or the CLI uploads again anyway. */
export const STALE_IMPORT_MS = 24 * 60 * 60 * 1000;

/**
 * Removes the import folders (DATA_DIR/model-imports/<uuid>) last written more than a day ago:
 * uploads described but never imported, or refused. Only folders named by a UUID are touched.
 * Returns how many it removed.
 */
export async function pruneStaleImports(dataDir: string, now = Date.now()): Promise<number> {
  const root = path.join(dataDir, IMPORTS_FOLDER);
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  let removed = 0;
  for (const entry of entries) {
    if (!entry.isDirectory() || !importIdSchema.safeParse(entry.name).success) continue;
    const folder = path.join(root, entry.name);
    const info = await stat(folder).catch(() => undefined);
    if (!info || now - info.mtimeMs < STALE_IMPORT_MS) continue;
    await rm(folder, { recursive: true, force: true });
    removed++;
  }
  return removed;
}

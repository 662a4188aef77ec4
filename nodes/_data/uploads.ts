import { randomUUID } from 'node:crypto';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Stores a local file in DATA_DIR/uploads/<id>/<name>, where nodes may read it; the copy is made by
 * the kernel, never held in memory. Returns the stored path.
 */
export async function storeUpload(dataDir: string, localFile: string): Promise<string> {
  const target = path.join(dataDir, 'uploads', randomUUID(), path.basename(localFile));
  await mkdir(path.dirname(target), { recursive: true });
  await copyFile(localFile, target);
  return target;
}

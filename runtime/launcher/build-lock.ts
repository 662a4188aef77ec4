import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** A build that held the lock this long without finishing is taken to have died with its process. */
const STALE_AFTER_MS = 20 * 60_000;

/**
 * Runs `work` while holding a lock on the project's production build, so two processes that start the
 * app at once (two test files, a benchmark beside a test) never run `next build` into the same .next
 * folder together: the second waits, then finds the build current. The lock is a folder, because
 * mkdir either creates it or fails, atomically, on every file system.
 */
export async function withBuildLock<T>(projectDir: string, work: () => Promise<T>): Promise<T> {
  const lock = path.join(projectDir, '.next-build.lock');
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
      if (await isStale(lock)) await rm(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function isStale(lock: string): Promise<boolean> {
  const made = await stat(lock).then(
    (info) => info.mtimeMs,
    () => undefined,
  );
  return made !== undefined && Date.now() - made > STALE_AFTER_MS;
}

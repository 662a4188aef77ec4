import { readFileSync, rmSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isAlive } from '../../config/services-file';

/**
 * A build that held the lock this long without finishing is taken to have died with its process;
 * the rule for a lock without an owner file (one made in the moment before its owner was written, or
 * by an older launcher), and for an owner pid the system has since given to another process.
 */
const STALE_AFTER_MS = 20 * 60_000;

/** The file inside the lock folder that names the process holding it. */
const OWNER_FILE = 'owner';

/** Locks this process holds now, so a launcher stopped mid-build can remove them before it exits. */
const held = new Set<string>();

export interface BuildLockOptions {
  /** Told once, with one line for the console, when the lock is busy and this process waits. */
  onWait?: (line: string) => void;
}

/**
 * Runs `work` while holding a lock on the project's production build, so two processes that start the
 * app at once (two test files, a benchmark beside a test) never run `next build` into the same .next
 * folder together: the second waits, then finds the build current. The lock is a folder, because
 * mkdir either creates it or fails, atomically, on every file system; the pid written into it lets a
 * later start see at once that the build holding it was interrupted.
 */
export async function withBuildLock<T>(
  projectDir: string,
  work: () => Promise<T>,
  options: BuildLockOptions = {},
): Promise<T> {
  const lock = path.join(projectDir, '.next-build.lock');
  await acquire(lock, options);
  try {
    return await work();
  } finally {
    if (held.delete(lock)) await rm(lock, { recursive: true, force: true });
  }
}

/**
 * Removes the build lock this process holds, if any. For a launcher's shutdown, which ends in
 * process.exit before withBuildLock's own clean-up could run.
 */
export function releaseHeldBuildLock(): void {
  for (const lock of held) {
    held.delete(lock);
    if (readOwner(lock) === process.pid) rmSync(lock, { recursive: true, force: true });
  }
}

async function acquire(lock: string, options: BuildLockOptions): Promise<void> {
  let toldWaiting = false;
  for (;;) {
    if (await tryMkdir(lock)) {
      held.add(lock);
      await writeFile(path.join(lock, OWNER_FILE), String(process.pid)).catch(async (error: unknown) => {
        held.delete(lock);
        await rm(lock, { recursive: true, force: true });
        throw error;
      });
      return;
    }
    const owner = await readFile(path.join(lock, OWNER_FILE), 'utf8').then(parsePid, () => undefined);
    if ((owner !== undefined && !isAlive(owner)) || (await isOld(lock))) {
      await rm(lock, { recursive: true, force: true });
      continue;
    }
    if (!toldWaiting) {
      toldWaiting = true;
      options.onWait?.(
        `waiting for another build of the web app${owner === undefined ? '' : ` (pid ${owner})`} to finish`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** false when the folder exists already: someone else holds the lock. */
async function tryMkdir(lock: string): Promise<boolean> {
  try {
    await mkdir(lock);
    return true;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EEXIST') return false;
    throw error;
  }
}

function readOwner(lock: string): number | undefined {
  try {
    return parsePid(readFileSync(path.join(lock, OWNER_FILE), 'utf8'));
  } catch {
    return undefined;
  }
}

function parsePid(text: string): number | undefined {
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function isOld(lock: string): Promise<boolean> {
  const made = await stat(lock).then(
    (info) => info.mtimeMs,
    () => undefined,
  );
  return made !== undefined && Date.now() - made > STALE_AFTER_MS;
}

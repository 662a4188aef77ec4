import { readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTemporaryName } from './atomic-file';

/**
 * After a crash, DATA_DIR/artifacts/<run>/<node>/attempt-<n>/ may hold files no artifacts row points
 * to: an attempt that died mid-step, a temporary file of a write that never finished, the folder of
 * a run since deleted. The sweep removes them when a worker starts, and keeps:
 *
 * - every attempt folder a row points into (its files belong to a finished step, including the files
 *   that travel beside a recorded one: a model's arrays, a dataset's transform spec), less any
 *   temporary files in it;
 * - the folder of an attempt its step row shows running (another worker may be writing it now);
 * - anything that is not a run's folder (a name that is no run id): not ours to judge.
 *
 * Rows are matched by the last three folders of their path (run, node, attempt), not the full path,
 * so a DATA_DIR moved elsewhere does not make every file look orphaned.
 */

/** What the database says about some runs' folders (db/queries/artifacts.ts: artifactOwners). */
export interface ArtifactOwners {
  runIds: string[];
  uris: string[];
  running: { runId: string; nodeId: string; attempt: number }[];
}

export interface SweepResult {
  /** Paths removed, relative to the artifacts folder, in the order removed. */
  removed: string[];
}

const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Sweeps `root` (DATA_DIR/artifacts). The folders are listed before the database is asked, so a step
 * that starts meanwhile writes into a folder the sweep never saw.
 */
export async function sweepOrphanArtifacts(
  root: string,
  ownersOf: (runIds: string[]) => Promise<ArtifactOwners>,
): Promise<SweepResult> {
  const runFolders = await subfolders(root);
  const runIds = runFolders.filter((name) => RUN_ID.test(name));
  const attempts = new Map<string, string[]>();
  for (const runId of runIds) attempts.set(runId, await attemptFolders(path.join(root, runId)));
  const owners = await ownersOf(runIds);
  const knownRuns = new Set(owners.runIds);
  const recorded = new Set(owners.uris.flatMap((uri) => attemptKeyOf(uri) ?? []));
  const running = new Set(
    owners.running.map((step) => `${step.runId}/${step.nodeId}/attempt-${step.attempt}`),
  );

  const removed: string[] = [];
  const remove = async (relative: string) => {
    await rm(path.join(root, relative), { recursive: true, force: true });
    removed.push(relative);
  };
  for (const runId of runIds) {
    if (!knownRuns.has(runId)) {
      await remove(runId);
      continue;
    }
    for (const key of attempts.get(runId) ?? []) {
      if (running.has(key)) continue;
      if (!recorded.has(key)) {
        await remove(key);
        continue;
      }
      for (const name of await filesIn(path.join(root, key)))
        if (isTemporaryName(name)) await remove(path.join(key, name));
    }
    await removeEmptyFolders(root, runId);
  }
  return { removed };
}

/** `run/node/attempt-n` of a recorded file's URI; undefined for a URI that is no local file. */
function attemptKeyOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  const folders = path.dirname(fileURLToPath(uri)).split(path.sep);
  return folders.length < 3 ? undefined : folders.slice(-3).join('/');
}

/** `run/node/attempt-n` of every attempt folder of a run. */
async function attemptFolders(runFolder: string): Promise<string[]> {
  const runId = path.basename(runFolder);
  const keys: string[] = [];
  for (const node of await subfolders(runFolder))
    for (const attempt of await subfolders(path.join(runFolder, node)))
      keys.push(`${runId}/${node}/${attempt}`);
  return keys;
}

/**
 * Folders the sweep emptied go too. rmdir, not rm: it refuses a folder that is not empty, so a step
 * of the same run that starts meanwhile keeps what it writes.
 */
async function removeEmptyFolders(root: string, runId: string): Promise<void> {
  const runFolder = path.join(root, runId);
  for (const node of await subfolders(runFolder)) await rmdir(path.join(runFolder, node)).catch(() => {});
  await rmdir(runFolder).catch(() => {});
}

async function subfolders(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

async function filesIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

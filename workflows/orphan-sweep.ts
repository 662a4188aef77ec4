import { mkdir, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArtifactOwners } from '../db/queries/artifacts';
import { isTemporaryName, writeFileAtomic } from '../nodes/_kit/atomic-file';

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
 * It sweeps only a folder that belongs to the worker's database: the first sweep writes the
 * database's id into DATA_DIR/artifacts/.database-id, and a worker whose database has another id
 * (a fresh database, a test database, another install's) leaves every file alone. Without this, a
 * worker given the wrong DATABASE_URL would take every run folder for a deleted run's.
 *
 * Rows are matched by the last three folders of their path (run, node, attempt), not the full path,
 * so a path spelled otherwise (a symlinked DATA_DIR) never gets a recorded file deleted. That does
 * not make a moved DATA_DIR work: rows hold absolute URIs, so reuse checks find the files gone (the
 * steps run again) and previews cannot open them.
 */

/** The database the sweep asks (db/queries/artifacts.ts: databaseId, artifactOwners). */
export interface SweepDatabase {
  id(): Promise<string>;
  owners(runIds: string[]): Promise<ArtifactOwners>;
}

/** The file in the artifacts folder naming the database whose runs it holds. */
export const DATABASE_MARKER = '.database-id';

export interface SweepResult {
  /** Paths removed, relative to the artifacts folder, in the order removed. */
  removed: string[];
  /** Why nothing was swept, when the folder is not this database's (one line for the worker's log). */
  skipped?: string;
}

const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Sweeps `root` (DATA_DIR/artifacts). The folders are listed before the database is asked, so a step
 * that starts meanwhile writes into a folder the sweep never saw.
 */
export async function sweepOrphanArtifacts(root: string, database: SweepDatabase): Promise<SweepResult> {
  const runFolders = await subfolders(root);
  const runIds = runFolders.filter((name) => RUN_ID.test(name));
  const attempts = new Map<string, string[]>();
  for (const runId of runIds) attempts.set(runId, await attemptFolders(path.join(root, runId)));
  const owners = await database.owners(runIds);
  const skipped = await claimFolder(root, await database.id(), runIds.length, owners.runIds.length);
  if (skipped) return { removed: [], skipped };
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

/**
 * Whether the folder is this database's to sweep; the reason to leave it alone if not. A folder
 * without a marker (new, or from before markers) is claimed unless it holds runs and the database
 * knows none of them: that is another database's folder, not one whose runs were all deleted.
 */
async function claimFolder(
  root: string,
  databaseId: string,
  runFolders: number,
  knownRuns: number,
): Promise<string | undefined> {
  const marker = path.join(root, DATABASE_MARKER);
  const recorded = (await readFile(marker, 'utf8').catch(() => '')).trim();
  const leaveAlone = `the orphan sweep is skipped and no file is removed. If the worker's DATABASE_URL is right and the files are not wanted, remove the run folders by hand`;
  if (recorded === databaseId) return undefined;
  if (recorded)
    return `${root} belongs to database ${recorded}, not to this worker's database ${databaseId}: ${leaveAlone} and ${DATABASE_MARKER}.`;
  if (runFolders > 0 && knownRuns === 0)
    return `${root} holds ${runFolders} run folder${runFolders === 1 ? '' : 's'} and this worker's database knows none of them: ${leaveAlone}.`;
  await mkdir(root, { recursive: true });
  await writeFileAtomic(marker, `${databaseId}\n`);
  return undefined;
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

import { realpath, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import {
  type ExpiredArtifact,
  expiredArtifacts,
  markDeletedByRetention,
  retentionDays,
} from '../../db/queries/retention';
import { companionFilesSchema } from '../../nodes/_kit/artifact-integrity';
import type { RetentionResult } from './retention.types';

/** Rows handled per query: a long backlog is worked through a slice at a time. */
const SLICE = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes the files of runs that finished more than the retention period ago: each artifact's file
 * and the files recorded beside it, under `root` (DATA_DIR/artifacts) only. Uploads
 * (DATA_DIR/uploads), which schedules and runs name as inputs, are never run files and are never
 * touched. The rows stay, marked deleted, so runs keep their record and a re-run refuses to reuse
 * them (workflows/reuse-check.ts). Which runs qualify is db/queries/retention.ts's expiredArtifacts.
 *
 * A file is deleted before its row is marked: a pass that dies between the two leaves a row whose
 * file is gone, which previews and reuse checks already treat as "no longer stored".
 */
export async function deleteExpiredRunFiles(db: Database, root: string, now: Date): Promise<RetentionResult> {
  const days = await retentionDays(db);
  const result: RetentionResult = { days, deleted: 0, bytes: 0, outside: 0 };
  if (!days) return result;
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  const realRoot = await realpath(root).catch(() => undefined);
  if (!realRoot) return result;
  // Rows hold the path as the worker spelled it; DATA_DIR may be reached through a symbolic link.
  const roots = [...new Set([realRoot, path.resolve(root)])];
  const skipped = new Set<string>();
  for (;;) {
    const rows = (await expiredArtifacts(db, cutoff, SLICE + skipped.size)).filter(
      (row) => !skipped.has(row.id),
    );
    if (rows.length === 0) break;
    const deleted: ExpiredArtifact[] = [];
    for (const row of rows) {
      const bytes = await deleteFiles(row, roots);
      if (bytes === undefined) skipped.add(row.id);
      else {
        deleted.push(row);
        result.bytes += bytes;
      }
    }
    await markDeletedByRetention(
      db,
      deleted.map((row) => row.id),
      now,
    );
    result.deleted += deleted.length;
    result.outside = skipped.size;
  }
  if (result.deleted > 0) {
    await recordAudit(db, {
      actorKind: 'system',
      action: 'retention.deleted',
      objectType: 'settings',
      objectId: 'retention',
      objectLabel: 'Retention',
      details: { days, deleted: result.deleted, bytes: result.bytes, before: cutoff.toISOString() },
    });
  }
  return result;
}

/**
 * Deletes a row's file and its companions, then the folders left empty up to the run's folder; the
 * bytes they held as recorded. Undefined, touching nothing, when the file is not a local file inside
 * the artifact folder.
 */
async function deleteFiles(row: ExpiredArtifact, roots: string[]): Promise<number | undefined> {
  const file = confined(row.uri, roots);
  if (!file) return undefined;
  const root = roots.find((candidate) => file.startsWith(candidate + path.sep)) ?? '';
  const companions = companionFilesSchema.nullable().safeParse(row.companions);
  const beside = companions.success ? (companions.data ?? []) : [];
  const folder = path.dirname(file);
  await rm(file, { force: true });
  // companionFileSchema allows only bare names: nothing outside the folder is reached.
  for (const { name } of beside) await rm(path.join(folder, name), { force: true });
  // attempt-n, then node, then run: each removed only when empty (another step's files may be there).
  for (let dir = folder; dir.startsWith(root + path.sep); dir = path.dirname(dir)) {
    const removed = await rmdir(dir).then(
      () => true,
      () => false,
    );
    if (!removed) break;
  }
  return beside.reduce((sum, companion) => sum + companion.bytes, row.bytes);
}

/** The file's path when its URI is a local file lexically inside the artifact folder. */
function confined(uri: string, roots: string[]): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  let file: string;
  try {
    file = path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
  return roots.some((root) => file.startsWith(root + path.sep)) ? file : undefined;
}

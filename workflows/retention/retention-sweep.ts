import { realpath, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import {
  type ExpiredArtifact,
  expiredArtifacts,
  markDeletedByRetention,
  markedByPass,
  type RetentionCursor,
  retentionDays,
} from '../../db/queries/retention';
import { companionFilesSchema } from '../../nodes/_kit/artifact-integrity';
import type { RetentionResult } from './retention.types';
import type { RetentionProgress } from './retention-progress';

/** Rows handled per query: a long backlog is worked through a slice at a time. */
const SLICE = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface SweepOptions {
  /** The pass's time: the cutoff is reckoned from it and rows are marked with it. Fixed for a pass. */
  at: Date;
  /** Where an earlier attempt of this pass got to (its last heartbeat); null when none was recorded. */
  resume: RetentionProgress | null;
  /** Whether an earlier attempt of this pass ran (it may have died after marking rows, before any heartbeat). */
  retried: boolean;
  /** Called after every slice with the progress so far: the activity heartbeats it. */
  progress: (progress: RetentionProgress) => void;
  slice?: number;
}

/**
 * Deletes the files of runs that finished more than the retention period ago: each artifact's file
 * and the files recorded beside it, under `root` (DATA_DIR/artifacts) only. Uploads
 * (DATA_DIR/uploads), which schedules and runs name as inputs, are never run files and are never
 * touched. The rows stay, marked deleted, so runs keep their record and a re-run refuses to reuse
 * them (workflows/reuse-check.ts). Which runs qualify is db/queries/retention.ts's expiredArtifacts.
 *
 * A slice's rows are marked before their files are deleted, in a transaction that checks again
 * that they qualify (a run queued meanwhile may reuse them). A pass that dies between the two leaves
 * marked rows whose files are still there; its retry (same `at`, resumed from the last heartbeat)
 * deletes them first, and should every attempt fail, the orphan sweep at a worker's start removes
 * them (it takes no marked row for a reason to keep a folder).
 */
export async function deleteExpiredRunFiles(
  db: Database,
  root: string,
  options: SweepOptions,
): Promise<RetentionResult> {
  const days = await retentionDays(db);
  const empty: RetentionResult = { days, deleted: 0, bytes: 0, outside: 0 };
  if (!days) return empty;
  const cutoff = new Date(options.at.getTime() - days * DAY_MS);
  const realRoot = await realpath(root).catch(() => undefined);
  if (!realRoot) return empty;
  // Rows hold the path as the worker spelled it; DATA_DIR may be reached through a symbolic link.
  const roots = [...new Set([realRoot, path.resolve(root)])];
  const resume = options.resume;
  const result: RetentionResult = resume ? { ...resume.result, days } : empty;
  let after = resume ? cursorOf(resume) : null;

  // Finish what a dead attempt of this pass marked but may not have deleted.
  const leftOver = options.retried ? await markedByPass(db, { at: options.at, after }) : [];
  await deleteMarked(leftOver, roots, result);
  if (leftOver.length) options.progress(progressOf(result, after));

  for (;;) {
    const rows = await expiredArtifacts(db, { cutoff, after, limit: options.slice ?? SLICE });
    const last = rows.at(-1);
    if (!last) break;
    const inside = rows.filter((row) => confined(row.uri, roots) !== undefined);
    result.outside += rows.length - inside.length;
    const marked = await markDeletedByRetention(db, {
      ids: inside.map((row) => row.id),
      cutoff,
      at: options.at,
    });
    await deleteMarked(marked, roots, result);
    after = { createdAt: last.createdAt, id: last.id };
    options.progress(progressOf(result, after));
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

/** Heartbeat details are JSON: the cursor's time travels as an ISO string. */
function progressOf(result: RetentionResult, after: RetentionCursor | null): RetentionProgress {
  return {
    result: { ...result },
    after: after ? { createdAt: after.createdAt.toISOString(), id: after.id } : null,
  };
}

function cursorOf(progress: RetentionProgress): RetentionCursor | null {
  return progress.after ? { createdAt: new Date(progress.after.createdAt), id: progress.after.id } : null;
}

async function deleteMarked(rows: ExpiredArtifact[], roots: string[], result: RetentionResult) {
  for (const row of rows) {
    // Marked rows were confined when marked; checked again, as a row's URI is never trusted.
    const bytes = await deleteFiles(row, roots);
    if (bytes === undefined) continue;
    result.deleted++;
    result.bytes += bytes;
  }
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

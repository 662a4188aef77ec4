import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../db/client';
import { type RecordedArtifact, recordedArtifactsOfSteps } from '../db/queries/artifacts';
import { companionFilesSchema, fileMismatch } from '../nodes/_kit/artifact-integrity';
import type { Plan, ReusedStep } from './pipeline.types';
import { deletedByRetentionReason } from './retention/retention-messages';

/** A step that could have been reused but runs again, and why. */
export interface RejectedReuse {
  nodeId: string;
  fromRunId: string;
  reason: string;
}

/**
 * Before an earlier run's outputs stand in for a step, every file that step wrote is checked against
 * its artifacts row: there, of the same size, with the same sha256; so are the files recorded
 * beside each (a dataset's transform spec, a model's arrays). A file lost, truncated or
 * changed since (a disk error, a hand edit, a crash before the data reached the disk) makes the step
 * run again instead of passing bad data on. Steps downstream of one that runs again run again too:
 * their outputs were made from the file that is now being replaced.
 */
export async function checkReusedFiles(
  db: Database,
  plan: Plan,
  candidates: Record<string, ReusedStep>,
): Promise<{ reuse: Record<string, ReusedStep>; rejected: RejectedReuse[] }> {
  const outputIds = Object.values(candidates).flatMap((step) =>
    Object.values(step.outputs).map((ref) => ref.id),
  );
  const rows = await recordedArtifactsOfSteps(db, outputIds);
  // Every file is checked at once (hashing is I/O); the verdicts are then read in plan order.
  const mismatches = new Map(
    await Promise.all(rows.map(async (row) => [row.id, await rowMismatch(row)] as const)),
  );
  const reuse: Record<string, ReusedStep> = {};
  const rejected: RejectedReuse[] = [];
  const runsAgain = new Set<string>();
  for (const step of plan.steps) {
    const candidate = candidates[step.nodeId];
    if (!candidate) continue;
    const upstream = step.dependsOn.find((nodeId) => runsAgain.has(nodeId));
    const reason = upstream
      ? `the step before it, ${upstream}, runs again`
      : problemWithFiles(candidate, rows, mismatches);
    if (reason === undefined) {
      reuse[step.nodeId] = candidate;
      continue;
    }
    runsAgain.add(step.nodeId);
    rejected.push({ nodeId: step.nodeId, fromRunId: candidate.fromRunId, reason });
  }
  return { reuse, rejected };
}

/** Whether a row's file, and the files recorded beside it, are as the row recorded them. */
async function rowMismatch(row: RecordedArtifact): Promise<string | undefined> {
  // Said plainly rather than as "the file is missing": the user learns why, and that it is expected.
  if (row.deletedAt) return deletedByRetentionReason(row.deletedAt);
  const companions = companionFilesSchema.nullable().safeParse(row.companions);
  if (!companions.success) {
    const name = row.uri.startsWith('file:') ? path.basename(fileURLToPath(row.uri)) : row.uri;
    return `the record of the files beside its stored file ${name} cannot be read`;
  }
  return fileMismatch({ ...row, companions: companions.data ?? [] });
}

/** The first problem with the files a reused step's outputs stand on, or undefined. */
function problemWithFiles(
  candidate: ReusedStep,
  rows: RecordedArtifact[],
  mismatches: Map<string, string | undefined>,
): string | undefined {
  const stepIds = new Set<string>();
  for (const [port, ref] of Object.entries(candidate.outputs)) {
    const row = rows.find((recorded) => recorded.id === ref.id);
    if (!row) return `its output ${port} has no artifact record`;
    if (row.stepId) stepIds.add(row.stepId);
  }
  const outputIds = new Set(Object.values(candidate.outputs).map((ref) => ref.id));
  for (const row of rows) {
    if (!outputIds.has(row.id) && !(row.stepId && stepIds.has(row.stepId))) continue;
    const mismatch = mismatches.get(row.id);
    if (mismatch) return mismatch;
  }
  return undefined;
}

/** The log line a rejected reuse leaves in the new run. */
export function rejectedReuseMessage(rejected: RejectedReuse): string {
  return `Runs again instead of reusing the outputs of run ${rejected.fromRunId}: ${rejected.reason}`;
}

import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Database } from '../client';
import { artifacts, databaseIdentity, runSteps, runs } from '../schema';

export type ArtifactRow = typeof artifacts.$inferSelect;

/** One artifact row; undefined when there is none. */
export async function getArtifact(db: Database, artifactId: string): Promise<ArtifactRow | undefined> {
  const [row] = await db.select().from(artifacts).where(eq(artifacts.id, artifactId));
  return row;
}

/** What a row recorded about its file, for checking the file before it is reused. */
export interface RecordedArtifact {
  id: string;
  stepId: string | null;
  uri: string;
  bytes: number;
  sha256: string;
  /** The files beside it, as recorded (jsonb: checked by the reader). */
  companions: unknown;
  /** When retention deleted the files; null while they are kept. */
  deletedAt: Date | null;
}

/**
 * The rows of the given artifacts and of every other artifact their steps wrote: a step's outputs
 * may lean on files of its own that no output names (a model's ONNX file beside model.json).
 */
export async function recordedArtifactsOfSteps(
  db: Database,
  artifactIds: string[],
): Promise<RecordedArtifact[]> {
  if (artifactIds.length === 0) return [];
  const steps = db
    .select({ stepId: artifacts.stepId })
    .from(artifacts)
    .where(inArray(artifacts.id, artifactIds));
  return db
    .select({
      id: artifacts.id,
      stepId: artifacts.stepId,
      uri: artifacts.uri,
      bytes: artifacts.bytes,
      sha256: artifacts.sha256,
      companions: artifacts.companions,
      deletedAt: artifacts.deletedAt,
    })
    .from(artifacts)
    .where(or(inArray(artifacts.id, artifactIds), inArray(artifacts.stepId, steps)));
}

/** What the database says about the artifact folders of some runs (see workflows/orphan-sweep.ts). */
export interface ArtifactOwners {
  /** The runs that exist. */
  runIds: string[];
  /**
   * The file URIs artifact rows of these runs point to, less those retention marked deleted: their
   * files are meant to be gone, and any still there (a pass that died after marking) are the sweep's.
   */
  uris: string[];
  /** Steps of these runs that are running: their current attempt may be writing right now. */
  running: { runId: string; nodeId: string; attempt: number }[];
}

/** Rows are read in slices, keeping each query's parameter list short. */
const SLICE = 500;

/**
 * All of it is read in one REPEATABLE READ transaction: one snapshot for every query. Read apart,
 * a step that succeeds between the artifact query and the running-steps query (setStepSucceeded
 * records its files and ends "running" in one commit) would be in neither answer, and the sweep
 * would delete the folder of an attempt that had just finished.
 */
export async function artifactOwners(db: Database, runIds: string[]): Promise<ArtifactOwners> {
  return db.transaction(
    async (tx) => {
      const owners: ArtifactOwners = { runIds: [], uris: [], running: [] };
      for (let start = 0; start < runIds.length; start += SLICE) {
        const slice = runIds.slice(start, start + SLICE);
        const known = await tx.select({ id: runs.id }).from(runs).where(inArray(runs.id, slice));
        const files = await tx
          .select({ uri: artifacts.uri })
          .from(artifacts)
          .where(and(inArray(artifacts.runId, slice), isNull(artifacts.deletedAt)));
        const running = await tx
          .select({ runId: runSteps.runId, nodeId: runSteps.nodeId, attempt: runSteps.attempt })
          .from(runSteps)
          .where(and(inArray(runSteps.runId, slice), eq(runSteps.status, 'running')));
        owners.runIds.push(...known.map((row) => row.id));
        owners.uris.push(...files.map((row) => row.uri));
        owners.running.push(...running);
      }
      return owners;
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * This database's id (the one row of database_identity), made on first use. The orphan sweep
 * compares it with the id written beside the artifacts.
 */
export async function databaseId(db: Database): Promise<string> {
  await db.insert(databaseIdentity).values({}).onConflictDoNothing();
  const [row] = await db.select({ id: databaseIdentity.id }).from(databaseIdentity);
  if (!row) throw new Error('database_identity has no row');
  return row.id;
}

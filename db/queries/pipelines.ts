import { and, desc, eq, ilike, inArray, isNull, or, sql as raw } from 'drizzle-orm';
import type { Database } from '../client';
import { pipelines, pipelineVersions } from '../schema';
import { afterCursor } from './keyset';
import { escapeLike } from './like';

export type PipelineRow = typeof pipelines.$inferSelect;
export type PipelineVersionRow = typeof pipelineVersions.$inferSelect;

/** A new pipeline with its first version, in one transaction. */
export async function createPipeline(
  db: Database,
  input: { name: string; description?: string; graph: unknown; author?: string },
): Promise<{ pipeline: PipelineRow; version: PipelineVersionRow }> {
  return db.transaction(async (tx) => {
    const [pipeline] = await tx
      .insert(pipelines)
      .values({ name: input.name, description: input.description ?? '' })
      .returning();
    if (!pipeline) throw new Error('pipeline insert returned no row');
    const [version] = await tx
      .insert(pipelineVersions)
      .values({
        pipelineId: pipeline.id,
        version: 1,
        graph: input.graph,
        author: input.author ?? 'anonymous',
      })
      .returning();
    if (!version) throw new Error('version insert returned no row');
    return { pipeline, version };
  });
}

/**
 * Saves a new immutable version numbered one above the latest. The pipeline row is locked first, so
 * two saves at once get consecutive numbers instead of a conflict.
 */
export async function saveVersion(
  db: Database,
  input: { pipelineId: string; graph: unknown; author?: string; message?: string },
): Promise<PipelineVersionRow> {
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ id: pipelines.id })
      .from(pipelines)
      .where(eq(pipelines.id, input.pipelineId))
      .for('update');
    if (!locked) throw new NotFoundError(`No pipeline ${input.pipelineId}`);
    const [latest] = await tx
      .select({ version: pipelineVersions.version })
      .from(pipelineVersions)
      .where(eq(pipelineVersions.pipelineId, input.pipelineId))
      .orderBy(desc(pipelineVersions.version))
      .limit(1);
    const [version] = await tx
      .insert(pipelineVersions)
      .values({
        pipelineId: input.pipelineId,
        version: (latest?.version ?? 0) + 1,
        graph: input.graph,
        author: input.author ?? 'anonymous',
        message: input.message ?? '',
      })
      .returning();
    await tx.update(pipelines).set({ updatedAt: new Date() }).where(eq(pipelines.id, input.pipelineId));
    if (!version) throw new Error('version insert returned no row');
    return version;
  });
}

export async function latestVersion(
  db: Database,
  pipelineId: string,
): Promise<PipelineVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(pipelineVersions)
    .where(eq(pipelineVersions.pipelineId, pipelineId))
    .orderBy(desc(pipelineVersions.version))
    .limit(1);
  return row;
}

export async function getVersion(db: Database, versionId: string): Promise<PipelineVersionRow | undefined> {
  const [row] = await db.select().from(pipelineVersions).where(eq(pipelineVersions.id, versionId));
  return row;
}

/** A pipeline's version by its number (1, 2, …), or undefined when it has none of that number. */
export async function versionByNumber(
  db: Database,
  pipelineId: string,
  version: number,
): Promise<PipelineVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(pipelineVersions)
    .where(and(eq(pipelineVersions.pipelineId, pipelineId), eq(pipelineVersions.version, version)));
  return row;
}

export async function getPipeline(db: Database, pipelineId: string): Promise<PipelineRow | undefined> {
  const [row] = await db.select().from(pipelines).where(eq(pipelines.id, pipelineId));
  return row;
}

/** Pipelines' names by id, and their versions' numbers by version id. */
export interface PipelineLabels {
  names: Map<string, string>;
  numbers: Map<string, number>;
}

/**
 * The names of some pipelines and the numbers of some of their versions, in one query that reads
 * no graph: the labels of a list of things that point at them (the schedules list). Ids with no
 * row, and versions of none of these pipelines, are left out.
 */
export async function pipelineLabels(
  db: Database,
  pipelineIds: readonly string[],
  versionIds: readonly string[],
): Promise<PipelineLabels> {
  const labels: PipelineLabels = { names: new Map(), numbers: new Map() };
  if (pipelineIds.length === 0) return labels;
  const rows = await db
    .select({
      pipelineId: pipelines.id,
      name: pipelines.name,
      versionId: pipelineVersions.id,
      version: pipelineVersions.version,
    })
    .from(pipelines)
    .leftJoin(
      pipelineVersions,
      and(
        eq(pipelineVersions.pipelineId, pipelines.id),
        versionIds.length > 0 ? inArray(pipelineVersions.id, [...versionIds]) : raw`false`,
      ),
    )
    .where(inArray(pipelines.id, [...pipelineIds]));
  for (const row of rows) {
    labels.names.set(row.pipelineId, row.name);
    if (row.versionId !== null && row.version !== null) labels.numbers.set(row.versionId, row.version);
  }
  return labels;
}

export async function listVersions(db: Database, pipelineId: string) {
  return db
    .select({
      id: pipelineVersions.id,
      version: pipelineVersions.version,
      author: pipelineVersions.author,
      message: pipelineVersions.message,
      createdAt: pipelineVersions.createdAt,
    })
    .from(pipelineVersions)
    .where(eq(pipelineVersions.pipelineId, pipelineId))
    .orderBy(desc(pipelineVersions.version));
}

export interface ListPipelinesInput {
  search?: string;
  includeArchived?: boolean;
  limit: number;
  /** The last row of the previous page. */
  cursor?: { updatedAt: Date; id: string };
}

/** Most recently edited first; `search` matches the name or description, case-insensitively. */
export async function listPipelines(db: Database, input: ListPipelinesInput): Promise<PipelineRow[]> {
  const pattern = input.search ? `%${escapeLike(input.search)}%` : undefined;
  return db
    .select()
    .from(pipelines)
    .where(
      and(
        input.includeArchived ? undefined : isNull(pipelines.archivedAt),
        pattern ? or(ilike(pipelines.name, pattern), ilike(pipelines.description, pattern)) : undefined,
        afterCursor(
          pipelines.updatedAt,
          pipelines.id,
          input.cursor && { at: input.cursor.updatedAt, id: input.cursor.id },
        ),
      ),
    )
    .orderBy(desc(pipelines.updatedAt), desc(pipelines.id))
    .limit(input.limit);
}

export async function renamePipeline(db: Database, pipelineId: string, name: string): Promise<PipelineRow> {
  const [row] = await db
    .update(pipelines)
    .set({ name, updatedAt: new Date() })
    .where(eq(pipelines.id, pipelineId))
    .returning();
  if (!row) throw new NotFoundError(`No pipeline ${pipelineId}`);
  return row;
}

export async function archivePipeline(
  db: Database,
  pipelineId: string,
  archived: boolean,
): Promise<PipelineRow> {
  const [row] = await db
    .update(pipelines)
    .set({ archivedAt: archived ? raw`now()` : null })
    .where(eq(pipelines.id, pipelineId))
    .returning();
  if (!row) throw new NotFoundError(`No pipeline ${pipelineId}`);
  return row;
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** The newest non-archived pipeline with exactly this name. */
export async function findPipelineByName(db: Database, name: string): Promise<PipelineRow | undefined> {
  const [row] = await db
    .select()
    .from(pipelines)
    .where(and(eq(pipelines.name, name), isNull(pipelines.archivedAt)))
    .orderBy(desc(pipelines.updatedAt))
    .limit(1);
  return row;
}

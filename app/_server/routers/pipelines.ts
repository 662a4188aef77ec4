import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  archivePipeline,
  createPipeline,
  getPipeline,
  getVersion,
  latestVersion,
  listPipelines,
  listVersions,
  renamePipeline,
  saveVersion,
  versionByNumber,
} from '../../../db/queries/pipelines';
import { latestRunOfEach } from '../../../db/queries/runs';
import { compilePipeline } from '../../../pipeline/compile';
import { PIPELINE_SCHEMA_VERSION, parsePipelineDocument } from '../../../pipeline/document';
import { parameterValuesSchema } from '../../../pipeline/parameters';
import { diffDocuments } from '../../../pipeline/version-diff';
import { pausePipelineSchedules } from '../../../workflows/schedules/schedule-service';
import { recordAction } from '../audit-trail';
import type { Actor } from '../auth/actor';
import { auditActor } from '../auth/audit-actor';
import { type Context, procedure, router } from '../trpc';
import { logUnexpectedError } from '../unexpected-error';

const nameSchema = z.string().trim().min(1, 'A pipeline needs a name').max(200);
const idSchema = z.uuid();
/** A version's number; at most PostgreSQL's largest integer, the column's type, so a bigger one is a 400, not a failed query. */
const versionNumberSchema = z
  .number()
  .int('must be a whole version number')
  .min(1, 'must be 1 or more')
  .max(2_147_483_647, 'must be at most 2,147,483,647');
/** Documents arrive as JSON and are checked (and migrated) by parsePipelineDocument. */
const documentInput = z.unknown();

const emptyDocument = {
  schemaVersion: PIPELINE_SCHEMA_VERSION,
  nodes: [],
  edges: [],
  parameters: [],
  notes: [],
};

/** A pipeline as an audit entry's object; its name is copied so the entry reads right after a rename. */
function pipelineObject(pipeline: { id: string; name: string }) {
  return { objectType: 'pipeline', objectId: pipeline.id, objectLabel: pipeline.name };
}

export const pipelinesRouter = router({
  create: procedure('edit')
    .input(
      z.object({
        name: nameSchema,
        description: z.string().max(2000).optional(),
        document: documentInput.optional(),
        /** 'import' when the document comes from a file the user imported: the audit log says so. */
        origin: z.enum(['new', 'import']).default('new'),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const document = parsePipelineDocument(input.document ?? emptyDocument);
      const { pipeline, version } = await createPipeline(ctx.services.db, {
        name: input.name,
        description: input.description,
        graph: document,
        author: ctx.actor.email,
      });
      await recordAction(ctx, {
        action: input.origin === 'import' ? 'pipeline.imported' : 'pipeline.created',
        ...pipelineObject(pipeline),
        details: { version: version.version },
      });
      return { id: pipeline.id, versionId: version.id, version: version.version };
    }),

  list: procedure('read')
    .input(
      z.object({
        search: z.string().trim().max(200).optional(),
        includeArchived: z.boolean().default(false),
        limit: z.number().int().min(1).max(100).default(25),
        cursor: z.object({ updatedAt: z.date(), id: idSchema }).optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await listPipelines(ctx.services.db, input);
      const lastRuns = await latestRunOfEach(
        ctx.services.db,
        rows.map((row) => row.id),
      );
      const last = rows.at(-1);
      return {
        items: rows.map((row) => ({ ...row, lastRun: lastRuns.get(row.id) ?? null })),
        nextCursor:
          rows.length === input.limit && last ? { updatedAt: last.updatedAt, id: last.id } : undefined,
      };
    }),

  get: procedure('read')
    .input(z.object({ id: idSchema, versionId: idSchema.optional() }))
    .query(async ({ ctx, input }) => {
      const pipeline = await getPipeline(ctx.services.db, input.id);
      if (!pipeline) throw new TRPCError({ code: 'NOT_FOUND', message: `No pipeline ${input.id}` });
      const version = input.versionId
        ? await getVersion(ctx.services.db, input.versionId)
        : await latestVersion(ctx.services.db, input.id);
      if (!version || version.pipelineId !== pipeline.id) {
        throw new TRPCError({ code: 'NOT_FOUND', message: `No such version of pipeline ${pipeline.name}` });
      }
      return { pipeline, version: { ...version, graph: parsePipelineDocument(version.graph) } };
    }),

  saveVersion: procedure('edit')
    .input(
      z.object({ pipelineId: idSchema, document: documentInput, message: z.string().max(500).optional() }),
    )
    .mutation(async ({ ctx, input }) => {
      const document = parsePipelineDocument(input.document);
      // Compiled before the insert: if checking the document fails, nothing has been saved.
      const { problems } = compilePipeline(document, { specOf: ctx.services.specOf });
      const version = await saveVersion(ctx.services.db, {
        pipelineId: input.pipelineId,
        graph: document,
        author: ctx.actor.email,
        message: input.message,
      });
      const pipeline = await getPipeline(ctx.services.db, input.pipelineId);
      await recordAction(ctx, {
        action: 'pipeline.saved',
        objectType: 'pipeline',
        objectId: input.pipelineId,
        objectLabel: pipeline?.name ?? null,
        details: { version: version.version },
      });
      return { versionId: version.id, version: version.version, problems };
    }),

  versions: procedure('read')
    .input(z.object({ pipelineId: idSchema }))
    .query(({ ctx, input }) => listVersions(ctx.services.db, input.pipelineId)),

  /**
   * What changed from one saved version to another (by number, as the diff page's address has them):
   * each version's facts and the diff, whose node entries carry both versions' nodes.
   */
  compareVersions: procedure('read')
    .input(
      z.object({
        pipelineId: idSchema,
        from: versionNumberSchema,
        to: versionNumberSchema,
      }),
    )
    .query(async ({ ctx, input }) => {
      const pipeline = await getPipeline(ctx.services.db, input.pipelineId);
      if (!pipeline) throw new TRPCError({ code: 'NOT_FOUND', message: `No pipeline ${input.pipelineId}` });
      const [from, to] = await Promise.all([
        versionByNumber(ctx.services.db, pipeline.id, input.from),
        versionByNumber(ctx.services.db, pipeline.id, input.to),
      ]);
      const noVersion = (version: number) =>
        new TRPCError({ code: 'NOT_FOUND', message: `Pipeline ${pipeline.name} has no version ${version}` });
      if (!from) throw noVersion(input.from);
      if (!to) throw noVersion(input.to);
      const facts = ({ graph: _graph, ...version }: typeof from) => version;
      return {
        pipeline: { id: pipeline.id, name: pipeline.name },
        from: facts(from),
        to: facts(to),
        diff: diffDocuments(parsePipelineDocument(from.graph), parsePipelineDocument(to.graph)),
      };
    }),

  rename: procedure('edit')
    .input(z.object({ id: idSchema, name: nameSchema }))
    .mutation(async ({ ctx, input }) => {
      const before = await getPipeline(ctx.services.db, input.id);
      const renamed = await renamePipeline(ctx.services.db, input.id, input.name);
      await recordAction(ctx, {
        action: 'pipeline.renamed',
        ...pipelineObject(renamed),
        details: { from: before?.name ?? null, to: renamed.name },
      });
      return renamed;
    }),

  duplicate: procedure('edit')
    .input(z.object({ id: idSchema, name: nameSchema.optional() }))
    .mutation(async ({ ctx, input }) => {
      const source = await getPipeline(ctx.services.db, input.id);
      const version = await latestVersion(ctx.services.db, input.id);
      if (!source || !version) throw new TRPCError({ code: 'NOT_FOUND', message: `No pipeline ${input.id}` });
      const copy = await createPipeline(ctx.services.db, {
        name: input.name ?? `${source.name} (copy)`,
        description: source.description,
        graph: version.graph,
        author: ctx.actor.email,
      });
      await recordAction(ctx, {
        action: 'pipeline.duplicated',
        ...pipelineObject(copy.pipeline),
        details: { sourceId: source.id, sourceName: source.name, sourceVersion: version.version },
      });
      return { id: copy.pipeline.id, versionId: copy.version.id };
    }),

  archive: procedure('edit')
    .input(z.object({ id: idSchema, archived: z.boolean().default(true) }))
    .mutation(async ({ ctx, input }) => {
      const pipeline = await archivePipeline(ctx.services.db, input.id, input.archived);
      await recordAction(ctx, {
        action: input.archived ? 'pipeline.archived' : 'pipeline.restored',
        ...pipelineObject(pipeline),
      });
      // Its schedules pause (audited, with a note saying why) rather than fire into a refusal. The
      // archive stands if Temporal cannot be reached: a schedule that fires then pauses itself.
      if (input.archived) await pauseSchedulesOf(ctx, pipeline.id);
      return pipeline;
    }),

  /** The compiler's problems for a document being edited (or a run about to start, with values). */
  validate: procedure('read')
    .input(
      z.object({
        document: documentInput,
        parameterValues: parameterValuesSchema.optional(),
        forRun: z.boolean().default(false),
      }),
    )
    .query(({ ctx, input }) => {
      const document = parsePipelineDocument(input.document);
      const { problems, plan } = compilePipeline(document, {
        specOf: ctx.services.specOf,
        parameterValues: input.parameterValues,
        requireValues: input.forRun,
        // For a run started now, $scheduledTime is its start time (a schedule passes its own).
        builtInValues: input.forRun ? { $scheduledTime: new Date().toISOString() } : undefined,
      });
      return {
        problems,
        valid: plan !== undefined,
        steps: plan?.steps.map((step) => ({ nodeId: step.nodeId, hash: step.hash })) ?? [],
      };
    }),
});

async function pauseSchedulesOf(
  ctx: Pick<Context, 'services' | 'ipAddress'> & { actor: Actor },
  pipelineId: string,
) {
  try {
    const deps = {
      db: ctx.services.db,
      temporal: await ctx.services.temporal(),
      taskQueue: ctx.services.taskQueue,
    };
    await pausePipelineSchedules(deps, auditActor(ctx.actor, ctx.ipAddress), pipelineId);
  } catch (error) {
    logUnexpectedError(error, `pausing the schedules of archived pipeline ${pipelineId}`);
  }
}

import { z } from 'zod';
import { serveUrl } from '../../../config/env';
import {
  listModelNames,
  listModels,
  listModelTags,
  listModelVersions,
  type ModelListItem,
  type ModelVersionListItem,
  setModelDescription,
  setModelTags,
} from '../../../db/queries/model-listing';
import {
  findAliasedVersion,
  findModelVersion,
  findRollbackTarget,
  listLedger,
  type ModelVersionRow,
} from '../../../db/queries/registry';
import { mainMetric, numericMetrics } from '../../../nodes/evaluate/main-metric';
import { modelAliasSchema, modelNameSchema, modelSignatureSchema } from '../../../registry/version-schema';
import {
  type PromotionActor,
  promoteVersion,
  requireModel,
  rollbackAlias,
} from '../../../runtime/models/promotion';
import { versionComparisonSchema } from '../../_models/compare/comparison-schema';
import { recordAction } from '../audit-trail';
import type { Actor } from '../auth/actor';
import { auditActor } from '../auth/audit-actor';
import { env } from '../env';
import { procedure, router } from '../trpc';
import { compareVersions } from '../version-comparison';

/**
 * The model registry for the app's Models pages: list and search models, one model with its
 * versions, ledger and endpoint, and promote or roll back an alias (operators). Promotion itself
 * (checks, ledger, audit) lives in runtime/models/promotion.ts, shared with the CLI.
 */

const nameInput = z.object({ name: modelNameSchema });
const tagSchema = z
  .string()
  .trim()
  .min(1, 'A tag has 1 to 64 characters')
  .max(64, 'A tag has 1 to 64 characters');
const reasonSchema = z.string().max(500, 'A reason has at most 500 characters');

const listInput = z.object({
  /** Matches the name or description. */
  search: z.string().max(200).optional(),
  tag: tagSchema.optional(),
  alias: modelAliasSchema.optional(),
  limit: z.number().int().min(1).max(100).default(50),
  /** The last row of the previous page, as nextCursor gave it (the time as PostgreSQL wrote it). */
  cursor: z
    .object({
      updatedAt: z
        .string()
        .regex(
          /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)$/,
          'Pass the nextCursor of the previous page',
        ),
      id: z.uuid(),
    })
    .optional(),
});

/**
 * A timestamp as a Date for the client: the database client leaves timestamps as PostgreSQL's text
 * (drizzle's postgres.js driver turns the parsing off), whatever the row types say.
 */
function instant(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/** A stored metrics record's numbers, in a plain object (the UI shows them as columns). */
function metricsOf(stored: unknown): Record<string, number> {
  return Object.fromEntries(numericMetrics({ metrics: stored }));
}

/**
 * The metric the list headlines, production's version else staging's: the one the Runs page shows
 * for the run that registered it (its first gate's metric), with the version's own figure; accuracy,
 * else R², when the version has no run or lacks that metric.
 */
function headline(item: ModelListItem) {
  const shown = item.production ?? item.staging;
  if (!shown) return null;
  const metric = mainMetric([{ summary: { metrics: shown.metrics }, gatedMetric: shown.mainMetricName }]);
  return metric && { ...metric, version: shown.version };
}

function listed(item: ModelListItem) {
  const aliased = (version: ModelListItem['production']) =>
    version && { version: version.version, metrics: metricsOf(version.metrics) };
  return {
    id: item.id,
    name: item.name,
    description: item.description,
    ownerEmail: item.ownerEmail,
    updatedAt: instant(item.updatedAt),
    tags: item.tags,
    versionCount: item.versionCount,
    latestVersion: item.latestVersion,
    production: aliased(item.production),
    staging: aliased(item.staging),
    headline: headline(item),
  };
}

/** A gate as the versions table shows it: what it checked and whether it passed. */
const gateSchema = z.looseObject({ description: z.string().optional(), passed: z.boolean() });

function gatesOf(stored: unknown) {
  const parsed = z.array(z.unknown()).safeParse(stored);
  if (!parsed.success) return [];
  return parsed.data.flatMap((gate) => {
    const read = gateSchema.safeParse(gate);
    return read.success ? [{ description: read.data.description ?? '', passed: read.data.passed }] : [];
  });
}

function versionRow(version: ModelVersionListItem) {
  return {
    version: version.version,
    aliases: version.aliases,
    task: version.task,
    algorithm: version.algorithm,
    metrics: metricsOf(version.metrics),
    gates: gatesOf(version.gates),
    runId: version.runId,
    pipelineId: version.pipelineId,
    pipelineName: version.pipelineName,
    pipelineVersion: version.pipelineVersion,
    createdByEmail: version.createdByEmail,
    /** Imported from a file (lineage "imported", by whom) rather than registered by a run. */
    origin: version.origin,
    importedBy: version.importedBy,
    importedFile: version.importedFile,
    createdAt: instant(version.createdAt),
  };
}

/** A version the Try it form can call, with the inputs its signature asks for. */
interface Tryable {
  /** production or staging (called by alias), or `version` (called by number). */
  target: 'production' | 'staging' | 'version';
  version: number;
  signature: z.infer<typeof modelSignatureSchema>;
}

function tryable(target: Tryable['target'], row: ModelVersionRow | undefined): Tryable[] {
  if (!row) return [];
  const signature = modelSignatureSchema.safeParse(row.signature);
  return signature.success ? [{ target, version: row.version, signature: signature.data }] : [];
}

/** The ledger's and audit log's "who" for the caller. */
function promotionActor(actor: Actor, ipAddress: string | null): PromotionActor {
  return {
    ledger: { actorKind: actor.kind, actorId: actor.userId, actorEmail: actor.email },
    audit: auditActor(actor, ipAddress),
  };
}

export const modelsRouter = router({
  /** Models, most recently changed first, with their production and staging versions. */
  list: procedure('read')
    .input(listInput)
    .query(async ({ ctx, input }) => {
      const items = await listModels(ctx.services.sql, {
        text: input.search,
        tag: input.tag,
        alias: input.alias,
        // One more than asked tells whether there is a next page.
        limit: input.limit + 1,
        cursor: input.cursor,
      });
      const page = items.slice(0, input.limit);
      const last = page.at(-1);
      return {
        items: page.map(listed),
        nextCursor:
          items.length > input.limit && last ? { updatedAt: last.updatedAt, id: last.id } : undefined,
      };
    }),

  /** One model: its details, aliases, the serving URL for snippets, and the versions Try it can call. */
  show: procedure('read')
    .input(nameInput)
    .query(async ({ ctx, input }) => {
      const { sql } = ctx.services;
      const model = await requireModel(sql, input.name);
      const [[newest], production, staging, tags] = await Promise.all([
        listModelVersions(sql, model.id, { limit: 1 }),
        findAliasedVersion(sql, model.id, 'production'),
        findAliasedVersion(sql, model.id, 'staging'),
        listModelTags(sql, model.id),
      ]);
      const latest = newest && (await findModelVersion(sql, model.id, newest.version));
      // Where Roll back would take each alias (the ledger read as a stack), so the page can say so.
      const rollbackTo = async (alias: 'production' | 'staging', current: ModelVersionRow | undefined) =>
        current ? ((await findRollbackTarget(sql, model.id, alias))?.version ?? null) : null;
      const aliasedNumbers = [production?.version, staging?.version];
      return {
        id: model.id,
        name: model.name,
        description: model.description,
        createdAt: instant(model.createdAt),
        updatedAt: instant(model.updatedAt),
        tags,
        aliases: { production: production?.version ?? null, staging: staging?.version ?? null },
        rollbackTo: {
          production: await rollbackTo('production', production),
          staging: await rollbackTo('staging', staging),
        },
        latestVersion: newest?.version ?? null,
        serveUrl: serveUrl(env).origin,
        tryable: [
          ...tryable('production', production),
          ...tryable('staging', staging),
          ...(latest && !aliasedNumbers.includes(latest.version) ? tryable('version', latest) : []),
        ],
      };
    }),

  /** A page of a model's versions, newest first. */
  versions: procedure('read')
    .input(
      nameInput.extend({
        limit: z.number().int().min(1).max(100).default(50),
        /** The last version of the previous page (nextCursor): this page holds older ones. */
        cursor: z.number().int().min(1).optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const model = await requireModel(ctx.services.sql, input.name);
      const rows = await listModelVersions(ctx.services.sql, model.id, {
        limit: input.limit + 1,
        beforeVersion: input.cursor,
      });
      const page = rows.slice(0, input.limit);
      return {
        items: page.map(versionRow),
        nextCursor: rows.length > input.limit ? page.at(-1)?.version : undefined,
      };
    }),

  /** Every alias move of a model, newest first. */
  ledger: procedure('read')
    .input(nameInput)
    .query(async ({ ctx, input }) => {
      const model = await requireModel(ctx.services.sql, input.name);
      const entries = await listLedger(ctx.services.sql, model.id);
      return entries.map((entry) => ({ ...entry, at: instant(entry.at) }));
    }),

  /**
   * Two versions side by side: metrics with the change and the better one, confusion matrices, ROC
   * curves, feature importances and training data profiles. Without a and b: production against the
   * newest other version (or the two newest).
   */
  compare: procedure('read')
    .input(
      nameInput.extend({
        a: z.number().int().min(1, 'a is a version number, from 1').optional(),
        b: z.number().int().min(1, 'b is a version number, from 1').optional(),
      }),
    )
    .output(versionComparisonSchema)
    .query(({ ctx, input }) => compareVersions(ctx.services, input)),

  /** Every model's name, for pickers. */
  names: procedure('read').query(({ ctx }) => listModelNames(ctx.services.sql)),

  /** Points an alias at a version; the reason goes to the ledger. */
  promote: procedure('promote')
    .input(
      nameInput.extend({
        version: z.number().int().min(1),
        alias: modelAliasSchema,
        reason: reasonSchema,
      }),
    )
    .mutation(({ ctx, input }) =>
      promoteVersion(
        { sql: ctx.services.sql, db: ctx.services.db },
        { model: input.name, version: input.version, alias: input.alias, reason: input.reason },
        promotionActor(ctx.actor, ctx.ipAddress),
      ),
    ),

  /** Points an alias back at the version it held before. */
  rollback: procedure('promote')
    .input(nameInput.extend({ alias: modelAliasSchema, reason: reasonSchema }))
    .mutation(({ ctx, input }) =>
      rollbackAlias(
        { sql: ctx.services.sql, db: ctx.services.db },
        { model: input.name, alias: input.alias, reason: input.reason },
        promotionActor(ctx.actor, ctx.ipAddress),
      ),
    ),

  /** Replaces a model's tags. */
  setTags: procedure('edit')
    .input(nameInput.extend({ tags: z.array(tagSchema).max(20, 'A model has at most 20 tags') }))
    .mutation(async ({ ctx, input }) => {
      const model = await requireModel(ctx.services.sql, input.name);
      const tags = [...new Set(input.tags)].sort();
      await setModelTags(ctx.services.sql, model.id, tags);
      await recordAction(ctx, {
        action: 'model.tags-changed',
        objectType: 'model',
        objectId: model.id,
        objectLabel: model.name,
        details: { tags: tags.join(', ') },
      });
      return { name: model.name, tags };
    }),

  /** Changes a model's description. */
  setDescription: procedure('edit')
    .input(
      nameInput.extend({ description: z.string().max(2000, 'A description has at most 2,000 characters') }),
    )
    .mutation(async ({ ctx, input }) => {
      const model = await requireModel(ctx.services.sql, input.name);
      const description = input.description.trim();
      await setModelDescription(ctx.services.sql, model.id, description);
      await recordAction(ctx, {
        action: 'model.description-changed',
        objectType: 'model',
        objectId: model.id,
        objectLabel: model.name,
      });
      return { name: model.name, description };
    }),
});

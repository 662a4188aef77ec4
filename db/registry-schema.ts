import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  customType,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { user } from './accounts-schema';
import { pipelineVersions, runs } from './schema';

/**
 * The model registry: registered models, their numbered versions with everything needed to serve
 * and monitor them, the `production` and `staging` aliases, an append-only promotion ledger, and
 * the prediction log the serving processes write. Version files live in PostgreSQL (model_files),
 * not under DATA_DIR, so they outlive the run's files and every serving machine can load them.
 */

const time = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const modelAliases = ['production', 'staging'] as const;
export type ModelAlias = (typeof modelAliases)[number];
/** A version is registered by a run's deploy step or imported from a file made elsewhere. */
export const modelVersionOrigins = ['run', 'import'] as const;
export const ledgerActorKinds = ['user', 'key', 'cli', 'run', 'system'] as const;
/** A promotion points an alias at a chosen version; a rollback returns it to the one before. */
export const ledgerMoveKinds = ['promote', 'rollback'] as const;
/**
 * Ledger entries: the moves, and a promotion to production an operator rejected (the alias stayed;
 * from/to name the versions it would have moved between). An approved one is a `promote` entry
 * whose requested_by_* name who asked.
 */
export const ledgerKinds = [...ledgerMoveKinds, 'reject'] as const;

/**
 * Model names go into URLs (/api/v1/models/{name}/predict) and file names of downloads: letters,
 * digits, dot, dash and underscore, starting with a letter or digit.
 */
export const predictionRoles = ['production', 'canary', 'shadow'] as const;
export type PredictionRole = (typeof predictionRoles)[number];

export const MODEL_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$';

export const registeredModels = pgTable(
  'registered_models',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    ownerId: text('owner_id').references(() => user.id, { onDelete: 'set null' }),
    createdAt: time('created_at').notNull().defaultNow(),
    updatedAt: time('updated_at').notNull().defaultNow(),
  },
  (table) => [
    // Names are unique ignoring case, so "Churn" and "churn" never become two endpoints.
    uniqueIndex('registered_models_lower_name_key').using('btree', sql`lower(${table.name})`),
    index('registered_models_updated_idx').on(table.updatedAt.desc(), table.id.desc()),
    check('registered_models_name_valid', sql.raw(`name ~ '${MODEL_NAME_PATTERN}'`)),
  ],
);

export const modelTags = pgTable(
  'model_tags',
  {
    modelId: uuid('model_id')
      .notNull()
      .references(() => registeredModels.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.modelId, table.tag] }),
    index('model_tags_tag_idx').on(table.tag),
    check('model_tags_tag_valid', sql`length(${table.tag}) between 1 and 64`),
  ],
);

/** Immutable once written: a version is what a run registered, numbered per model from 1. */
export const modelVersions = pgTable(
  'model_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    modelId: uuid('model_id')
      .notNull()
      .references(() => registeredModels.id, { onDelete: 'restrict' }),
    version: integer('version').notNull(),
    /** The run and step that made it; null for an imported model, or once the run is deleted. */
    runId: uuid('run_id').references(() => runs.id, { onDelete: 'set null' }),
    nodeId: text('node_id'),
    pipelineVersionId: uuid('pipeline_version_id').references(() => pipelineVersions.id, {
      onDelete: 'set null',
    }),
    task: text('task', { enum: ['classification', 'regression'] }).notNull(),
    algorithm: text('algorithm').notNull(),
    /** registry/version-schema.ts: modelSignatureSchema (raw input columns, types, categories). */
    signature: jsonb('signature').notNull(),
    /** Class labels in the order of the probabilities; empty for regression. */
    labels: jsonb('labels').notNull().default([]),
    /** The evaluate step's test metrics and gate results. */
    metrics: jsonb('metrics').notNull().default({}),
    gates: jsonb('gates').notNull().default([]),
    /** The run's parameter values and the train step's config. */
    parameters: jsonb('parameters').notNull().default({}),
    /** The training dataset's checksum, rows and profile. */
    datasetSha256: text('dataset_sha256'),
    datasetProfile: jsonb('dataset_profile'),
    /** The transform spec in front of the model (also inside the ONNX graph). */
    transforms: jsonb('transforms').notNull(),
    /** Per input column: numbers' deciles, categories' frequencies (registry/version-schema.ts). */
    reference: jsonb('reference').notNull().default({}),
    referenceRows: integer('reference_rows').notNull().default(0),
    onnxSha256: text('onnx_sha256').notNull(),
    onnxBytes: integer('onnx_bytes').notNull(),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: time('created_at').notNull().defaultNow(),
    /** How the version came: registered by a run's deploy step, or imported from an ONNX file. */
    origin: text('origin', { enum: modelVersionOrigins }).notNull().default('run'),
    /**
     * For an imported version, who imported it, as words that outlive the account (an email, or
     * "the local CLI (alice)"), and the uploaded file's name.
     */
    importedBy: text('imported_by'),
    importedFile: text('imported_file'),
  },
  (table) => [
    unique('model_versions_model_version_key').on(table.modelId, table.version),
    // One version per model from a run's step: a retried deploy step finds its first attempt's.
    uniqueIndex('model_versions_run_step_key')
      .on(table.modelId, table.runId, table.nodeId)
      .where(sql`${table.runId} is not null`),
    index('model_versions_run_idx').on(table.runId),
    check('model_versions_version_positive', sql`${table.version} >= 1`),
    check('model_versions_task_valid', sql`${table.task} in ('classification', 'regression')`),
    check('model_versions_origin_valid', sql`${table.origin} in ('run', 'import')`),
  ],
);

/**
 * A version's files: `model.onnx` (raw columns in, transforms included) and `reference.json`, the
 * reference sample of up to 10,000 raw training rows for monitoring.
 */
export const modelFiles = pgTable(
  'model_files',
  {
    versionId: uuid('version_id')
      .notNull()
      .references(() => modelVersions.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    content: bytea('content').notNull(),
    sha256: text('sha256').notNull(),
  },
  (table) => [primaryKey({ columns: [table.versionId, table.name] })],
);

/** Each alias points to at most one version of its model. Changes NOTIFY `pipewright_models`. */
export const modelAliasTable = pgTable(
  'model_aliases',
  {
    modelId: uuid('model_id')
      .notNull()
      .references(() => registeredModels.id, { onDelete: 'cascade' }),
    alias: text('alias', { enum: modelAliases }).notNull(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => modelVersions.id, { onDelete: 'restrict' }),
    updatedAt: time('updated_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.modelId, table.alias] }),
    index('model_aliases_version_idx').on(table.versionId),
    check('model_aliases_alias_valid', sql`${table.alias} in ('production', 'staging')`),
  ],
);

/**
 * Every alias change: when, who (a person, a key, the CLI, or a run acting for the person who
 * started it), which alias, from which version to which, and why. Append-only by trigger.
 */
export const promotionLedger = pgTable(
  'promotion_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: time('at').notNull().defaultNow(),
    modelId: uuid('model_id')
      .notNull()
      .references(() => registeredModels.id, { onDelete: 'restrict' }),
    alias: text('alias', { enum: modelAliases }).notNull(),
    kind: text('kind', { enum: ledgerKinds }).notNull().default('promote'),
    fromVersion: integer('from_version'),
    toVersion: integer('to_version'),
    actorKind: text('actor_kind', { enum: ledgerActorKinds }).notNull(),
    actorId: text('actor_id'),
    actorEmail: text('actor_email'),
    runId: uuid('run_id'),
    reason: text('reason').notNull().default(''),
    /** For a decided promotion request (db/rollout-schema.ts): who asked for it; the actor decided. */
    requestedByKind: text('requested_by_kind', { enum: ledgerActorKinds }),
    requestedById: text('requested_by_id'),
    requestedByEmail: text('requested_by_email'),
    requestReason: text('request_reason'),
  },
  (table) => [
    index('promotion_ledger_model_at_idx').on(table.modelId, table.at.desc(), table.id.desc()),
    check('promotion_ledger_kind_valid', sql`${table.kind} in ('promote', 'rollback', 'reject')`),
  ],
);

/**
 * One row per prediction, written in batches by the serving processes off the request path.
 * No foreign keys: a log write must never wait on, or fail because of, the registry's rows.
 */
export const predictionLog = pgTable(
  'prediction_log',
  {
    predictionId: uuid('prediction_id').primaryKey(),
    requestId: text('request_id').notNull(),
    modelId: uuid('model_id').notNull(),
    version: integer('version').notNull(),
    at: time('at').notNull(),
    latencyMs: real('latency_ms').notNull(),
    /**
     * json, not jsonb: the text as serving wrote it, which PostgreSQL prints back as it is. jsonb
     * keeps numbers as numeric, and printing a million rows of them was most of reading a window
     * for monitoring (scripts/bench/monitor.ts). Nothing queries inside the array.
     */
    inputs: json('inputs').notNull(),
    outputs: jsonb('outputs').notNull(),
    /**
     * production: answered by the production version; canary: answered by staging (returned to the
     * client); shadow: staging's answer to a copy of the request, logged and never returned. Monitoring
     * and feedback read only the answers clients got (role <> 'shadow').
     */
    role: text('role', { enum: predictionRoles }).notNull().default('production'),
    /** A shadow row: the prediction id of the production answer it shadows (same request, same row). */
    shadowOf: uuid('shadow_of'),
  },
  (table) => [
    index('prediction_log_model_at_idx').on(table.modelId, table.at.desc()),
    check('prediction_log_role_valid', sql`${table.role} in ('production', 'canary', 'shadow')`),
    index('prediction_log_shadow_of_idx').on(table.shadowOf).where(sql`${table.shadowOf} is not null`),
  ],
);

/**
 * The true label or value of a logged prediction, sent later by whoever acts on the predictions
 * (POST /api/v1/models/{name}/feedback). One row per prediction: a label sent again is a
 * correction and replaces the first (received_at moves with it). The model and version are copied
 * from the prediction's log row, so performance over time is read from this table alone by
 * (model_id, received_at). No foreign keys, as for the log: a model's name or an API key may go,
 * the labels stay (the key id is kept as a plain record of who sent them).
 */
export const predictionFeedback = pgTable(
  'prediction_feedback',
  {
    predictionId: uuid('prediction_id').primaryKey(),
    modelId: uuid('model_id').notNull(),
    version: integer('version').notNull(),
    /** The class (as the version's signature spells it) or the number. */
    label: jsonb('label').notNull(),
    receivedAt: time('received_at').notNull().defaultNow(),
    /** The API key that sent it; null when a signed-in user sent it through the app. */
    keyId: text('key_id'),
  },
  (table) => [index('prediction_feedback_model_received_idx').on(table.modelId, table.receivedAt.desc())],
);

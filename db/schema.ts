import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
// Runs point at the schedule that started them; the reference is read lazily, so the cycle is fine.
import { schedules } from './schedules-schema';

/** Enumerations live here once: the check constraints and the TypeScript types come from them. */
export const runTriggers = ['manual', 'schedule', 'api', 'monitor'] as const;
export const runStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const stepStatuses = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
  'cached',
] as const;
export const eventLevels = ['debug', 'info', 'warn', 'error'] as const;
/** report: an evaluate step's evaluation report; drift: a monitor step's drift report. */
export const artifactKinds = ['dataset', 'model', 'onnx', 'report', 'drift'] as const;

export type RunTrigger = (typeof runTriggers)[number];
export type RunStatus = (typeof runStatuses)[number];
export type StepStatus = (typeof stepStatuses)[number];
export type EventLevel = (typeof eventLevels)[number];
export type ArtifactKind = (typeof artifactKinds)[number];

/** `column IN ('a', 'b')` for a check constraint; the values are our own constants, never user text. */
function oneOf(column: string, values: readonly string[]) {
  return sql.raw(`${column} in (${values.map((value) => `'${value}'`).join(', ')})`);
}

// Millisecond precision, like JavaScript's Date: a timestamp read back and used as a page cursor
// compares equal to the stored one.
const createdAt = () => timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow();

export const pipelines = pgTable(
  'pipelines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [
    index('pipelines_updated_idx').on(table.updatedAt.desc()),
    check('pipelines_name_not_blank', sql`length(trim(${table.name})) > 0`),
  ],
);

/** Immutable: a save writes a new row with the next version number. */
export const pipelineVersions = pgTable(
  'pipeline_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    pipelineId: uuid('pipeline_id')
      .notNull()
      .references(() => pipelines.id, { onDelete: 'restrict' }),
    version: integer('version').notNull(),
    graph: jsonb('graph').notNull(),
    author: text('author').notNull().default('anonymous'),
    message: text('message').notNull().default(''),
    createdAt: createdAt(),
  },
  (table) => [
    unique('pipeline_versions_pipeline_version_key').on(table.pipelineId, table.version),
    check('pipeline_versions_version_positive', sql`${table.version} >= 1`),
  ],
);

export const runs = pgTable(
  'runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    pipelineId: uuid('pipeline_id')
      .notNull()
      .references(() => pipelines.id, { onDelete: 'restrict' }),
    pipelineVersionId: uuid('pipeline_version_id')
      .notNull()
      .references(() => pipelineVersions.id, { onDelete: 'restrict' }),
    workflowId: text('workflow_id').notNull().unique(),
    temporalRunId: text('temporal_run_id'),
    trigger: text('trigger', { enum: runTriggers }).notNull().default('manual'),
    parameters: jsonb('parameters').notNull().default({}),
    status: text('status', { enum: runStatuses }).notNull().default('queued'),
    /** The run this one re-runs (plain re-run or resume from the failed step). */
    rerunOfRunId: uuid('rerun_of_run_id').references((): AnyPgColumn => runs.id, { onDelete: 'set null' }),
    startedAt: timestamp('started_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, precision: 3 }),
    error: text('error'),
    /** Who started it: the user (or the owner of the API key); null for runs from before accounts. */
    startedBy: text('started_by'),
    /**
     * The operating-system user who started it with the local CLI (which talks to the database
     * directly, without an account): the run acts with the CLI's authority, as its other commands do.
     */
    startedByCli: text('started_by_cli'),
    /**
     * The run's main metric (nodes/evaluate/main-metric.ts), stored when an evaluate step finishes
     * so the Runs page can filter and page on it over many runs; null until then.
     */
    mainMetricName: text('main_metric_name'),
    mainMetricValue: doublePrecision('main_metric_value'),
    /** The schedule that started it (trigger "schedule"); null once the schedule is deleted. */
    scheduleId: uuid('schedule_id').references((): AnyPgColumn => schedules.id, { onDelete: 'set null' }),
  },
  (table) => [
    index('runs_schedule_started_idx').on(table.scheduleId, table.startedAt.desc()),
    index('runs_trigger_started_idx').on(table.trigger, table.startedAt.desc(), table.id.desc()),
    index('runs_metric_idx').on(table.mainMetricValue),
    index('runs_pipeline_started_idx').on(table.pipelineId, table.startedAt.desc(), table.id.desc()),
    index('runs_status_started_idx').on(table.status, table.startedAt.desc(), table.id.desc()),
    index('runs_started_idx').on(table.startedAt.desc(), table.id.desc()),
    check('runs_trigger_valid', oneOf('trigger', runTriggers)),
    check('runs_status_valid', oneOf('status', runStatuses)),
  ],
);

export const runSteps = pgTable(
  'run_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    nodeId: text('node_id').notNull(),
    nodeType: text('node_type').notNull(),
    status: text('status', { enum: stepStatuses }).notNull().default('queued'),
    attempt: integer('attempt').notNull().default(0),
    progress: real('progress').notNull().default(0),
    message: text('message'),
    /** Cache key: node type, resolved config and the hashes of its inputs. */
    contentHash: text('content_hash'),
    /** Set when the outputs were reused from an earlier run instead of executing the step. */
    reusedFromRunId: uuid('reused_from_run_id').references(() => runs.id, { onDelete: 'set null' }),
    outputSummary: jsonb('output_summary'),
    /** Artifact references per output port, what downstream steps and re-runs read. */
    outputs: jsonb('outputs'),
    startedAt: timestamp('started_at', { withTimezone: true, precision: 3 }),
    finishedAt: timestamp('finished_at', { withTimezone: true, precision: 3 }),
    error: text('error'),
  },
  (table) => [
    unique('run_steps_run_node_key').on(table.runId, table.nodeId),
    index('run_steps_hash_idx').on(table.contentHash),
    check('run_steps_status_valid', oneOf('status', stepStatuses)),
    check('run_steps_progress_range', sql`${table.progress} >= 0 and ${table.progress} <= 1`),
    check('run_steps_attempt_nonnegative', sql`${table.attempt} >= 0`),
  ],
);

/** Append-only log lines. (run, node, attempt, seq) is unique so a retried write never duplicates. */
export const runEvents = pgTable(
  'run_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    nodeId: text('node_id'),
    attempt: integer('attempt').notNull().default(0),
    seq: integer('seq').notNull(),
    level: text('level', { enum: eventLevels }).notNull().default('info'),
    message: text('message').notNull(),
    data: jsonb('data'),
    createdAt: createdAt(),
  },
  (table) => [
    unique('run_events_dedupe_key')
      .on(table.runId, table.nodeId, table.attempt, table.seq)
      .nullsNotDistinct(),
    check('run_events_level_valid', oneOf('level', eventLevels)),
  ],
);

export const artifacts = pgTable(
  'artifacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    stepId: uuid('step_id').references(() => runSteps.id, { onDelete: 'cascade' }),
    /** Output port of the step that wrote it. */
    port: text('port'),
    kind: text('kind', { enum: artifactKinds }).notNull(),
    uri: text('uri').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    schema: jsonb('schema'),
    profile: jsonb('profile'),
    /**
     * Files the step wrote beside this one that later steps read with it (data.transforms.json
     * beside data.parquet, model.arrays.bin beside model.json): [{ name, bytes, sha256 }], checked
     * with the file before it is reused (nodes/_kit/artifact-integrity.ts). Null on older rows.
     */
    companions: jsonb('companions'),
    /**
     * When the retention workflow deleted the file (and those beside it); the row stays so the run
     * keeps its record and the UI can say why the file is gone. Null: the file is kept.
     */
    deletedAt: timestamp('deleted_at', { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
  },
  (table) => [
    index('artifacts_run_idx').on(table.runId),
    /** The retention sweep walks files still kept, oldest first. */
    index('artifacts_kept_idx').on(table.createdAt, table.id).where(sql`${table.deletedAt} is null`),
    index('artifacts_step_idx').on(table.stepId),
    check('artifacts_kind_valid', oneOf('kind', artifactKinds)),
    check('artifacts_bytes_nonnegative', sql`${table.bytes} >= 0`),
    check('artifacts_sha256_hex', sql`${table.sha256} ~ '^[0-9a-f]{64}$'`),
  ],
);

/**
 * One row naming this database. The orphan sweep (workflows/orphan-sweep.ts) writes its id beside
 * the artifacts and sweeps only where the two agree, so a worker pointed at a fresh or another
 * database never deletes the files of this one's runs. The id is a random uuid, not the server's
 * system identifier: it tells apart two databases on one server, and survives a dump and restore.
 */
export const databaseIdentity = pgTable(
  'database_identity',
  {
    /** Always true: the primary key that allows one row. */
    single: boolean('single').primaryKey().default(true),
    id: uuid('id').notNull().defaultRandom(),
    createdAt: createdAt(),
  },
  (table) => [check('database_identity_one_row', sql`${table.single}`)],
);

export * from './accounts-schema';
export * from './monitoring-schema';
export * from './notifications-schema';
export * from './registry-schema';
export * from './retention-schema';
export * from './rollout-schema';
export * from './schedules-schema';

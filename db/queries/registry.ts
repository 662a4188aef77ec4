import type { Sql, Transaction } from '../client';
import type { ledgerKinds, ledgerMoveKinds, ModelAlias } from '../registry-schema';
import { jsonText } from './json-text';

/**
 * The model registry's queries. jsonb columns come back as `unknown`: callers parse them with the
 * schemas in registry/version-schema.ts (db/ depends on nothing else of Pipewright).
 */

/** The channel on which every alias change is announced (payload: the model's id). */
export const MODEL_CHANGES_CHANNEL = 'pipewright_models';
/** The channel on which API key and key-owner changes are announced (serving's key cache). */
export const API_KEY_CHANGES_CHANNEL = 'pipewright_api_keys';

export interface RegisteredModel {
  id: string;
  name: string;
  description: string;
  ownerId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A version's row without its files. */
export interface ModelVersionRow {
  id: string;
  modelId: string;
  version: number;
  runId: string | null;
  nodeId: string | null;
  pipelineVersionId: string | null;
  task: 'classification' | 'regression';
  algorithm: string;
  signature: unknown;
  labels: unknown;
  metrics: unknown;
  gates: unknown;
  parameters: unknown;
  datasetSha256: string | null;
  datasetProfile: unknown;
  transforms: unknown;
  reference: unknown;
  referenceRows: number;
  onnxSha256: string;
  onnxBytes: number;
  createdBy: string | null;
  createdAt: Date;
  /** registered by a run's deploy step, or imported from a file (importedBy, importedFile). */
  origin: 'run' | 'import';
  importedBy: string | null;
  importedFile: string | null;
}

/** A run's step leaves these out (origin run); an import gives them. */
type ImportFields = 'origin' | 'importedBy' | 'importedFile';

/** What a new version is written with: its row's fields less those the database fills in, and its files. */
export type NewModelVersion = Omit<
  ModelVersionRow,
  'id' | 'modelId' | 'version' | 'onnxSha256' | 'onnxBytes' | 'createdAt' | ImportFields
> &
  Partial<Pick<ModelVersionRow, ImportFields>> & {
    /** model.onnx and reference.json, with their SHA-256 (hex). */
    files: { name: string; content: Buffer; sha256: string }[];
  };

export interface LedgerEntryInput {
  actorKind: 'user' | 'key' | 'cli' | 'run' | 'system';
  actorId: string | null;
  actorEmail: string | null;
  runId?: string | null;
  reason: string;
}

/** A promotion points an alias at a chosen version; a rollback returns it to the one before. */
export type LedgerMoveKind = (typeof ledgerMoveKinds)[number];
/** A move, or a rejected promotion request. */
export type LedgerKind = (typeof ledgerKinds)[number];

export interface LedgerEntry {
  id: number;
  at: Date;
  alias: ModelAlias;
  kind: LedgerKind;
  fromVersion: number | null;
  toVersion: number | null;
  actorKind: LedgerEntryInput['actorKind'];
  actorId: string | null;
  actorEmail: string | null;
  runId: string | null;
  reason: string;
  /** A decided promotion request: who asked, and why (the actor approved or rejected it). */
  requestedByKind: LedgerEntryInput['actorKind'] | null;
  requestedById: string | null;
  requestedByEmail: string | null;
  requestReason: string | null;
}

const modelColumns = (sql: Sql | Transaction) =>
  sql`id, name, description, owner_id as "ownerId", created_at as "createdAt", updated_at as "updatedAt"`;

const versionColumns = (sql: Sql | Transaction) => sql`
  v.id, v.model_id as "modelId", v.version, v.run_id as "runId", v.node_id as "nodeId",
  v.pipeline_version_id as "pipelineVersionId", v.task, v.algorithm, v.signature, v.labels, v.metrics,
  v.gates, v.parameters, v.dataset_sha256 as "datasetSha256", v.dataset_profile as "datasetProfile",
  v.transforms, v.reference, v.reference_rows as "referenceRows", v.onnx_sha256 as "onnxSha256",
  v.onnx_bytes as "onnxBytes", v.created_by as "createdBy", v.created_at as "createdAt", v.origin,
  v.imported_by as "importedBy", v.imported_file as "importedFile"`;

/** The model of this name, ignoring case. */
export async function findModelByName(
  sql: Sql | Transaction,
  name: string,
): Promise<RegisteredModel | undefined> {
  const [row] = await sql<RegisteredModel[]>`
    select ${modelColumns(sql)} from registered_models where lower(name) = lower(${name})`;
  return row;
}

/**
 * The model of this name, created (owned by `ownerId`) when there is none. Two deploy steps
 * registering the same new name at once both end with the one row.
 */
export async function ensureModel(
  sql: Sql | Transaction,
  input: { name: string; description?: string; ownerId: string | null },
): Promise<RegisteredModel> {
  const [created] = await sql<RegisteredModel[]>`
    insert into registered_models (name, description, owner_id)
    values (${input.name}, ${input.description ?? ''}, ${input.ownerId})
    on conflict ((lower(name))) do nothing
    returning ${modelColumns(sql)}`;
  if (created) return created;
  const existing = await findModelByName(sql, input.name);
  if (!existing) throw new Error(`The model ${input.name} was neither created nor found`);
  return existing;
}

/**
 * Writes the next version of a model (numbered max + 1 under a lock on the model's row) with its
 * files, in one transaction: a version is never visible without its ONNX file.
 *
 * A run's step registers one version of a model: when the step (runId, nodeId) already has one, it
 * is returned instead (created: false), so a retried deploy step finds its first attempt's version.
 * The check runs under the model's lock, so two attempts racing each other cannot both write (and
 * the unique index model_versions_run_step_key would refuse the second if they could).
 */
export async function insertModelVersion(
  sql: Sql,
  modelId: string,
  input: NewModelVersion,
): Promise<{ id: string; version: number; created: boolean }> {
  const onnx = input.files.find((file) => file.name === 'model.onnx');
  if (!onnx) throw new Error('A model version needs its model.onnx file');
  return sql.begin(async (tx) => {
    await tx`select id from registered_models where id = ${modelId} for update`;
    if (input.runId !== null) {
      const [earlier] = await tx<{ id: string; version: number }[]>`
        select id, version from model_versions
        where model_id = ${modelId} and run_id = ${input.runId} and node_id is not distinct from ${input.nodeId}`;
      if (earlier) return { ...earlier, created: false };
    }
    const [next] = await tx<{ version: number }[]>`
      select coalesce(max(version), 0)::int + 1 as version from model_versions where model_id = ${modelId}`;
    const version = next?.version ?? 1;
    const [row] = await tx<{ id: string }[]>`
      insert into model_versions (
        model_id, version, run_id, node_id, pipeline_version_id, task, algorithm, signature, labels,
        metrics, gates, parameters, dataset_sha256, dataset_profile, transforms, reference,
        reference_rows, onnx_sha256, onnx_bytes, created_by, origin, imported_by, imported_file)
      values (
        ${modelId}, ${version}, ${input.runId}, ${input.nodeId}, ${input.pipelineVersionId}, ${input.task},
        ${input.algorithm}, ${jsonText(input.signature)}::jsonb, ${jsonText(input.labels)}::jsonb,
        ${jsonText(input.metrics)}::jsonb, ${jsonText(input.gates)}::jsonb, ${jsonText(input.parameters)}::jsonb,
        ${input.datasetSha256}, ${input.datasetProfile === undefined || input.datasetProfile === null ? null : jsonText(input.datasetProfile)}::jsonb,
        ${jsonText(input.transforms)}::jsonb, ${jsonText(input.reference)}::jsonb, ${input.referenceRows},
        ${onnx.sha256}, ${onnx.content.byteLength}, ${input.createdBy}, ${input.origin ?? 'run'},
        ${input.importedBy ?? null}, ${input.importedFile ?? null})
      returning id`;
    if (!row) throw new Error('The model version was not written');
    for (const file of input.files) {
      await tx`
        insert into model_files (version_id, name, content, sha256)
        values (${row.id}, ${file.name}, ${file.content}, ${file.sha256})`;
    }
    await tx`update registered_models set updated_at = now() where id = ${modelId}`;
    return { id: row.id, version, created: true };
  });
}

/** One version of a model by number. */
export async function findModelVersion(
  sql: Sql,
  modelId: string,
  version: number,
): Promise<ModelVersionRow | undefined> {
  const [row] = await sql<ModelVersionRow[]>`
    select ${versionColumns(sql)} from model_versions v where v.model_id = ${modelId} and v.version = ${version}`;
  return row;
}

/** The version an alias points to, if any. */
export async function findAliasedVersion(
  sql: Sql,
  modelId: string,
  alias: ModelAlias,
): Promise<ModelVersionRow | undefined> {
  const [row] = await sql<ModelVersionRow[]>`
    select ${versionColumns(sql)} from model_aliases a join model_versions v on v.id = a.version_id
    where a.model_id = ${modelId} and a.alias = ${alias}`;
  return row;
}

/** The graph of the pipeline version that made a model version (its evaluate step's slices are there). */
export async function findPipelineGraph(sql: Sql, pipelineVersionId: string): Promise<unknown> {
  const [row] = await sql<{ graph: unknown }[]>`
    select graph from pipeline_versions where id = ${pipelineVersionId}`;
  return row?.graph;
}

/** A version's file (model.onnx, reference.json). */
export async function readModelFile(
  sql: Sql,
  versionId: string,
  name: string,
): Promise<{ content: Buffer; sha256: string } | undefined> {
  const [row] = await sql<{ content: Buffer; sha256: string }[]>`
    select content, sha256 from model_files where version_id = ${versionId} and name = ${name}`;
  return row;
}

/** alias → version number for one model. */
export async function modelAliasVersions(
  sql: Sql,
  modelId: string,
): Promise<Partial<Record<ModelAlias, number>>> {
  const rows = await sql<{ alias: ModelAlias; version: number }[]>`
    select a.alias, v.version from model_aliases a join model_versions v on v.id = a.version_id
    where a.model_id = ${modelId}`;
  return Object.fromEntries(rows.map((row) => [row.alias, row.version]));
}

/**
 * An alias change decided on what the caller saw, refused because the alias moved since (another
 * promotion or rollback committed in between). Nothing was written.
 */
export class AliasMovedError extends Error {
  override name = 'AliasMovedError';
  constructor(
    readonly alias: ModelAlias,
    /** The version the alias holds now (null: unset). */
    readonly current: number | null,
  ) {
    super(`The ${alias} alias moved to ${current === null ? 'no version' : `version ${current}`}`);
  }
}

/** Who asked for a promotion that waited for approval, for the ledger entry of its decision. */
export interface LedgerRequester {
  kind: LedgerEntryInput['actorKind'];
  id: string | null;
  email: string | null;
  reason: string;
}

/** What setModelAlias did: moved the alias, left it (already there), or queued a promotion request. */
export interface AliasChange {
  from: number | null;
  to: number | null;
  changed: boolean;
  /**
   * The model requires approval for production: nothing moved, and this pending request (created
   * now, or the one already waiting for this version) holds the promotion.
   */
  pending?: { id: string; created: boolean };
}

/**
 * Points an alias at a version (or clears it with null) and appends the ledger entry, in one
 * transaction under a lock on the model's row, so two promotions never interleave. Returns the
 * version numbers before and after; an unchanged alias writes nothing and returns changed: false.
 *
 * A promotion to production of a model whose rollout settings require approval does not move the
 * alias: it becomes a pending promotion request (returned as `pending`), decided by an operator
 * (db/queries/promotion-requests.ts). Every path that sets production (the app, the CLI, a deploy
 * step, a retraining run) comes through here, so none can skip the approval. Rollbacks do not wait:
 * they return production to a version that held it before, and are what an incident needs at once.
 *
 * `expected` is the version the caller saw the alias at (null: unset) when it decided on the move,
 * as a rollback does: if the alias holds another one under the lock, AliasMovedError, nothing written.
 * `expectedEntry` is the id of the alias's newest ledger entry the caller decided on (null: none):
 * refused the same way if another entry came after it, even one that left the alias where it was.
 * `kind` is what the ledger records the move as (default: a promotion).
 */
export async function setModelAlias(
  sql: Sql,
  input: {
    modelId: string;
    alias: ModelAlias;
    version: number | null;
    by: LedgerEntryInput;
    kind?: LedgerMoveKind;
    expected?: number | null;
    expectedEntry?: number | null;
  },
): Promise<AliasChange> {
  return sql.begin(async (tx) => {
    await tx`select id from registered_models where id = ${input.modelId} for update`;
    const from = await aliasVersionNow(tx, input.modelId, input.alias);
    if (input.expected !== undefined && input.expected !== from) throw new AliasMovedError(input.alias, from);
    if (input.expectedEntry !== undefined) {
      const newest = await newestMoveEntry(tx, input.modelId, input.alias);
      if (newest !== input.expectedEntry) throw new AliasMovedError(input.alias, from);
    }
    if (from === input.version) return { from, to: from, changed: false };
    if (input.alias === 'production' && input.version !== null && (input.kind ?? 'promote') === 'promote') {
      const [rollout] = await tx<{ requiresApproval: boolean }[]>`
        select requires_approval as "requiresApproval" from model_rollout where model_id = ${input.modelId}`;
      if (rollout?.requiresApproval) {
        const pending = await requestPromotion(tx, input.modelId, input.version, from, input.by);
        return { from, to: from, changed: false, pending };
      }
    }
    await moveAliasLocked(tx, { ...input, from, kind: input.kind ?? 'promote' });
    return { from, to: input.version, changed: true };
  });
}

/** The version an alias holds now (null: unset); call under the model's row lock. */
export async function aliasVersionNow(
  tx: Sql | Transaction,
  modelId: string,
  alias: ModelAlias,
): Promise<number | null> {
  const [current] = await tx<{ version: number }[]>`
    select v.version from model_aliases a join model_versions v on v.id = a.version_id
    where a.model_id = ${modelId} and a.alias = ${alias}`;
  return current?.version ?? null;
}

/** The id of the alias's newest move (promotion or rollback) in the ledger; null: none. */
async function newestMoveEntry(tx: Transaction, modelId: string, alias: ModelAlias): Promise<number | null> {
  const [newest] = await tx<{ id: number | null }[]>`
    select max(id)::int as id from promotion_ledger
    where model_id = ${modelId} and alias = ${alias} and kind in ('promote', 'rollback')`;
  return newest?.id ?? null;
}

/** The pending request for this version, created unless one is waiting already. */
async function requestPromotion(
  tx: Transaction,
  modelId: string,
  version: number,
  from: number | null,
  by: LedgerEntryInput,
): Promise<{ id: string; created: boolean }> {
  const [waiting] = await tx<{ id: string }[]>`
    select id from promotion_requests where model_id = ${modelId} and version = ${version} and status = 'pending'`;
  if (waiting) return { id: waiting.id, created: false };
  const [created] = await tx<{ id: string }[]>`
    insert into promotion_requests (model_id, version, from_version, requested_by_kind, requested_by_id,
      requested_by_email, run_id, reason)
    values (${modelId}, ${version}, ${from}, ${by.actorKind}, ${by.actorId}, ${by.actorEmail},
      ${by.runId ?? null}, ${by.reason})
    returning id`;
  if (!created) throw new Error('The promotion request was not written');
  return { id: created.id, created: true };
}

/**
 * Moves the alias and appends its ledger entry; the caller holds the model's row lock and has read
 * `from`. `requestedBy`: the promotion was asked for by someone else and approved by `by`.
 */
export async function moveAliasLocked(
  tx: Transaction,
  input: {
    modelId: string;
    alias: ModelAlias;
    version: number | null;
    from: number | null;
    by: LedgerEntryInput;
    kind: LedgerMoveKind;
    requestedBy?: LedgerRequester;
  },
): Promise<void> {
  if (input.version === null) {
    await tx`delete from model_aliases where model_id = ${input.modelId} and alias = ${input.alias}`;
  } else {
    const [target] = await tx<{ id: string }[]>`
      select id from model_versions where model_id = ${input.modelId} and version = ${input.version}`;
    if (!target) throw new Error(`Version ${input.version} does not exist`);
    await tx`
      insert into model_aliases (model_id, alias, version_id) values (${input.modelId}, ${input.alias}, ${target.id})
      on conflict (model_id, alias) do update set version_id = excluded.version_id, updated_at = now()`;
  }
  await appendLedger(tx, { ...input, kind: input.kind });
  await tx`update registered_models set updated_at = now() where id = ${input.modelId}`;
}

/** Appends one ledger entry (the ledger is append-only). */
export async function appendLedger(
  tx: Transaction,
  input: {
    modelId: string;
    alias: ModelAlias;
    kind: LedgerKind;
    from: number | null;
    version: number | null;
    by: LedgerEntryInput;
    requestedBy?: LedgerRequester;
  },
): Promise<void> {
  const requested = input.requestedBy;
  await tx`
    insert into promotion_ledger (model_id, alias, kind, from_version, to_version, actor_kind, actor_id,
      actor_email, run_id, reason, requested_by_kind, requested_by_id, requested_by_email, request_reason)
    values (${input.modelId}, ${input.alias}, ${input.kind}, ${input.from}, ${input.version}, ${input.by.actorKind},
      ${input.by.actorId}, ${input.by.actorEmail}, ${input.by.runId ?? null}, ${input.by.reason},
      ${requested?.kind ?? null}, ${requested?.id ?? null}, ${requested?.email ?? null}, ${requested?.reason ?? null})`;
}

/** A model's ledger, newest first: by id, which moves take under the model's row lock, so in the order they happened. */
export async function listLedger(sql: Sql, modelId: string, limit = 200): Promise<LedgerEntry[]> {
  return sql<LedgerEntry[]>`
    select id::int, at, alias, kind, from_version as "fromVersion", to_version as "toVersion",
      actor_kind as "actorKind", actor_id as "actorId", actor_email as "actorEmail", run_id as "runId", reason,
      requested_by_kind as "requestedByKind", requested_by_id as "requestedById",
      requested_by_email as "requestedByEmail",
      request_reason as "requestReason"
    from promotion_ledger where model_id = ${modelId} order by id desc limit ${limit}`;
}

/**
 * Where a rollback of an alias goes: the version the alias held before the latest promotion still
 * in effect. Read the alias's ledger as a stack: a promotion pushes the version it replaced, a
 * rollback pops the newest promotion still in effect (undoes it). So after v1→v2→v3, one rollback
 * goes to v2, a second to v1, never back to v3; a promotion after a rollback (v2→v4) is undone to v2.
 *
 * Walking back from the newest entry, the promotion still in effect is the first promotion with as
 * many rollbacks as promotions newer than it (each later rollback undid one later promotion). Entries
 * are ordered by id: ids are taken under the model's row lock, so they follow the order of the
 * moves (`at`, the transaction's start time, need not).
 *
 * Returns that version (null: the alias had none then, so there is nothing to roll back to) and the
 * id of the alias's newest entry, the state the answer was read from (setModelAlias expectedEntry).
 * Undefined when the alias has never been promoted.
 */
export async function findRollbackTarget(
  sql: Sql,
  modelId: string,
  alias: ModelAlias,
): Promise<{ version: number | null; newestEntry: number } | undefined> {
  const [row] = await sql<{ version: number | null; newestEntry: number }[]>`
    with entries as (
      -- pending_rollbacks: the rollbacks newer than the entry not matched by a promotion newer than it.
      select id, kind, from_version,
        coalesce(sum(case kind when 'rollback' then 1 else -1 end) over (
          order by id desc rows between unbounded preceding and 1 preceding), 0) as pending_rollbacks,
        max(id) over () as newest
      from promotion_ledger where model_id = ${modelId} and alias = ${alias} and kind in ('promote', 'rollback'))
    select from_version as version, newest::int as "newestEntry" from entries
    where kind = 'promote' and pending_rollbacks = 0
    order by id desc limit 1`;
  return row;
}

/**
 * The model a pipeline most recently registered a version of (by any of its runs), if any: what
 * "the model in production" means to an evaluate step, which does not know the deploy step's name.
 */
export async function findLatestModelOfPipeline(
  sql: Sql,
  pipelineId: string,
): Promise<RegisteredModel | undefined> {
  const [row] = await sql<RegisteredModel[]>`
    select m.id, m.name, m.description, m.owner_id as "ownerId", m.created_at as "createdAt",
      m.updated_at as "updatedAt"
    from model_versions v
    join runs r on r.id = v.run_id
    join registered_models m on m.id = v.model_id
    where r.pipeline_id = ${pipelineId}
    order by v.created_at desc, v.version desc
    limit 1`;
  return row;
}

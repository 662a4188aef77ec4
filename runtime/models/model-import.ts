import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Client, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, TimeoutFailure } from '@temporalio/common';
import { type Role, roleMay } from '../../access/roles';
import type { Database, Sql } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import {
  ensureModel,
  insertModelVersion,
  modelAliasVersions,
  setModelAlias,
} from '../../db/queries/registry';
import { describeOnnx, type GraphDescription } from '../../ml/onnx-import/describe';
import { ModelImportError } from '../../ml/onnx-import/import-error';
import { planImport } from '../../ml/onnx-import/plan';
import { rewriteForServing } from '../../ml/onnx-import/rewrite';
import {
  MODEL_FILE,
  type ModelAlias,
  type ModelSignature,
  modelNameSchema,
  REFERENCE_FILE,
} from '../../registry/version-schema';
import {
  type ImportSample,
  importFolder,
  REWRITTEN_FILE,
  SAMPLE_FILE,
  UPLOAD_FACTS_FILE,
  UPLOAD_FILE,
  uploadFactsSchema,
} from '../../workflows/model-import/import-files';
import type { ImportCheckResult } from '../../workflows/model-import/model-import.types';
import type { PromotionActor } from './promotion';
import { parseCsv, sampleRows } from './sample-csv';
import { sampleReference } from './sample-reference';
import { pruneStaleImports } from './stale-imports';

/**
 * Importing a model trained elsewhere, shared by the app's import routes and `pipewright models
 * import`: the upload is kept under DATA_DIR/model-imports and described; the import maps columns
 * and labels, rewrites the graph into the house's form (ml/onnx-import), has the worker run it in
 * onnxruntime on the sample (the model-import workflow: never in the app), then registers the next
 * version with lineage "imported" and, as asked or by the operator rule, an alias. Who may import
 * (the promote permission) is the caller's check.
 */

/** The largest ONNX file accepted. */
export const MAX_IMPORT_BYTES = 100 * 1024 ** 2;

/** Who imports: words for the lineage, the role for the production rule, the ledger's and audit's fields. */
export interface ImportActor extends PromotionActor {
  userId: string | null;
  /** An email, or "the local CLI (alice)": kept on the version, so it outlives the account. */
  name: string;
  role: Role;
}

export interface ImportDeps {
  sql: Sql;
  db: Database;
  temporal: () => Promise<Client>;
  taskQueue: string;
  dataDir: string;
}

export interface ImportRequest {
  importId: string;
  name: string;
  columns?: string[];
  labels?: string[];
  /** The sample CSV's text. */
  sample?: string;
  /** An alias to set; `none` sets none even when the operator rule would set production. */
  setAlias?: ModelAlias | 'none';
}

export interface ImportOutcome {
  model: string;
  version: number;
  task: 'classification' | 'regression';
  columns: ModelSignature['inputs'];
  labels: (string | number)[];
  alias: ModelAlias | null;
  aliasReason: string | null;
  /**
   * The model requires approval for production (its Rollout tab): the import filed a promotion
   * request instead of moving production, and another operator decides it.
   */
  awaitingApproval: boolean;
  /** Sample rows the worker checked the model on (0: no sample, one row of zeros was run). */
  sampleRows: number;
  /** Whether the version has reference deciles (a sample was given), so drift can be monitored. */
  monitored: boolean;
}

/**
 * Keeps an uploaded file for an import and describes its graph. A file that is not ONNX, or larger
 * than the limit, is refused and not kept.
 */
export async function receiveUpload(
  dataDir: string,
  upload: { fileName: string; bytes: Uint8Array; userId: string | null },
): Promise<{ importId: string; fileName: string; bytes: number; graph: GraphDescription }> {
  if (upload.bytes.byteLength > MAX_IMPORT_BYTES)
    throw new ModelImportError(`The file is larger than the ${MAX_IMPORT_BYTES / 1024 ** 2} MB limit`);
  if (upload.bytes.byteLength === 0) throw new ModelImportError('The file is empty');
  const graph = describeOnnx(upload.bytes);
  await pruneStaleImports(dataDir);
  const importId = randomUUID();
  const folder = importFolder(dataDir, importId);
  const fileName = path.basename(upload.fileName).slice(0, 200) || 'model.onnx';
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, UPLOAD_FILE), upload.bytes);
  await writeFile(
    path.join(folder, UPLOAD_FACTS_FILE),
    JSON.stringify({
      fileName,
      bytes: upload.bytes.byteLength,
      userId: upload.userId,
      at: new Date().toISOString(),
    }),
  );
  return { importId, fileName, bytes: upload.bytes.byteLength, graph };
}

/** Checks, registers and (as asked or by the operator rule) promotes an uploaded model. */
export async function importModel(
  deps: ImportDeps,
  request: ImportRequest,
  by: ImportActor,
): Promise<ImportOutcome> {
  const name = modelNameSchema.safeParse(request.name);
  if (!name.success)
    throw new ModelImportError(name.error.issues[0]?.message ?? 'The model name is not valid');
  const folder = importFolder(deps.dataDir, request.importId);
  const upload = await readUpload(folder, by);
  const graph = describeOnnx(upload.bytes);
  const csv = request.sample === undefined ? undefined : parseCsv(request.sample);
  const plan = planImport(graph, {
    columns: request.columns,
    labels: request.labels,
    sampleHeader: csv?.header,
  });
  const rewritten = rewriteForServing(upload.bytes, graph, plan);
  const sample: ImportSample = csv
    ? sampleRows(csv, rewritten.columns)
    : { columns: rewritten.columns, rows: [] };
  await writeFile(path.join(folder, REWRITTEN_FILE), rewritten.onnx);
  await writeFile(path.join(folder, SAMPLE_FILE), JSON.stringify(sample));
  const labels = plan.labels ? [...plan.labels] : [];
  const checked = await checkOnWorker(deps, {
    importId: request.importId,
    task: graph.task,
    labelCount: labels.length,
  });
  const signature = signatureOf(sample, graph.task, labels);
  const registered = await register(
    deps,
    { name: name.data, graph, signature, labels, sample, onnx: rewritten.onnx, fileName: upload.fileName },
    by,
  );
  const alias = await chooseAlias(deps, registered, request.setAlias, by, upload.fileName);
  await recordAudit(deps.db, {
    ...by.audit,
    action: 'model.imported',
    objectType: 'model',
    objectId: registered.modelId,
    objectLabel: registered.modelName,
    details: { ...by.audit.details, version: registered.version, file: upload.fileName, alias: alias.alias },
  });
  await rm(folder, { recursive: true, force: true });
  return {
    model: registered.modelName,
    version: registered.version,
    task: graph.task,
    columns: signature.inputs,
    labels,
    alias: alias.alias,
    aliasReason: alias.reason,
    awaitingApproval: alias.awaitingApproval,
    sampleRows: checked.sample ? checked.rows : 0,
    monitored: sample.rows.length > 0,
  };
}

/**
 * The version's signature: the rewritten graph's columns in order. A missing number reaches the
 * graph as NaN: a column is nullable only when the sample had missing values (and the worker found
 * the model answers them).
 */
function signatureOf(
  sample: ImportSample,
  task: GraphDescription['task'],
  labels: (string | number)[],
): ModelSignature {
  return {
    inputs: sample.columns.map((column, index) => ({
      name: column.name,
      type: column.type,
      unknownCategories: 'accept',
      nullable: sample.rows.some((row) => row[index] === null),
    })),
    output: task === 'classification' ? { task: 'classification', labels } : { task: 'regression' },
  };
}

async function readUpload(folder: string, by: ImportActor): Promise<{ bytes: Uint8Array; fileName: string }> {
  const gone = new ModelImportError(
    'There is no such upload (it was imported already, or never sent): upload the file again',
  );
  const factsText = await readFile(path.join(folder, UPLOAD_FACTS_FILE), 'utf8').catch(() => undefined);
  const facts = factsText === undefined ? undefined : uploadFactsSchema.safeParse(JSON.parse(factsText));
  // Someone else's upload is answered as no upload at all: its id tells nothing.
  if (!facts?.success || (facts.data.userId !== null && facts.data.userId !== by.userId)) throw gone;
  const bytes = await readFile(path.join(folder, UPLOAD_FILE)).catch(() => undefined);
  if (!bytes) throw gone;
  return { bytes: new Uint8Array(bytes), fileName: facts.data.fileName };
}

/** Runs the model-import workflow and awaits it; the worker's refusal comes back as a ModelImportError. */
async function checkOnWorker(
  deps: ImportDeps,
  input: { importId: string; task: 'classification' | 'regression'; labelCount: number },
): Promise<ImportCheckResult> {
  const client = await deps.temporal();
  try {
    return await client.workflow.execute('modelImportWorkflow', {
      workflowId: `model-import-${input.importId}-${randomUUID().slice(0, 8)}`,
      taskQueue: deps.taskQueue,
      args: [input],
      // Long enough for a 100 MB graph and 10,000 rows; short enough that no worker is noticed.
      workflowExecutionTimeout: '5 minutes',
    });
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal) throw new ModelImportError(refusal);
    if (error instanceof WorkflowFailedError && error.cause instanceof TimeoutFailure)
      throw new ModelImportError(
        'No worker checked the model within 5 minutes: is a worker running (npm start or npm run worker)? Import again when it is',
      );
    throw error;
  }
}

/** The worker's sentence, from the ApplicationFailure at the bottom of the workflow's failure. */
function refusalOf(error: unknown): string | undefined {
  if (!(error instanceof WorkflowFailedError)) return undefined;
  let cause: unknown = error.cause;
  while (cause instanceof Error) {
    if (cause instanceof ApplicationFailure && cause.type === 'ModelImportRefused') return cause.message;
    cause = cause.cause;
  }
  return undefined;
}

async function register(
  deps: ImportDeps,
  input: {
    name: string;
    graph: GraphDescription;
    signature: ModelSignature;
    labels: (string | number)[];
    sample: ImportSample;
    onnx: Uint8Array;
    fileName: string;
  },
  by: ImportActor,
): Promise<{ modelId: string; modelName: string; version: number }> {
  const model = await ensureModel(deps.sql, { name: input.name, ownerId: by.userId });
  const onnx = Buffer.from(input.onnx);
  const referenceSample = {
    columns: input.sample.columns.map((column) => column.name),
    rows: input.sample.rows,
  };
  const reference = Buffer.from(JSON.stringify(referenceSample));
  const written = await insertModelVersion(deps.sql, model.id, {
    runId: null,
    nodeId: null,
    pipelineVersionId: null,
    task: input.graph.task,
    algorithm: `imported ${algorithmOf(input.graph)}`,
    signature: input.signature,
    labels: input.labels,
    metrics: {},
    gates: [],
    parameters: {},
    datasetSha256: null,
    datasetProfile: null,
    transforms: { version: 1, steps: [] },
    reference: input.sample.rows.length > 0 ? sampleReference(input.sample) : {},
    referenceRows: input.sample.rows.length,
    createdBy: by.userId,
    origin: 'import',
    importedBy: by.name,
    importedFile: input.fileName,
    files: [
      { name: MODEL_FILE, content: onnx, sha256: sha256(onnx) },
      { name: REFERENCE_FILE, content: reference, sha256: sha256(reference) },
    ],
  });
  return { modelId: model.id, modelName: model.name, version: written.version };
}

/** The graph's main operator ("LinearClassifier"), or its producer, for the versions table. */
function algorithmOf(graph: GraphDescription): string {
  const skip = new Set(['ZipMap', 'Identity', 'Cast', 'Normalizer', 'Concat', 'Reshape']);
  const main = graph.operators.find((op) => op.domain === 'ai.onnx.ml' && !skip.has(op.opType));
  return main?.opType ?? (graph.producer || 'ONNX');
}

/**
 * The alias the import sets: the one asked for; none when asked for none; otherwise production when
 * the model has none yet and the importer may promote (an operator or admin).
 */
async function chooseAlias(
  deps: ImportDeps,
  registered: { modelId: string; modelName: string; version: number },
  asked: ImportRequest['setAlias'],
  by: ImportActor,
  fileName: string,
): Promise<{ alias: ModelAlias | null; reason: string | null; awaitingApproval: boolean }> {
  const none = { alias: null, reason: null, awaitingApproval: false };
  if (asked === 'none') return none;
  let alias: ModelAlias;
  let reason: string;
  if (asked) {
    alias = asked;
    reason = `Imported from ${fileName} by ${by.name}, who asked for ${asked}`;
  } else {
    const current = await modelAliasVersions(deps.sql, registered.modelId);
    if (current.production !== undefined || !roleMay(by.role, 'promote')) return none;
    alias = 'production';
    reason = `Imported from ${fileName} by ${by.name} (${by.role}); ${registered.modelName} had no production version`;
  }
  const moved = await setModelAlias(deps.sql, {
    modelId: registered.modelId,
    alias,
    version: registered.version,
    by: { ...by.ledger, reason },
  });
  if (moved.changed)
    await recordAudit(deps.db, {
      ...by.audit,
      action: 'model.promoted',
      objectType: 'model',
      objectId: registered.modelId,
      objectLabel: registered.modelName,
      details: { ...by.audit.details, alias, from: moved.from, to: moved.to, reason },
    });
  if (moved.pending) return { alias: null, reason, awaitingApproval: true };
  return { alias, reason, awaitingApproval: false };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

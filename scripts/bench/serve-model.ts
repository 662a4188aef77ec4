import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import type { DatabaseHandle } from '../../db/client';
import { ensureModel, insertModelVersion } from '../../db/queries/registry';
import { readModelArtifact } from '../../nodes/_model/model-artifact';
import { nodeRuns } from '../../nodes/runs';
import { closeTrainingPool } from '../../nodes/train/fit-pool';
import type { ModelSignature } from '../../registry/version-schema';
import { createKey } from '../../runtime/auth/api-keys';
import { createAuth } from '../../runtime/auth/auth';
import { promoteVersion } from '../../runtime/models/promotion';
import { NodeHarness } from '../../tests/support/node-harness';

/** The model the serving benchmark sends its requests to, and the key it sends them with. */
export interface BenchModel {
  name: string;
  version: number;
  /** A predict key of a viewer account, as a client would hold. */
  key: string;
  /** The input columns in the graph's order (the dataset's columns but the target). */
  columns: string[];
  algorithm: string;
  fitSeconds: number;
}

/** Who the benchmark's setup acts as in the ledger and the audit log. */
const benchActor = { actorKind: 'system', actorId: null, actorEmail: null, ipAddress: null } as const;

/**
 * Trains gradient boosting (our HistGradientBoosting) on `csv` with the real ingest and train node
 * functions, as a pipeline run would, registers the ONNX graph as version 1 of `name`, promotes it
 * to production and makes a predict key for it.
 */
export async function trainAndRegister(
  database: DatabaseHandle,
  csv: string,
  name: string,
): Promise<BenchModel> {
  const harness = new NodeHarness();
  try {
    // The ingest node reads only files inside DATA_DIR.
    const uploads = path.join(harness.dataDir, 'uploads');
    mkdirSync(uploads, { recursive: true });
    copyFileSync(csv, path.join(uploads, 'data.csv'));
    const ingested = await harness.run(nodeRuns.ingest, { source: 'file', file: 'uploads/data.csv' });
    const data = ingested.outputs.data;
    if (!data) throw new Error('ingest gave no data');
    const trained = await harness.run(
      nodeRuns.train,
      { target: 'target', task: 'classification', algorithm: 'gradient_boosting' },
      { data },
    );
    const modelRef = trained.outputs.model;
    const onnxFile = trained.artifacts.find((artifact) => artifact.port === 'onnx')?.path;
    if (!modelRef || !onnxFile) throw new Error('the train step wrote no model or no ONNX graph');
    const model = await readModelArtifact(fileURLToPath(modelRef.uri));
    const onnx = await readFile(onnxFile);
    const session = await ort.InferenceSession.create(onnx);
    const columns = [...session.inputNames];
    await session.release();
    const labels = model.classes.map(String);
    const signature: ModelSignature = {
      inputs: columns.map((column) => ({
        name: column,
        type: 'number',
        unknownCategories: 'accept',
        nullable: true,
      })),
      output: { task: 'classification', labels },
    };
    const registered = await ensureModel(database.sql, {
      name,
      description: 'serving benchmark',
      ownerId: null,
    });
    const version = await insertModelVersion(database.sql, registered.id, {
      runId: null,
      nodeId: null,
      pipelineVersionId: null,
      task: 'classification',
      algorithm: model.algorithm,
      signature,
      labels,
      metrics: model.training.metrics,
      gates: [],
      parameters: {},
      datasetSha256: null,
      datasetProfile: null,
      transforms: model.transforms,
      reference: {},
      referenceRows: 0,
      createdBy: null,
      files: [{ name: 'model.onnx', content: onnx, sha256: createHash('sha256').update(onnx).digest('hex') }],
    });
    await promoteVersion(
      database,
      { model: name, version: version.version, alias: 'production', reason: 'serving benchmark' },
      { ledger: benchActor, audit: benchActor },
    );
    return {
      name,
      version: version.version,
      key: await predictKey(database),
      columns,
      algorithm: model.algorithm,
      fitSeconds: model.training.seconds,
    };
  } finally {
    harness.cleanup();
    // The training threads would keep the process alive for their idle timeout.
    await closeTrainingPool();
  }
}

/** A viewer account and a predict key for it, made through better-auth as the keys page makes them. */
async function predictKey(database: DatabaseHandle): Promise<string> {
  const auth = createAuth({
    db: database.db,
    secret: randomBytes(32),
    publicOrigin: new URL('http://localhost:3000'),
  });
  const email = 'bench@localhost.test';
  const created = await auth.api.createUser({
    body: { email, password: 'a benchmark password', name: 'Benchmark', role: 'viewer' },
  });
  const key = await createKey(
    auth,
    database.db,
    { id: created.user.id, email, role: 'viewer' },
    { name: 'serving benchmark', scope: 'predict' },
    benchActor,
  );
  return key.key;
}

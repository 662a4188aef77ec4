/**
 * Embedded use, end to end: a signed-in user downloads a registered version through the app's real
 * route, the archive holds the version's model.onnx and its README, and the README's Node snippet,
 * saved beside the ONNX file and run with node against onnxruntime-node, prints the answer the real
 * serving process gives for the same row (the label and every probability). The route's refusals
 * are sentences with their status, never a stack.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { GuardedRoute } from '../app/_server/auth/route-guard';
import type { ArtifactRef } from '../nodes/_kit/artifact-ref';
import { nodeRuns } from '../nodes/runs';
import { closeTrainingPool } from '../nodes/train/fit-pool';
import type { ModelSignature, SignatureColumn } from '../registry/version-schema';
import { accountsAuth, createKey, type SignedIn, signedInAs } from './support/accounts';
import { createTestDatabase, type TestDatabase } from './support/database';
import { NodeHarness } from './support/node-harness';
import { registerTestModel, type TrainedModel, trainTestModel } from './support/registered-model';
import { useAppEnvironment } from './support/rest-app';
import { testSecretKey } from './support/secret-key';
import { type ServingProcess, startServingProcess } from './support/serving-process';
import { csvDataset } from './support/test-dataset';

const run = promisify(execFile);
const projectDir = path.resolve(import.meta.dirname, '..');

/**
 * The version's reference sample. Its first row, which the README's snippets feed, has a missing
 * size: the snippet sends NaN where the endpoint gets null, and both must reach the same imputation.
 */
const sample = {
  columns: ['colour', 'size', 'weight'],
  rows: [
    ['blue', null, 31],
    ['red', 12, 8],
  ],
};
/** The same first row as a request to the endpoint sends it. */
const firstRow = { size: null, weight: 31, colour: 'blue' };

/**
 * A regressor of another kind: gradient boosting (the graph's trees are ai.onnx.ml operators) on a
 * number with missing values, another number and a category, answering `value`.
 */
async function trainRegressor(): Promise<TrainedModel> {
  const lines = ['size,rooms,colour,price'];
  for (let i = 0; i < 150; i++) {
    const size = (i * 7) % 50;
    const rooms = 1 + (i % 4);
    const colour = ['red', 'green', 'blue'][i % 3] ?? 'red';
    const price = 3 * size + 8 * rooms + (colour === 'blue' ? 9 : 0) + (i % 5);
    lines.push(`${i % 11 === 0 ? '' : size},${rooms},${colour},${price}`);
  }
  const step = (result: { outputs: Record<string, ArtifactRef> }) => {
    const ref = result.outputs.data;
    if (!ref) throw new Error('the step gave no data');
    return ref;
  };
  const ingested = await csvDataset(harness, 'prices', `${lines.join('\n')}\n`);
  const split = step(
    await harness.run(nodeRuns.split, { method: 'random', testFraction: 0.2, seed: 5 }, { data: ingested }),
  );
  const cleaned = step(
    await harness.run(
      nodeRuns.clean,
      { operations: [{ op: 'impute', columns: ['size'], strategy: 'median' }] },
      { data: split },
    ),
  );
  const featured = step(
    await harness.run(
      nodeRuns.feature,
      { operations: [{ op: 'one_hot', columns: ['colour'] }], target: 'price' },
      { data: cleaned },
    ),
  );
  const trained = await harness.run(
    nodeRuns.train,
    { target: 'price', algorithm: 'gradient_boosting', task: 'regression' },
    { data: featured },
  );
  await closeTrainingPool();
  const file = trained.artifacts.find((artifact) => artifact.port === 'onnx');
  if (!file) throw new Error('the train step wrote no ONNX graph');
  const onnx = readFileSync(file.path);
  const columns: Record<string, SignatureColumn> = {
    size: { name: 'size', type: 'number', nullable: true, unknownCategories: 'accept' },
    rooms: { name: 'rooms', type: 'number', nullable: false, unknownCategories: 'accept' },
    colour: {
      name: 'colour',
      type: 'string',
      categories: ['red', 'green', 'blue'],
      unknownCategories: 'accept',
      nullable: false,
    },
  };
  const session = await ort.InferenceSession.create(onnx);
  const inputs = session.inputNames.map((name) => {
    const column = columns[name];
    if (!column) throw new Error(`the regressor's graph takes an unexpected input ${name}`);
    return column;
  });
  await session.release();
  const signature: ModelSignature = { inputs, output: { task: 'regression' } };
  return { onnx, signature };
}

const harness = new NodeHarness();
let model: TrainedModel;
let regressor: TrainedModel;
let database: TestDatabase;
let serving: ServingProcess;
let viewer: SignedIn;
let predictKey: string;
let dataDir: string;
let workDir: string;
let download: GuardedRoute<{ name: string; n: string }> | undefined;
let closeApp: (() => Promise<void>) | undefined;

/** The model.downloaded entries before the refusals' test: refusals must add none. */
let downloadsBefore: unknown[] = [];

beforeAll(async () => {
  model = await trainTestModel(harness);
  regressor = await trainRegressor();
  database = await createTestDatabase();
  await registerTestModel(database.sql, { name: 'sizes', model, alias: 'production' });
  await registerTestModel(database.sql, {
    name: 'sizes',
    model,
    reference: {
      columns: { size: { kind: 'number', deciles: [1, 2, 3, 4, 5, 6, 7, 8, 9], missingRate: 0.05 } },
      sample,
    },
  });
  await registerTestModel(database.sql, {
    name: 'prices',
    model: regressor,
    reference: {
      columns: {},
      sample: { columns: ['size', 'rooms', 'colour', 'price'], rows: [[null, 3, 'blue', 61]] },
    },
  });
  serving = await startServingProcess(database.url);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-embedding-'));
  workDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-embedded-use-'));
  // The app reads its environment once, when its modules load: set it first, then import the route.
  useAppEnvironment(database, { dataDir }, { url: serving.url, secretKey: testSecretKey });
  download = (await import('../app/api/models/[name]/versions/[n]/embedding/route')).GET;
  const { database: appDatabase } = await import('../app/_server/db');
  closeApp = () => appDatabase().close();
  const auth = accountsAuth(database.db);
  viewer = await signedInAs(auth, 'viewer');
  predictKey = (await createKey(auth, viewer.userId, 'predict')).key;
}, 180_000);

afterAll(async () => {
  await serving?.stop();
  await closeApp?.();
  await database?.drop();
  harness.cleanup();
  for (const dir of [dataDir, workDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

function get(name: string, n: string, headers: Record<string, string>): Promise<Response> {
  if (!download) throw new Error('the route was not imported');
  return download(
    new Request(`http://localhost:3000/api/models/${encodeURIComponent(name)}/versions/${n}/embedding`, {
      headers: { host: 'localhost:3000', ...headers },
    }),
    { params: Promise.resolve({ name, n }) },
  );
}

/** The fenced code under a README heading. */
function codeUnder(readme: string, heading: string): string {
  const section = readme.split(/^## /m).find((part) => part.startsWith(heading)) ?? '';
  return /^(`{3,})\w*\n([\s\S]*?)\n\1$/m.exec(section)?.[2] ?? '';
}

/**
 * Runs the README's Node snippet as a user would: model.onnx and predict.mjs in a folder of their
 * own, onnxruntime-node installed beside them (a link to the project's node_modules: an ES module
 * resolves packages from its own folder up, NODE_PATH is not read), and returns what it printed.
 */
async function runNodeSnippet(folder: string, readme: string, onnx: Uint8Array): Promise<unknown> {
  const dir = path.join(workDir, folder);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'model.onnx'), onnx);
  writeFileSync(path.join(dir, 'predict.mjs'), codeUnder(readme, 'Node'));
  symlinkSync(path.join(projectDir, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const printed = await run(process.execPath, ['predict.mjs'], { cwd: dir, timeout: 60_000 });
  return JSON.parse(printed.stdout);
}

const predictionSchema = z.object({
  label: z.union([z.string(), z.number(), z.boolean()]).optional(),
  probabilities: z.record(z.string(), z.number()).optional(),
  value: z.number().optional(),
});
type Prediction = z.infer<typeof predictionSchema>;
const answerSchema = z.object({ predictions: z.array(predictionSchema) });
/** A refusal: one sentence under `error`, nothing else. */
const refusalSchema = z.strictObject({ error: z.string() });

/** The serving process's answer for one row from one version, asked with a predict key. */
async function served(name: string, version: number, row: Record<string, unknown>): Promise<Prediction> {
  const response = await fetch(`${serving.url}/api/v1/models/${name}/versions/${version}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${predictKey}` },
    body: JSON.stringify({ rows: [row] }),
  });
  expect(response.status).toBe(200);
  const answer = answerSchema.parse(await response.json());
  const [prediction] = answer.predictions;
  if (!prediction) throw new Error(`serving gave no prediction for ${name}`);
  return prediction;
}

/** The archive's files by path. */
async function unzipped(response: Response): Promise<Record<string, Uint8Array>> {
  return unzipSync(new Uint8Array(await response.arrayBuffer()));
}

describe('the embedding download', () => {
  it("holds the version's model.onnx and a README whose Node snippet answers as the endpoint does", async () => {
    const response = await get('sizes', '2', viewer.headers);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="sizes-v2-embedding.zip"');
    const files = await unzipped(response);
    expect(Object.keys(files).sort()).toEqual(['sizes-v2/', 'sizes-v2/README.md', 'sizes-v2/model.onnx']);
    const onnx = files['sizes-v2/model.onnx'] ?? new Uint8Array();
    expect(Buffer.from(onnx).equals(model.onnx)).toBe(true);
    const readme = new TextDecoder().decode(files['sizes-v2/README.md']);
    expect(readme.startsWith('# sizes v2: embedded use\n')).toBe(true);
    expect(readme).toContain("the first row of this version's reference sample");
    expect(readme).toContain('| `size` | missing | `NaN` |');

    const embedded = await runNodeSnippet('sizes', readme, onnx);
    const prediction = await served('sizes', 2, firstRow);
    expect(embedded).toEqual({ label: String(prediction.label), probabilities: prediction.probabilities });
    // Both are a real answer: two classes whose probabilities add up to one.
    expect(Object.keys(prediction.probabilities ?? {})).toEqual(['big', 'small']);
    expect(Object.values(prediction.probabilities ?? {}).reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 5);
  }, 120_000);

  it("gives a regressor's value as the endpoint does: trees, a category, a missing number", async () => {
    const response = await get('prices', '1', viewer.headers);
    expect(response.status).toBe(200);
    const files = await unzipped(response);
    const readme = new TextDecoder().decode(files['prices-v1/README.md']);
    expect(readme).toContain('| `value` | float64 [N, 1] | the predicted value of each row |');
    expect(readme).toContain('| `size` | missing | `NaN` |');
    const embedded = await runNodeSnippet(
      'prices',
      readme,
      files['prices-v1/model.onnx'] ?? new Uint8Array(),
    );
    const prediction = await served('prices', 1, { size: null, rooms: 3, colour: 'blue' });
    expect(embedded).toEqual({ value: prediction.value });
    // A real prediction: about 3·median size + 8·3 + 9, far from zero.
    expect(prediction.value).toBeGreaterThan(50);
  }, 120_000);

  it('describes a version without a reference sample with typical values', async () => {
    const response = await get('SIZES', '1', viewer.headers);
    expect(response.status).toBe(200);
    // The file is named as the registry spells the model, whatever case the path used.
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="sizes-v1-embedding.zip"');
    const readme = new TextDecoder().decode((await unzipped(response))['sizes-v1/README.md']);
    expect(readme).toContain('one row of typical values');
    expect(readme).toContain('| `colour` | `"red"` | `"red"` |');
  });

  it('refuses with a sentence: no session 401, a bad name or version 400, an unknown one 404', async () => {
    downloadsBefore = await downloadsRecorded();
    const cases: Array<[string, string, Record<string, string>, number, RegExp]> = [
      ['sizes', '2', {}, 401, /sign in/i],
      ['sizes', '2', { cookie: 'pipewright.session_token=forged' }, 401, /\w+ .+\./],
      ['../etc', '1', viewer.headers, 400, /^name: A model name has/],
      ['sizes', '0', viewer.headers, 400, /^The version in the path must be a whole number from 1\.$/],
      ['sizes', '1e3', viewer.headers, 400, /whole number/],
      ['sizes', '9', viewer.headers, 404, /^sizes has no version 9\.$/],
      ['nothing-here', '1', viewer.headers, 404, /^There is no model named nothing-here\.$/],
    ];
    for (const [name, n, headers, status, message] of cases) {
      const response = await get(name, n, headers);
      expect({ name, n, status: response.status }).toEqual({ name, n, status });
      expect(response.headers.get('content-disposition')).toBeNull();
      const body = refusalSchema.parse(await response.json());
      expect(body.error).toMatch(message);
      expect(body.error).not.toMatch(/ at |\.ts:|select /);
    }
    // A refusal is no download: the log holds only the downloads the tests above made.
    expect(await downloadsRecorded()).toEqual(downloadsBefore);
  });

  it('records each download in the audit log: who, which model, which version', async () => {
    const before = (await downloadsRecorded()).length;
    expect((await get('sizes', '2', viewer.headers)).status).toBe(200);
    const entries = await downloadsRecorded();
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)).toEqual({
      actorEmail: viewer.email,
      actorId: viewer.userId,
      objectLabel: 'sizes',
      details: { version: 2, file: 'sizes-v2-embedding.zip' },
    });
  });
});

/** The audit log's model.downloaded entries, oldest first. */
async function downloadsRecorded() {
  return database.sql<
    { actorEmail: string; actorId: string; objectLabel: string; details: unknown }[]
  >`select actor_email as "actorEmail", actor_id as "actorId", object_label as "objectLabel", details
    from audit_log where action = 'model.downloaded' order by at, id`;
}

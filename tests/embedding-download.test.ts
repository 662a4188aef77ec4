/**
 * Embedded use, end to end: a signed-in user downloads a registered version through the app's real
 * route, the archive holds the version's model.onnx and its README, and the README's Node snippet,
 * saved beside the ONNX file and run with node against onnxruntime-node, prints the answer the real
 * serving process gives for the same row (the label and every probability). The route's refusals
 * are sentences with their status, never a stack.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuardedRoute } from '../app/_server/auth/route-guard';
import { accountsAuth, createKey, type SignedIn, signedInAs } from './support/accounts';
import { createTestDatabase, type TestDatabase } from './support/database';
import { NodeHarness } from './support/node-harness';
import { registerTestModel, type TrainedModel, trainTestModel } from './support/registered-model';
import { useAppEnvironment } from './support/rest-app';
import { testSecretKey } from './support/secret-key';
import { type ServingProcess, startServingProcess } from './support/serving-process';

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

const harness = new NodeHarness();
let model: TrainedModel;
let database: TestDatabase;
let serving: ServingProcess;
let viewer: SignedIn;
let predictKey: string;
let dataDir: string;
let workDir: string;
let download: GuardedRoute<{ name: string; n: string }> | undefined;
let closeApp: (() => Promise<void>) | undefined;

beforeAll(async () => {
  model = await trainTestModel(harness);
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

    // As a user would: model.onnx and predict.mjs in a folder, onnxruntime-node installed beside them
    // (a link to the project's node_modules; an ES module resolves packages from its own folder up).
    writeFileSync(path.join(workDir, 'model.onnx'), onnx);
    writeFileSync(path.join(workDir, 'predict.mjs'), codeUnder(readme, 'Node'));
    symlinkSync(path.join(projectDir, 'node_modules'), path.join(workDir, 'node_modules'), 'dir');
    const printed = await run(process.execPath, ['predict.mjs'], { cwd: workDir, timeout: 60_000 });
    const embedded: unknown = JSON.parse(printed.stdout);

    const served = await fetch(`${serving.url}/api/v1/models/sizes/versions/2/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${predictKey}` },
      body: JSON.stringify({ rows: [firstRow] }),
    });
    expect(served.status).toBe(200);
    const answer = (await served.json()) as {
      predictions: Array<{ label: unknown; probabilities: Record<string, number> }>;
    };
    const [prediction] = answer.predictions;
    expect(prediction).toBeDefined();
    expect(embedded).toEqual({
      label: String(prediction?.label),
      probabilities: prediction?.probabilities,
    });
    // Both are a real answer: two classes whose probabilities add up to one.
    expect(Object.keys(prediction?.probabilities ?? {})).toEqual(['big', 'small']);
    expect(Object.values(prediction?.probabilities ?? {}).reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 5);
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
      const body = (await response.json()) as { error: string };
      expect(Object.keys(body)).toEqual(['error']);
      expect(body.error).toMatch(message);
      expect(body.error).not.toMatch(/ at |\.ts:|select /);
    }
  });
});

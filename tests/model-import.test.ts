/**
 * Importing a model trained elsewhere, end to end through the app's real routes, the real worker
 * (onnxruntime runs there, in the model-import workflow), PostgreSQL and the real serving process:
 * the skl2onnx fixture (tests/fixtures/imported) is uploaded and imported with its sample, then
 * served and batch-scored as any version, its answers equal to scikit-learn's. The refusals (an
 * unsupported operator, a wrong column count, a file that is not ONNX, a viewer) change nothing.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { GuardedRoute } from '../app/_server/auth/route-guard';
import { findModelByName, findModelVersion, listLedger, readModelFile } from '../db/queries/registry';
import { artifacts, auditLog, modelVersions } from '../db/schema';
import { Duck } from '../nodes/_data/duck';
import { versionReferenceSchema } from '../registry/version-schema';
import { accountsAuth, createKey, type SignedIn, signedInAs } from './support/accounts';
import { runCli } from './support/cli';
import { setUpDatabaseAndWorker } from './support/fixture';
import { pipelineDoc } from './support/pipeline-doc';
import { runToEnd, savePipeline, stepRows } from './support/pipelines';
import { type ApiRoute, serveApiRoutes, useAppEnvironment } from './support/rest-app';
import { testSecretKey } from './support/secret-key';
import { type ServingProcess, startServingProcess } from './support/serving-process';

const fixtures = path.resolve(import.meta.dirname, 'fixtures/imported');
const fixtureOnnx = readFileSync(path.join(fixtures, 'iris-logreg.onnx'));
const sampleCsv = readFileSync(path.join(fixtures, 'iris-sample.csv'), 'utf8');
const expected = z
  .object({
    columns: z.array(z.string()),
    labels: z.array(z.string()),
    rows: z.array(z.array(z.number())),
    predict: z.array(z.string()),
    predict_proba: z.array(z.array(z.number())),
  })
  .parse(JSON.parse(readFileSync(path.join(fixtures, 'expected.json'), 'utf8')));

const fixture = setUpDatabaseAndWorker();
let serving: ServingProcess;
let operator: SignedIn;
let viewer: SignedIn;
let predictKey: string;
let upload: GuardedRoute<Record<string, never>>;
let importRoute: GuardedRoute<{ id: string }>;
let closeApp: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const { database, worker } = fixture;
  serving = await startServingProcess(database.url);
  useAppEnvironment(database, worker, { url: serving.url, secretKey: testSecretKey });
  upload = (await import('../app/api/uploads/model/route')).POST;
  importRoute = (await import('../app/api/model-imports/[id]/route')).POST;
  const { database: appDatabase } = await import('../app/_server/db');
  closeApp = () => appDatabase().close();
  const auth = accountsAuth(database.db);
  operator = await signedInAs(auth, 'operator');
  viewer = await signedInAs(auth, 'viewer');
  predictKey = (await createKey(auth, viewer.userId, 'predict')).key;
}, 180_000);

afterAll(async () => {
  await serving?.stop();
  await closeApp?.();
});

const uploadAnswer = z.object({
  importId: z.uuid(),
  fileName: z.string(),
  bytes: z.number(),
  graph: z.object({
    inputs: z.array(z.object({ name: z.string(), shape: z.array(z.number().nullable()).nullable() })),
    inputForm: z.object({ kind: z.string() }).loose(),
    task: z.string(),
    labels: z.array(z.union([z.string(), z.number()])).nullable(),
  }),
});
const outcomeSchema = z.object({
  model: z.string(),
  version: z.number(),
  alias: z.string().nullable(),
  aliasReason: z.string().nullable(),
  awaitingApproval: z.boolean(),
  labels: z.array(z.union([z.string(), z.number()])),
  columns: z.array(z.object({ name: z.string(), type: z.string() }).loose()),
  sampleRows: z.number(),
  monitored: z.boolean(),
});
const refusalSchema = z.strictObject({ error: z.string() });

async function send(bytes: Uint8Array, fileName: string, who: SignedIn): Promise<Response> {
  return upload(
    new Request(`http://localhost:3000/api/uploads/model?name=${encodeURIComponent(fileName)}`, {
      method: 'POST',
      headers: { host: 'localhost:3000', origin: 'http://localhost:3000', ...who.headers },
      body: new Uint8Array(bytes),
    }),
    { params: Promise.resolve({}) },
  );
}

async function importUpload(id: string, body: Record<string, unknown>, who: SignedIn): Promise<Response> {
  return importRoute(
    new Request(`http://localhost:3000/api/model-imports/${id}`, {
      method: 'POST',
      headers: { host: 'localhost:3000', 'content-type': 'application/json', ...who.headers },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ id }) },
  );
}

/** Uploads a file as the operator and imports it; the answer's status and JSON. */
async function uploadAndImport(bytes: Uint8Array, fileName: string, body: Record<string, unknown>) {
  const sent = await send(bytes, fileName, operator);
  expect(sent.status).toBe(201);
  const { importId } = uploadAnswer.parse(await sent.json());
  const answered = await importUpload(importId, body, operator);
  const json: unknown = await answered.json();
  return { status: answered.status, json };
}

async function versionCount(): Promise<number> {
  return (await fixture.database.db.select().from(modelVersions)).length;
}

describe('importing the skl2onnx fixture', () => {
  it('describes the upload: one float [N, 4] input, a classifier with its labels', async () => {
    const answer = await send(fixtureOnnx, 'iris-logreg.onnx', operator);
    expect(answer.status).toBe(201);
    const { graph, bytes } = uploadAnswer.parse(await answer.json());
    expect(bytes).toBe(fixtureOnnx.byteLength);
    expect(graph.inputs).toEqual([expect.objectContaining({ name: 'float_input', shape: [null, 4] })]);
    expect(graph.inputForm).toEqual({ kind: 'matrix', features: 4, input: 'float_input' });
    expect(graph.task).toBe('classification');
    expect(graph.labels).toEqual(expected.labels);
  });

  it("registers version 1 with the house's signature, labels, lineage and reference, and sets production for an operator", async () => {
    const { status, json } = await uploadAndImport(fixtureOnnx, 'iris-logreg.onnx', {
      name: 'iris',
      sample: sampleCsv,
    });
    expect(status).toBe(201);
    const outcome = outcomeSchema.parse(json);
    expect(outcome).toMatchObject({
      model: 'iris',
      version: 1,
      alias: 'production',
      sampleRows: 30,
      monitored: true,
    });
    expect(outcome.labels).toEqual(expected.labels);

    const { sql } = fixture.database;
    const model = await findModelByName(sql, 'iris');
    const version = model && (await findModelVersion(sql, model.id, 1));
    expect(version?.origin).toBe('import');
    expect(version?.importedBy).toBe(operator.email);
    expect(version?.importedFile).toBe('iris-logreg.onnx');
    expect(version?.createdBy).toBe(operator.userId);
    expect(version?.runId).toBeNull();
    expect(version?.signature).toEqual({
      inputs: expected.columns.map((name) => ({
        name,
        type: 'number',
        unknownCategories: 'accept',
        nullable: false,
      })),
      output: { task: 'classification', labels: expected.labels },
    });
    // Deciles from the sample: petal_length's median among the 30 rows.
    const reference = versionReferenceSchema.parse(version?.reference);
    const petal = expected.rows.map((row) => row[2] ?? 0).sort((a, b) => a - b);
    const median = ((petal[14] ?? 0) + (petal[15] ?? 0)) / 2;
    expect(reference.petal_length).toMatchObject({ kind: 'number', missingRate: 0 });
    const deciles = reference.petal_length?.kind === 'number' ? reference.petal_length.deciles : [];
    expect(deciles).toHaveLength(9);
    expect(deciles[4]).toBeCloseTo(median, 5);
    const referenceFile = version && (await readModelFile(sql, version.id, 'reference.json'));
    expect(JSON.parse(referenceFile?.content.toString('utf8') ?? '{}').rows).toHaveLength(30);

    const audit = await fixture.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'model.imported'));
    expect(audit.map((row) => [row.actorEmail, row.objectLabel])).toEqual([[operator.email, 'iris']]);
    const [entry] = model ? await listLedger(sql, model.id) : [];
    expect(entry).toMatchObject({ alias: 'production', toVersion: 1, actorEmail: operator.email });
    expect(entry?.reason).toBe(
      `Imported from iris-logreg.onnx by ${operator.email} (operator); iris had no production version`,
    );
  });

  it("answers from the serving process as scikit-learn's predict and predict_proba do", async () => {
    const rows = expected.rows.map((row) =>
      Object.fromEntries(expected.columns.map((name, i) => [name, row[i]])),
    );
    const response = await fetch(`${serving.url}/api/v1/models/iris/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${predictKey}` },
      body: JSON.stringify({ rows }),
    });
    expect(response.status).toBe(200);
    const answer = z
      .object({
        version: z.number(),
        predictions: z.array(
          z.object({ label: z.string(), probabilities: z.record(z.string(), z.number()) }),
        ),
      })
      .parse(await response.json());
    expect(answer.version).toBe(1);
    expect(answer.predictions.map((prediction) => prediction.label)).toEqual(expected.predict);
    answer.predictions.forEach((prediction, row) => {
      expected.labels.forEach((label, k) => {
        expect(prediction.probabilities[label]).toBeCloseTo(
          expected.predict_proba[row]?.[k] ?? Number.NaN,
          5,
        );
      });
    });
    // Not one answer for all: the sample holds every class.
    expect(new Set(expected.predict)).toEqual(new Set(expected.labels));
  });

  it('is scored by the Batch score node like a trained version', async () => {
    const uploads = path.join(fixture.worker.dataDir, 'uploads');
    mkdirSync(uploads, { recursive: true });
    writeFileSync(path.join(uploads, 'iris-to-score.csv'), sampleCsv);
    const doc = pipelineDoc(
      [
        { id: 'ingest', type: 'ingest', config: { source: 'file', file: 'uploads/iris-to-score.csv' } },
        { id: 'score', type: 'score', config: { model: 'iris' } },
      ],
      ['ingest.data->score.data'],
    );
    const { version } = await savePipeline(fixture.database.db, doc, 'score iris');
    const { started, result } = await runToEnd(fixture.database.db, fixture.worker, version.id);
    expect(result.status).toBe('succeeded');
    const step = (await stepRows(fixture.database.db, started.runId)).find((row) => row.nodeId === 'score');
    expect(step?.outputSummary).toMatchObject({ rows: 30, model: 'iris version 1', version: 1 });
    const [artifact] = await fixture.database.db
      .select()
      .from(artifacts)
      .where(eq(artifacts.stepId, step?.id ?? ''));
    const duck = await Duck.open();
    try {
      const scored = await duck.all('select * from read_parquet($1)', [fileURLToPath(artifact?.uri ?? '')]);
      expect(scored.map((row) => row.prediction)).toEqual(expected.predict);
      scored.forEach((row, index) => {
        expect(Number(row.probability_virginica)).toBeCloseTo(
          expected.predict_proba[index]?.[2] ?? Number.NaN,
          5,
        );
      });
    } finally {
      duck.close();
    }
  }, 120_000);

  it("is monitored for drift against the sample's reference, from the serving process's log", async () => {
    const model = await findModelByName(fixture.database.sql, 'iris');
    // The serving process writes its log in batches, off the request path: wait for the 30 rows.
    await expect
      .poll(
        async () =>
          (
            await fixture.database.sql<{ rows: number }[]>`
              select count(*)::int as rows from prediction_log where model_id = ${model?.id ?? ''}`
          )[0]?.rows,
        { timeout: 30_000 },
      )
      .toBe(30);
    const doc = pipelineDoc(
      [
        {
          id: 'monitor',
          type: 'monitor.drift',
          config: { model: 'iris', windowLength: 1, windowUnit: 'hours' },
        },
      ],
      [],
    );
    const { version } = await savePipeline(fixture.database.db, doc, 'monitor iris');
    const { started, result } = await runToEnd(fixture.database.db, fixture.worker, version.id);
    expect(result.status).toBe('succeeded');
    const step = (await stepRows(fixture.database.db, started.runId)).find((row) => row.nodeId === 'monitor');
    // The logged rows are the sample's own: four features checked, none drifted.
    expect(step?.outputSummary).toMatchObject({
      model: 'iris',
      version: 1,
      state: 'ok',
      features: 4,
      driftedFeatures: 0,
      rows: 30,
    });
  }, 120_000);

  it('leaves production where it is for a later import, and takes --columns without a sample', async () => {
    const { status, json } = await uploadAndImport(fixtureOnnx, 'iris-logreg.onnx', {
      name: 'iris',
      columns: expected.columns,
      labels: ['Setosa', 'Versicolor', 'Virginica'],
    });
    expect(status).toBe(201);
    const outcome = outcomeSchema.parse(json);
    expect(outcome).toMatchObject({ version: 2, alias: null, sampleRows: 0, monitored: false });
    expect(outcome.labels).toEqual(['Setosa', 'Versicolor', 'Virginica']);
    const model = await findModelByName(fixture.database.sql, 'iris');
    const ledger = model ? await listLedger(fixture.database.sql, model.id) : [];
    expect(ledger.map((entry) => [entry.alias, entry.toVersion])).toEqual([['production', 1]]);
    // The given labels answer: the label output is rebuilt from the probabilities.
    const response = await fetch(`${serving.url}/api/v1/models/iris/versions/2/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${predictKey}` },
      body: JSON.stringify({
        rows: [Object.fromEntries(expected.columns.map((name, i) => [name, expected.rows[0]?.[i]]))],
      }),
    });
    expect(await response.json()).toMatchObject({ predictions: [{ label: 'Setosa' }] });
  });

  it('sets the alias asked for with setAlias', async () => {
    const { json } = await uploadAndImport(fixtureOnnx, 'iris.onnx', {
      name: 'iris',
      columns: expected.columns,
      setAlias: 'staging',
    });
    expect(outcomeSchema.parse(json)).toMatchObject({
      version: 3,
      alias: 'staging',
      awaitingApproval: false,
    });
  });

  it('files a promotion request instead of moving production when the model requires approval', async () => {
    const sql = fixture.database.sql;
    const [model] = await sql<{ id: string }[]>`select id from registered_models where name = 'iris'`;
    await sql`insert into model_rollout (model_id, requires_approval) values (${model?.id ?? ''}, true)`;
    const { status, json } = await uploadAndImport(fixtureOnnx, 'iris.onnx', {
      name: 'iris',
      columns: expected.columns,
      setAlias: 'production',
    });
    expect(status).toBe(201);
    expect(outcomeSchema.parse(json)).toMatchObject({ version: 4, alias: null, awaitingApproval: true });
    const pending = await sql<{ version: number; status: string }[]>`
      select version, status from promotion_requests where model_id = ${model?.id ?? ''}`;
    expect(pending).toEqual([{ version: 4, status: 'pending' }]);
    const [production] = await sql<{ version: number }[]>`
      select v.version from model_aliases a join model_versions v on v.id = a.version_id
      where a.model_id = ${model?.id ?? ''} and a.alias = 'production'`;
    expect(production?.version).toBe(1);
  });
});

describe('pipewright models import', () => {
  it('imports with --sample, sets production for a new model, and says so', async () => {
    const cli = await runCli(fixture, fixture.worker.dataDir, [
      'models',
      'import',
      path.join(fixtures, 'iris-logreg.onnx'),
      '--name',
      'iris-cli',
      '--sample',
      path.join(fixtures, 'iris-sample.csv'),
    ]);
    expect(cli.stderr).not.toContain('pipewright:');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(
      'Imported iris-logreg.onnx as iris-cli v1 (classification: setosa, versicolor, virginica)',
    );
    expect(cli.stdout).toContain('checked on 30 sample rows');
    expect(cli.stdout).toMatch(
      /production is now v1: Imported from iris-logreg\.onnx by the local CLI \(.+\) \(admin\)/,
    );
    const model = await findModelByName(fixture.database.sql, 'iris-cli');
    const version = model && (await findModelVersion(fixture.database.sql, model.id, 1));
    expect(version?.origin).toBe('import');
    expect(version?.importedBy).toMatch(/^the local CLI \(.+\)$/);
    // `models show` names the lineage in the versions' PIPELINE column.
    const shown = await runCli(fixture, fixture.worker.dataDir, ['models', 'show', 'iris-cli']);
    expect(shown.stdout).toMatch(
      /^v1\s+production\s+imported LinearClassifier\s+—\s+imported by the local CLI \(.+\)\s+\d{4}-/m,
    );
  }, 120_000);

  it('takes --columns, --labels and --set-alias none, and refuses a wrong count with exit code 2', async () => {
    const file = path.join(fixtures, 'iris-logreg.onnx');
    const args = ['models', 'import', file, '--name', 'iris-cli', '--json'];
    const ok = await runCli(fixture, fixture.worker.dataDir, [
      ...args,
      '--columns',
      expected.columns.join(','),
      '--labels',
      'a,b,c',
      '--set-alias',
      'none',
    ]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      model: 'iris-cli',
      version: 2,
      alias: null,
      labels: ['a', 'b', 'c'],
    });
    const wrong = await runCli(fixture, fixture.worker.dataDir, [...args, '--columns', 'a,b,c']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(
      'pipewright: The model takes 4 features (input float_input: float [N, 4]) but 3 columns were given (a, b, c)\n',
    );
    const alias = await runCli(fixture, fixture.worker.dataDir, [...args, '--set-alias', 'live']);
    expect(alias.stderr).toBe('pipewright: --set-alias must be production, staging or none (not "live")\n');
  }, 120_000);
});

describe('pipewright models import against a remote server (PIPEWRIGHT_URL)', () => {
  /** The two import routes behind a plain HTTP server, as Next serves them. */
  async function importServer() {
    type Handler = ApiRoute['handlers'] extends Map<string, infer H> ? H : never;
    const route = (
      apiPath: string,
      pattern: RegExp,
      parameterNames: string[],
      handler: Handler,
    ): ApiRoute => ({
      apiPath,
      pattern,
      parameterNames,
      handlers: new Map([['POST', handler]]),
    });
    return serveApiRoutes([
      route('/api/uploads/model', /^\/api\/uploads\/model$/, [], (request) =>
        upload(request, { params: Promise.resolve({}) }),
      ),
      route('/api/model-imports/{id}', /^\/api\/model-imports\/([^/]+)$/, ['id'], async (request, context) =>
        importRoute(request, { params: Promise.resolve({ id: (await context.params).id ?? '' }) }),
      ),
    ]);
  }

  it("sends the file and the sample with the key, and the version is imported by the key's owner", async () => {
    const server = await importServer();
    try {
      const auth = accountsAuth(fixture.database.db);
      const { key } = await createKey(auth, operator.userId, 'admin');
      const args = ['models', 'import', path.join(fixtures, 'iris-logreg.onnx'), '--name', 'iris-remote'];
      const cli = await runCli(
        fixture,
        fixture.worker.dataDir,
        [...args, '--sample', path.join(fixtures, 'iris-sample.csv')],
        {
          PIPEWRIGHT_URL: server.url,
          PIPEWRIGHT_API_KEY: key,
        },
      );
      expect(cli.stderr).toBe('');
      expect(cli.code).toBe(0);
      expect(cli.stdout).toContain('Imported iris-logreg.onnx as iris-remote v1');
      const model = await findModelByName(fixture.database.sql, 'iris-remote');
      const version = model && (await findModelVersion(fixture.database.sql, model.id, 1));
      expect(version?.importedBy).toBe(operator.email);
      // A run key may not import: the server's sentence, exit code 2, nothing registered.
      const { key: runKey } = await createKey(auth, operator.userId, 'run');
      const refused = await runCli(fixture, fixture.worker.dataDir, [...args, '--columns', 'a,b,c,d'], {
        PIPEWRIGHT_URL: server.url,
        PIPEWRIGHT_API_KEY: runKey,
      });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^pipewright: http:\/\/127\.0\.0\.1:\d+ answered 403: /);
      expect(model && (await findModelVersion(fixture.database.sql, model.id, 2))).toBeUndefined();
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe('refusals, which register nothing', () => {
  it('names the operator onnxruntime cannot run', async () => {
    const before = await versionCount();
    const { status, json } = await uploadAndImport(
      readFileSync(path.join(fixtures, 'unsupported-op.onnx')),
      'unsupported-op.onnx',
      { name: 'custom', columns: ['a', 'b'] },
    );
    expect(status).toBe(400);
    expect(refusalSchema.parse(json).error).toMatch(
      /^onnxruntime cannot run operator FooBar \(domain com\.example\): /,
    );
    expect(await versionCount()).toBe(before);
    expect(await findModelByName(fixture.database.sql, 'custom')).toBeUndefined();
  });

  it('refuses a column list of the wrong length, naming both counts', async () => {
    const before = await versionCount();
    const { status, json } = await uploadAndImport(fixtureOnnx, 'iris-logreg.onnx', {
      name: 'iris',
      columns: ['a', 'b', 'c'],
    });
    expect(status).toBe(400);
    expect(json).toEqual({
      error:
        'The model takes 4 features (input float_input: float [N, 4]) but 3 columns were given (a, b, c)',
    });
    expect(await versionCount()).toBe(before);
  });

  it('refuses a sample row that is not numbers, naming row and column', async () => {
    const { status, json } = await uploadAndImport(fixtureOnnx, 'iris-logreg.onnx', {
      name: 'iris',
      sample: `${expected.columns.join(',')}\n5.1,3.5,1.4,0.2\n4.9,three,1.4,0.2\n`,
    });
    expect(status).toBe(400);
    expect(json).toEqual({ error: 'Row 2 of the sample, column "sepal_width": "three" is not a number' });
  });

  it('refuses a sample row the model gives no answer for, naming the row and its missing column', async () => {
    const before = await versionCount();
    const { status, json } = await uploadAndImport(fixtureOnnx, 'iris-logreg.onnx', {
      name: 'iris',
      sample: `${expected.columns.join(',')}\n5.1,3.5,1.4,0.2\n4.9,3.0,,0.2\n`,
    });
    expect(status).toBe(400);
    expect(json).toEqual({
      error:
        'Row 2 of the sample gives no probabilities (NaN): the model does not take a missing petal_length (fill it in the sample, or impute it before the model)',
    });
    expect(await versionCount()).toBe(before);
  });

  it('refuses a file that is not ONNX', async () => {
    const answer = await send(new TextEncoder().encode(sampleCsv), 'iris.onnx', operator);
    expect(answer.status).toBe(400);
    expect(refusalSchema.parse(await answer.json()).error).toMatch(/^The file is not an ONNX model/);
  });

  it('refuses a viewer, at the upload and at the import', async () => {
    const before = await versionCount();
    const sent = await send(fixtureOnnx, 'iris-logreg.onnx', viewer);
    expect(sent.status).toBe(403);
    const own = await send(fixtureOnnx, 'iris-logreg.onnx', operator);
    const { importId } = uploadAnswer.parse(await own.json());
    const imported = await importUpload(importId, { name: 'iris' }, viewer);
    expect(imported.status).toBe(403);
    expect(await versionCount()).toBe(before);
  });
});
